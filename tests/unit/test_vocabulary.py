"""Finding words by sound and spelling: pinyin, initials, near-pinyin, one-character fixes, completion."""

import pytest

from search.vocabulary import Vocabulary, fuzzy_syllable, initials, is_pinyin_text, syllables


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary(
        {"克拉玛依": 9, "克拉玛依市": 6, "干部": 12, "千部": 0, "援疆": 15, "和田": 7, "喀什": 3, "上海": 10,
         "陈吉宁": 2, "克服": 1, "沙漠": 2, "科技": 4, "ICU": 3, "一": 40},
        entities=["克拉玛依", "陈吉宁", "和田", "喀什", "艾尔肯·吐尼亚孜"],
    )


def test_sounds() -> None:
    assert syllables("克拉玛依") == ["ke", "la", "ma", "yi"]
    assert initials("克拉玛依") == "klmy"
    assert [fuzzy_syllable(s) for s in ("zhang", "chen", "shi", "ning", "lan")] == ["zan", "cen", "si", "lin", "lan"]
    assert is_pinyin_text("ke la ma yi") and is_pinyin_text("xi'an") and not is_pinyin_text("克拉") and not is_pinyin_text("2023")


def test_only_chinese_words_of_two_to_eight_characters_and_named_entities_are_kept(vocabulary: Vocabulary) -> None:
    assert set(vocabulary.entries) == {"上海", "和田", "喀什", "克拉玛依", "克拉玛依市", "克服", "千部", "干部", "援疆", "沙漠",
                                       "科技", "陈吉宁", "艾尔肯·吐尼亚孜"}
    assert vocabulary.complete("艾尔") == ["艾尔肯·吐尼亚孜"]
    assert vocabulary.sounding_like("aierken") == []  # a part of a name is no spelling of it
    assert vocabulary.complete("aierken") == ["艾尔肯·吐尼亚孜"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("克拉马依", "克拉玛依"),  # same pinyin
        ("千部", "干部"),  # one character off, a frequent word
        ("和天", "和田"),  # one character off
        ("沉吉宁", "陈吉宁"),  # same pinyin, an entity
        ("克拉玛依", None),  # already right
        ("援疆", None),
        ("完全不对", None),
        ("abc", None),
    ],
)
def test_correction(vocabulary: Vocabulary, typed: str, meant: str | None) -> None:
    assert vocabulary.correction(typed) == meant


def test_near_pinyin_correction() -> None:
    vocabulary = Vocabulary({"沙漠": 5, "上海": 8})
    assert vocabulary.correction("萨漠") == "沙漠"  # sa ~ sha
    assert vocabulary.correction("尚海") == "上海"  # same toneless pinyin


@pytest.mark.parametrize(
    ("syllable", "fuzzy"),
    [("zhang", "zan"), ("zan", "zan"), ("cheng", "cen"), ("chen", "cen"), ("feng", "fen"), ("ling", "lin"),
     ("ning", "lin"), ("shi", "si"), ("nong", "long"), ("ang", "an"), ("er", "er"), ("n", "l")],
)
def test_every_near_pinyin_confusion_folds(syllable: str, fuzzy: str) -> None:
    # zh/z, ch/c, sh/s, n/l, ang/an, eng/en, ing/in: each pair folds to the same key (ong is no eng).
    assert fuzzy_syllable(syllable) == fuzzy


def test_a_back_nasal_typed_for_a_front_one_is_corrected() -> None:
    vocabulary = Vocabulary({"陈吉宁": 5, "风景": 6, "沙漠": 4})
    assert vocabulary.correction("程吉宁") == "陈吉宁"  # cheng ~ chen
    assert vocabulary.correction("分景") == "风景"  # fen ~ feng


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("kelamayi", ["克拉玛依"]),
        ("Ke La Ma Yi", ["克拉玛依"]),
        ("klmy", ["克拉玛依"]),
        ("cjn", ["陈吉宁"]),
        ("chenjining", ["陈吉宁"]),
        ("kj", []),  # initials need three letters
        ("hetian", ["和田"]),
        ("xyz", []),
    ],
)
def test_sounding_like(vocabulary: Vocabulary, text: str, words: list[str]) -> None:
    assert vocabulary.sounding_like(text) == words


def test_complete_in_characters_and_pinyin(vocabulary: Vocabulary) -> None:
    assert vocabulary.complete("克") == ["克拉玛依", "克拉玛依市", "克服"]
    assert vocabulary.complete("克拉玛依市") == ["克拉玛依市"]
    assert vocabulary.complete("ke") == ["克拉玛依", "克拉玛依市", "科技", "克服"]
    assert vocabulary.complete("kl") == ["克拉玛依"]
    assert vocabulary.complete("  ") == []
    assert vocabulary.complete("克", limit=1) == ["克拉玛依"]


def test_stray_segments_are_no_corrections_or_readings_and_complete_last() -> None:
    # 援克新 and 援到 are pieces jieba cut from 援克新闻 and 援到 …: rare, in no dictionary.
    vocabulary = Vocabulary({"援疆": 9, "援建": 4, "援克新": 1, "援到": 1, "援派": 1, "克新": 5},
                            dictionary=lambda word: word in {"援疆", "援建", "援派"})
    assert vocabulary.complete("援") == ["援疆", "援建", "援派", "援到", "援克新"]
    assert vocabulary.correction("援克辛") is None  # one character off 援克新, which is no known word
    assert vocabulary.sounding_like("yuandao") == []
    assert vocabulary.correction("元疆") == "援疆"
    assert vocabulary.sounding_like("kexin") == ["克新"]  # used by 3 or more articles: known


def test_a_real_or_indexed_word_is_not_corrected_to_one_a_character_off() -> None:
    vocabulary = Vocabulary({"进行": 20, "银行": 1, "新疆": 30, "新冠": 1, "热情": 9},
                            dictionary=lambda word: word in {"进行", "银行", "新疆", "热情", "疫情"})
    assert vocabulary.correction("银行") is None  # a word of the dictionary
    assert vocabulary.correction("疫情") is None  # in the dictionary, though in no article
    assert vocabulary.correction("新冠") is None  # no dictionary word, but articles use it
    assert vocabulary.correction("新僵") == "新疆"  # same pinyin
    assert vocabulary.correction("新彊") == "新疆"  # one character off, and no word at all


def test_only_words_used_by_no_more_articles_than_were_deleted_are_asked_whether_still_used():
    asked = []

    def present(word: str) -> bool:
        asked.append(word)
        return word != "沙尘"

    vocabulary = Vocabulary({"沙漠": 9, "沙尘": 3, "沙枣": 2}, present=present, deleted=3)
    assert vocabulary.complete("沙") == ["沙漠", "沙枣"]
    assert sorted(asked) == ["沙尘", "沙枣"]  # 沙漠, in 9 articles, cannot be in the 3 deleted ones only
