"""People and organisations: known names, and names jieba tags that their context confirms."""

import pytest

from corpus import datafiles
from corpus.entities import _is_han, dotted_people, infer_entities, infer_names, tagged_people


@pytest.mark.parametrize(
    ("word", "han"),
    [("吐尼亚孜", True), ("一", True), ("\u9fff", True), ("", False), ("Ali", False), ("阿里2", False),
     ("\u4dff", False), ("\ua000", False), ("·", False)],
)
def test_a_name_piece_is_han_characters_only(word: str, han: bool) -> None:
    assert _is_han(word) is han


def tagged(*pairs: str) -> list[tuple[str, str]]:
    """A tag sequence from "word/tag" strings."""
    return [tuple(pair.rsplit("/", 1)) for pair in pairs]  # type: ignore[misc]


def test_known_names_in_order_of_appearance_from_the_first_character_on() -> None:
    assert infer_names("马兴瑞和陈吉宁来到上海援克前指。") == (("马兴瑞", "陈吉宁"), ("上海援克前指",))
    assert infer_names("陈吉宁看望了医疗队。") == (("陈吉宁",), ())
    # A name named twice stands where it is first named.
    assert infer_names("马兴瑞和陈吉宁来了，马兴瑞说。") == (("马兴瑞", "陈吉宁"), ())
    assert infer_names("医疗队在村里义诊。") == ((), ())


@pytest.mark.parametrize(
    ("tags", "people"),
    [
        # A title just before a name at the start of the tags, or at their end.
        (tagged("书记/n", "王建国/nr"), ("王建国",)),
        (tagged("王建国/nr", "说/v"), ("王建国",)),
        # A title cut into three words is read whole; the fourth word back is not read.
        (tagged("前方/n", "指挥/n", "长/n", "王建国/nr"), ("王建国",)),
        (tagged("书记/n", "和/c", "他/r", "的/uj", "王建国/nr"), ()),
        # A tagged word beside a dot is part of a transliterated name, not a name of its own: the
        # word just before it or just after it is read, and a name at the start has no word before.
        (tagged("书记/n", "王建国/nr", "·/x", "吐尔逊/nr"), ()),
        (tagged("艾尔肯/nr", "·/x", "马明/nr", "说/v"), ()),
        (tagged("·/x", "马明/nr", "说/v"), ()),
        (tagged("马明/nr", "说/v", "·/x"), ("马明",)),
    ],
)
def test_tagged_people_read_the_words_around_a_name(tags: list[tuple[str, str]], people: tuple[str, ...]) -> None:
    assert tagged_people(tags) == people


@pytest.mark.parametrize(
    ("tags", "people"),
    [
        (tagged("主席/n", "艾尔肯/nr", "·/x", "吐尼亚孜/nr", "说/v"), ("艾尔肯·吐尼亚孜",)),
        (tagged("，/x", "买买提/nr", "·/x", "吐尔逊/nr", "介绍/v"), ("买买提·吐尔逊",)),
        (tagged("自治区/ns", "主席/n", "艾尔肯/nr", "·/x", "吐尼亚孜/nr"), ("艾尔肯·吐尼亚孜",)),
        # A title as the first word, or cut into words, confirms a name with nothing after it.
        (tagged("主席/n", "艾尔肯/nr", "·/x", "吐尼亚孜/nr"), ("艾尔肯·吐尼亚孜",)),
        (tagged("指挥/n", "长/n", "艾尔肯/nr", "·/x", "吐尼亚孜/nr"), ("艾尔肯·吐尼亚孜",)),
        # Without a title before or a speech word after, no name.
        (tagged("看到/v", "阿依古丽/nr", "·/x", "买买提/nr", "的/uj", "照片/n"), ()),
        # Three parts; a part of several words; any of the dots.
        (tagged("院长/n", "买买提/nr", "·/x", "吐尔逊/nr", "·/x", "艾力/nr", "说/v"), ("买买提·吐尔逊·艾力",)),
        (tagged("主席/n", "艾尔肯/nr", "•/x", "吐尼/nr", "亚孜/nr", "说/v"), ("艾尔肯·吐尼亚孜",)),
        (tagged("主席/n", "艾尔肯/nr", "・/x", "吐尼亚孜/nr", "说/v"), ("艾尔肯·吐尼亚孜",)),
        (tagged("主席/n", "艾尔肯/nr", "‧/x", "吐尼亚孜/nr", "说/v"), ("艾尔肯·吐尼亚孜",)),
        # A part ends at a speech word, a function word or a word that is no Han characters.
        (tagged("主席/n", "艾尔肯/nr", "·/x", "吐尼亚孜/nr", "在/p", "会上/s"), ("艾尔肯·吐尼亚孜",)),
        (tagged("主席/n", "艾尔肯/nr", "·/x", "吐尼亚孜/nr", "和/c", "他/r"), ("艾尔肯·吐尼亚孜",)),
        (tagged("主席/n", "艾尔肯/nr", "·/x", "吐尼亚孜/nr", "的/uj", "讲话/n"), ("艾尔肯·吐尼亚孜",)),
        (tagged("主席/n", "艾尔肯/nr", "·/x", "吐尼亚孜/nr", "，/x"), ("艾尔肯·吐尼亚孜",)),
        # A part stops growing at eight characters.
        (tagged("主席/n", "艾尔肯/nr", "·/x", "阿不都热/nr", "合曼买买/nr", "提江/nr"), ("艾尔肯·阿不都热合曼买买",)),
        # No name: a dot first, a word before it that is no Han name, nothing or no Han word after it.
        (tagged("·/x", "吐尔逊/nr", "说/v"), ()),
        (tagged("主席/n", "Ali/eng", "·/x", "吐尔逊/nr", "说/v"), ()),
        (tagged("主席/n", "艾尔肯/nr", "·/x"), ()),
        (tagged("主席/n", "艾尔肯/nr", "·/x", "2024/m", "说/v"), ()),
        # Two names, each once.
        (
            tagged("主席/n", "艾尔肯/nr", "·/x", "吐尼亚孜/nr", "说/v", "，/x", "院长/n", "买买提/nr", "·/x",
                   "吐尔逊/nr", "介绍/v", "，/x", "艾尔肯/nr", "·/x", "吐尼亚孜/nr", "说/v"),
            ("艾尔肯·吐尼亚孜", "买买提·吐尔逊"),
        ),
    ],
)
def test_dotted_people(tags: list[tuple[str, str]], people: tuple[str, ...]) -> None:
    assert dotted_people(tags) == people


def test_a_tagged_organisation_that_is_a_known_person_is_left_out() -> None:
    tags = tagged("在/p", "示例大学/nt")
    assert infer_entities(tags, people=("示例大学",)) == (("示例大学",), ())
    assert infer_entities(tags) == ((), ("示例大学",))


def test_known_names_alone_keep_their_order_once_each() -> None:
    tags = tagged("刘琛/nr", "和/c", "陈吉宁/nr")
    assert infer_entities(tags, people=("陈吉宁", "刘琛", "陈吉宁")) == (("陈吉宁", "刘琛"), ())


def test_a_tagged_name_that_names_tsv_lists_as_an_organisation_is_no_person(monkeypatch: pytest.MonkeyPatch) -> None:
    tags = tagged("书记/n", "马兰/nr", "说/v")
    assert tagged_people(tags) == ("马兰",)
    monkeypatch.setattr(datafiles, "names", lambda: {"马兰": "org"})
    assert tagged_people(tags) == ()


def test_a_tagged_name_named_twice_stands_where_it_is_first_named() -> None:
    tags = tagged("书记/n", "王建国/nr", "会见/v", "陈吉宁/nr", "，/x", "王建国/nr", "说/v")
    assert infer_entities(tags, people=("陈吉宁",)) == (("王建国", "陈吉宁"), ())
