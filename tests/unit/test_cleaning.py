"""Character-level cleaning of OCR lines."""

import pytest

from corpus.cleaning import (
    bigrams,
    clean_headline,
    clean_line,
    ends_sentence,
    fold_fullwidth,
    join_fragments,
    squeeze_spaces,
    without_glosses,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("新疆日报阿克苏 12月 10 日讯", "新疆日报阿克苏12月10日讯"),
        ("援 疆 工 作 进 行 时", "援疆工作进行时"),
        ("和田 20 家企业 117 种产品亮相上海交易会", "和田20家企业117种产品亮相上海交易会"),
        ("地区融媒讯 （记者 张亚辉）12", "地区融媒讯（记者张亚辉）12"),
        ("外科 ICU 病房", "外科 ICU 病房"),
        ("引进头部 MCN 机构", "引进头部 MCN 机构"),
        ("2029 2030年", "2029 2030年"),
        ("今 年 3 月 ，在 上 海 举 办 的", "今年3月，在上海举办的"),
        ("天山泰山手牵手, 塔河东海心连心。", "天山泰山手牵手,塔河东海心连心。"),
        ('一系列 "打基础、利长远"的援疆新举措, 已精准实施', '一系列"打基础、利长远"的援疆新举措,已精准实施'),
        ('变"输血"为"造血" 助力打造现代产业体系', '变"输血"为"造血"助力打造现代产业体系'),
        ('he said, "yes" and "no"', 'he said, "yes" and "no"'),
        ("2029, 2030年", "2029, 2030年"),
        ("smart   city", "smart city"),  # runs of blanks between Latin words become one space
        ("2029\t 2030年", "2029 2030年"),
        ("记者\x00报道 2029 2030年", "记者\x00报道2029 2030年"),  # a NUL in the line is no kept gap
        ("外科 \t ICU", "外科 ICU"),
    ],
)
def test_squeeze_spaces(raw: str, clean: str) -> None:
    assert squeeze_spaces(raw) == clean


def test_fold_fullwidth_keeps_chinese_punctuation() -> None:
    assert fold_fullwidth("２０２３年，ＩＣＵ（一）：５％") == "2023年，ICU（一）：5%"


def test_clean_line_strips_bom_and_edges() -> None:
    assert clean_line("\ufeff  克拉 玛依 \u3000") == "克拉玛依"


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("形成。", True),
        ("日子比冰糖还甜。”", True),
        ("“现在生活越来越好，日子比冰糖还甜”", False),
        ("学科体系更趋完善，", False),
        ("克拉玛依", False),
        ("（草案）", False),
        ("作出积极贡献。”", True),
        ("一是加强基础设施建设；", True),  # a clause of a list ends at a semicolon
        ("first, build the road;", True),
        ("问题在于：", False),
        ("你来了吗？", True),
        ("太好了!", True),
        ("未完待续……", True),
        ("形成。  ", True),  # trailing blanks are no part of the sentence
        ("好！就这样”", False),  # a quotation with an exclamation inside it goes on
        ("“来！快”", False),
    ],
)
def test_ends_sentence(text: str, ends: bool) -> None:
    assert ends_sentence(text) is ends


def test_join_fragments_spaces_only_between_latin_words() -> None:
    assert join_fragments("克拉", "玛依") == "克拉玛依"
    assert join_fragments("smart", "city") == "smart city"
    assert join_fragments("6.5万个标准机", "柜") == "6.5万个标准机柜"
    # Digits are no Latin words: 5 + G is 5G, G + 5 is G5, 2023 + 年 is 2023年.
    assert join_fragments("5", "G") == "5G"
    assert join_fragments("G", "5") == "G5"
    assert join_fragments("2023", "年") == "2023年"
    # Full-width or other non-ASCII letters are no Latin words either.
    assert join_fragments("Ｇ", "city") == "Ｇcity"
    assert join_fragments("smart", "é") == "smarté"
    assert (join_fragments("", "city"), join_fragments("smart", "")) == ("city", "smart")


def test_bigrams_ignore_non_cjk() -> None:
    assert bigrams("和田 20 家") == {"和田", "田家"}


def test_pinyin_glosses_after_characters_are_removed() -> None:
    assert without_glosses("對(duì)口支援(zhī yuán)") == "對口支援(zhī yuán)"  # a gloss is one syllable
    assert without_glosses("對(duì)口(kǒu)支援") == "對口支援"
    assert without_glosses("克拉玛依(Karamay)") == "克拉玛依(Karamay)"  # no tone mark: no gloss


@pytest.mark.parametrize(
    ("raw", "headline"),
    [
        # The space between a headline's phrases stays, as one space.
        ("八千里路跨越  二十七载情牵", "八千里路跨越 二十七载情牵"),
        ("对口援疆 情暖兵团·专访 | 山西省:晋疆情深 万里绘宏图", "对口援疆 情暖兵团·专访 | 山西省:晋疆情深 万里绘宏图"),
        ("湖南援疆结硕果 “门洞商店”印证幸福变迁", "湖南援疆结硕果 “门洞商店”印证幸福变迁"),
        ("“辉煌七十年” 奋进新征程", "“辉煌七十年” 奋进新征程"),
        ("携手“赣” 绘“疆”来", "携手“赣” 绘“疆”来"),
        ("项目开工86个 涉及民生", "项目开工86个 涉及民生"),
        ("江西援疆: 全力建设好江西“特殊第一县”", "江西援疆: 全力建设好江西“特殊第一县”"),
        # OCR's spaces between single characters and beside numbers go, as in any line.
        ("援 疆 工 作 进 行 时", "援疆工作进行时"),
        ("新疆日报阿克苏 12月 10 日讯", "新疆日报阿克苏12月10日讯"),
        ("援疆 工 作", "援疆工作"),
        ("江西援疆： 全力建设", "江西援疆：全力建设"),  # none after Chinese punctuation either
        # Symbols decorating its ends go; those inside stay.
        ("✳️湖南援疆结硕果🥓", "湖南援疆结硕果"),
        ("● 援疆新闻 ★", "援疆新闻"),
        ("援疆★新闻", "援疆★新闻"),
        ("《援疆》", "《援疆》"),
    ],
)
def test_a_headline_keeps_the_spaces_between_its_phrases(raw: str, headline: str) -> None:
    assert clean_headline(raw) == headline
