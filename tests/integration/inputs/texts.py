"""The articles the input fixtures carry: written for these tests, with their expected metadata."""

from __future__ import annotations

from dataclasses import dataclass

# A file's time says nothing of an article's date: the fixtures are "saved" long after they appeared,
# and each article states its date in its first words.
SAVED_LATER = (1_780_000_000, 1_780_000_000)  # 2026


@dataclass(frozen=True, slots=True)
class Written:
    """An article as the test wrote it: title, paragraphs and the date it states."""

    title: str
    paragraphs: tuple[str, ...]
    date: str

    @property
    def text(self) -> str:
        """The paragraphs as an Article's text holds them."""
        return "\n".join(self.paragraphs)


KINDERGARTENS = Written(
    "喀什地区新建十所双语幼儿园",
    (
        "本报讯（记者王明）2024年3月12日，喀什地区教育局在疏附县召开现场会，通报今年新建的十所双语幼儿园已全部投入使用。",
        "这批幼儿园由上海市援疆资金支持建设，共设置班级八十个，可容纳幼儿两千四百人，每所都配有室外活动场地和图书角。",
        "教育局负责人表示，下一步将从上海选派骨干教师开展结对培训，帮助当地教师提升保教水平，让孩子们在家门口上好幼儿园。",
    ),
    "2024-03-12",
)
RIVER = Written(
    "和田玉龙喀什河治理工程开工",
    (
        "本报讯（通讯员李娜）2024年3月15日，和田市玉龙喀什河防洪治理工程在城东段正式开工，来自北京的技术人员在现场指导施工。",
        "工程总投资三点二亿元，其中北京市对口支援资金安排一点五亿元，计划建设堤防十二公里，新建护岸和排水闸各一处。",
        "项目建成后，将使沿河三个乡镇的六万余名群众免受洪水威胁，并为滨河绿道和湿地公园的建设打下基础。",
    ),
    "2024-03-15",
)
ORCHARD = Written(
    "阿克苏红枣种植户用上智能滴灌",
    (
        "2024年4月8日，在阿克苏地区温宿县的一片枣园里，浙江援疆技术团队正在调试新安装的智能滴灌设备。",
        "种植户吐尔逊说，过去浇一遍地要三天，现在用手机就能控制阀门，每亩还能节约用水三成以上。",
        "据介绍，这套系统今年将在全县推广两万亩，技术团队还将为合作社培训五十名设备管理员。",
    ),
    "2024-04-08",
)
CLINIC = Written(
    "克拉玛依社区医院开设远程会诊",
    (
        "2024年5月20日，克拉玛依市白碱滩区社区医院的远程会诊室正式启用，首批患者通过视频向上海专家问诊。",
        "这间会诊室由上海援疆医疗队牵线建设，连接上海三家三甲医院，每周固定安排两个半天的专家门诊。",
        "社区居民王阿姨说，以前看专家要跑很远的路，现在在家门口就能得到上海医生的诊断和建议。",
    ),
    "2024-05-20",
)
LIBRARY = Written(
    "昌吉州农家书屋添新书",
    (
        "2024年6月3日，福建援疆工作队向昌吉州玛纳斯县二十个村的农家书屋送去图书一万二千册。",
        "这些图书涵盖农业技术、少儿读物和法律常识，工作队还为每个书屋配备了电子阅读器。",
        "玛纳斯县文化馆负责人表示，书屋将在周末开展读书会，吸引更多村民走进书屋。",
    ),
    "2024-06-03",
)
