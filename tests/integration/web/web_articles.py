"""The inline articles of the web tests: small enough to know every answer."""

from __future__ import annotations

from corpus.article import Article


def article(id: str, title: str, text: str, date: str, source: str, regions: tuple[str, ...],
            sectors: tuple[str, ...], aid_from: tuple[str, ...] = (), precision: str = "day", *,
            file: str = "", url: str = "", page: int | None = None) -> Article:
    """An inline article, dated to the day unless precision says otherwise, from the file <id>.txt unless given."""
    return Article(id=id, title=title, text=text, date=date, date_precision=precision, source=source,
                   regions=regions, sectors=sectors, aid_from=aid_from, origin=f"{file or id + '.txt'}#1",
                   url=url, page=page)


# Small enough to know every answer; varied enough for every facet, both years' charts, escaping and
# a date known only to the month.
WEB_ARTICLES = (
    article("kash-edu", "上海援疆教师在喀什", "上海援疆教师在泽普县开展送教活动。\n学生们在课堂上认真学习。",
            "2023-08-27", "解放日报", ("喀什",), ("教育",), ("上海",), file="kash.html",
            url="https://news.example.org/kash-edu.html"),
    article("hotan-med", "北京医疗队在和田", "北京援疆医疗队深入和田乡村，开展义诊服务。",
            "2023-12-08", "和田日报", ("和田",), ("医疗卫生",), ("北京",)),
    article("tianjin", "天津“组团式”援疆", "天津援疆医疗队在策勒县开展组团式帮扶，援疆干部扎根基层。",
            "2023-12-11", "和田日报", ("和田",), ("医疗卫生", "教育"), ("天津",)),
    article("kly-aid", "上海对口支援克拉玛依", "上海对口支援克拉玛依市以来，产业合作不断深入。",
            "2025-04-02", "克拉玛依日报", ("克拉玛依",), ("产业经济",), ("上海",)),
    article("kly-art", "克拉玛依非遗展示", "非遗传承人在社区展示刺绣技艺，居民踊跃参与。",
            "2025-01-20", "克拉玛依日报", ("克拉玛依",), ("文化旅游",)),
    article("escape", "<script>alert(1)</script>援疆报道", "正文含有<b>粗体</b>与&符号，援疆工作持续推进。",
            "2024-06-01", "新疆日报", ("新疆",), ("党建政务",), precision="month", file="epaper.pdf", page=2),
)
