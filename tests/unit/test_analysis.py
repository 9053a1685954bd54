"""Folding, the word-character stream and words."""

import hashlib
from collections import OrderedDict

from whoosh.analysis import Token

from indexer import analysis
from indexer.analysis import (
    ANALYSIS_VERSION,
    FacetTokenizer,
    WordTokenizer,
    entities,
    fold,
    reference_words,
    stream,
    stream_offsets,
    tags,
    words,
)
from indexer.analysis import _remember, _Segmenter, _segmenter, analysis_signature


def test_fold_traditional_fullwidth_and_case():
    assert fold("援疆幹部 ＡＢＣ Ｈｅｌｌｏ ①") == "援疆干部 abc hello 1"


def test_fold_is_per_character_so_lengths_can_change():
    assert fold("㈱ﬁ") == "(株)fi"


def test_stream_drops_punctuation_and_layout_whitespace():
    assert stream("克拉\n\n玛依，你是沙漠美人！Hello, World_2") == "克拉玛依你是沙漠美人helloworld2"


def test_stream_offsets_point_into_the_original_text():
    text = "㈱克拉 Ｈi"
    assert stream_offsets(text) == ("株克拉hi", [0, 1, 2, 4, 5])


def test_stream_of_a_substring_is_a_substring_of_the_stream():
    text = "援疆幹部深入和田地區，開展「醫療」服務。"
    whole = stream(text)
    for i in range(len(text)):
        for j in range(i + 1, len(text) + 1):
            assert stream(text[i:j]) in whole


def test_words_use_the_user_dictionary():
    assert words("陈吉宁率上海市代表团") == ["陈吉宁", "率", "上海市", "代表团"]


def test_words_join_cjk_across_line_breaks():
    assert words("克拉\n\n玛依的石油") == ["克拉玛依", "的", "石油"]


def test_words_split_ranges_and_drop_punctuation():
    assert words("（2023-2025年）") == ["2023", "2025", "年"]


def test_words_keep_latin_unstemmed_lowercase_and_single_characters():
    assert words("Hello World running a+b 5G") == ["hello", "world", "running", "a", "b", "5g"]


def test_words_fold_traditional():
    assert words("援疆幹部") == ["援疆", "干部"]


def test_word_tokenizer_positions_are_token_indexes():
    tokens = [(t.text, t.pos) for t in WordTokenizer()("上海对口支援", positions=True)]
    assert tokens == [("上海", 0), ("对口", 1), ("支援", 2)]


def test_word_tokenizer_passes_pre_analysed_tokens_through():
    tokens = [(t.text, t.pos) for t in WordTokenizer()(["a", "b"], positions=True)]
    assert tokens == [("a", 0), ("b", 1)]


def test_word_tokenizer_makes_whoosh_tokens():
    assert isinstance(next(iter(WordTokenizer()("a"))), Token)


def token_state(token):
    return {name: getattr(token, name) for name in ("text", "positions", "chars", "stopped", "boost", "removestops",
                                                    "mode")}


def test_tokens_carry_what_whoosh_s_filters_and_formats_read():
    # Whoosh passes chars=True when it wants character offsets: there are none, and no error either.
    index_tokens = [(token_state(t), t.pos) for t in WordTokenizer()("上海援疆", positions=True, chars=True, mode="index")]
    plain = {"positions": True, "chars": False, "stopped": False, "boost": 1.0, "removestops": True, "mode": "index"}
    assert index_tokens == [({"text": "上海", **plain}, 0), ({"text": "援疆", **plain}, 1)]
    query = [token_state(t) for t in WordTokenizer()(["上海"], chars=True, mode="query")]
    assert query == [{"text": "上海", **plain, "positions": False, "mode": "query"}]


def test_facet_tokenizer_keeps_each_value_verbatim_as_one_token():
    plain = {"positions": False, "chars": False, "stopped": False, "boost": 1.0, "removestops": True, "mode": "index"}
    tokens = [token_state(t) for t in FacetTokenizer()(("和田", "克拉玛依市"), chars=True, mode="index")]
    assert tokens == [{"text": "和田", **plain}, {"text": "克拉玛依市", **plain}]
    single = [(token_state(t), t.pos) for t in FacetTokenizer()("援疆 干部", positions=True)]
    assert single == [({"text": "援疆 干部", **plain, "positions": True, "mode": ""}, 0)]


def test_python_jieba_the_reference_gives_the_same_words_with_the_user_dictionary():
    text = "上海对口支援克拉玛依市，2023-2025年"
    assert reference_words(text) == words(text) == ["上海", "对口", "支援", "克拉玛依市", "2023", "2025", "年"]


def test_counted_frequency_counts_a_token_list_like_whoosh():
    from whoosh.formats import Frequency
    from whoosh.system import pack_uint

    from indexer.schema import CountedFrequency

    tokens = ["援疆", "干部", "援疆"]
    ours = list(CountedFrequency().word_values(tokens, WordTokenizer()))
    theirs = list(Frequency().word_values(tokens, WordTokenizer()))
    assert ours == theirs == [("援疆", 2, 2.0, pack_uint(2)), ("干部", 1, 1.0, pack_uint(1))]


ENTITY_TEXT = "上海市委书记陈吉宁在喀什考察，自治区主席艾尔肯·吐尼亚孜出席。复旦大学教授王建国说，高级中学。"


def test_tags_are_the_words_with_their_part_of_speech():
    assert tags("复旦大学教授王建国说，高级中学。") == [
        ("复旦大学", "nt"), ("教授", "n"), ("王建国", "nr"), ("说", "v"), (",", "x"), ("高级中学", "nt"), ("。", "x"),
    ]


def test_entities_keep_the_known_names_and_add_the_tagged_ones_in_order():
    people, orgs = entities("陈吉宁率团考察", ENTITY_TEXT, people=("陈吉宁", "艾尔肯·吐尼亚孜"))
    assert people == ("陈吉宁", "艾尔肯·吐尼亚孜", "王建国")
    assert orgs == ("上海市委", "复旦大学")


def test_characters_folded_one_by_one_fold_as_the_whole_table_does():
    # A fresh interpreter, so that the table is not built yet: up to 50,000 characters are folded
    # as they come (a terminal search), then the whole table is built; both must agree with
    # fold_char, which asks OpenCC for one character at a time.
    # The characters: circled digits, radicals, CJK punctuation, enclosed CJK, every other unified
    # ideograph, compatibility ideographs and ligatures, full-width forms.
    import subprocess
    import sys

    code = (
        "from corpus import folding\n"
        "ranges = [*range(0x2460, 0x2500), *range(0x2E80, 0x2FE0), *range(0x3000, 0x3100), *range(0x3200, 0x3400),\n"
        "          *range(0x4E00, 0xA000, 2), *range(0xF900, 0xFB07), *range(0xFF00, 0xFFF0)]\n"
        "chars = [chr(c) for c in ranges if chr(c).isprintable()]\n"
        "texts = [''.join(chars[i:i + 500]) for i in range(0, len(chars), 500)]\n"
        "one_by_one = [(folding.fold(t), folding.stream_offsets(t)) for t in texts]\n"
        "assert not folding._table_built, 'the table was built before 50,000 characters'\n"
        "def as_fold_char():\n"  # each character as folded on its own (OpenCC asked for it alone)
        "    return all(folding._fold_table.get(c, c) == folding.fold_char(c) for c in chars)\n"
        "learned = as_fold_char()\n"
        "folding.build_folding()\n"
        "print(len(chars), learned, as_fold_char(),\n"
        "      one_by_one == [(folding.fold(t), folding.stream_offsets(t)) for t in texts])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout == "12452 True True True\n", done.stderr


def test_a_memo_keeps_the_four_most_recently_used_values():
    memo: OrderedDict[str, str] = OrderedDict()
    for key in "abcd":
        _remember(memo, key, key.upper())
    _remember(memo, "a", "A")  # used again: now the most recent
    _remember(memo, "e", "E")
    assert list(memo.items()) == [("c", "C"), ("d", "D"), ("a", "A"), ("e", "E")]


def test_the_organisations_an_article_is_known_to_name_are_all_kept():
    org = "上海市对口支援新疆工作前方指挥部"
    assert entities("援疆", "援疆干部走进社区。", (), (org,)) == ((), (org,))


def test_the_signature_hashes_the_user_dictionary_and_the_name_rules(monkeypatch):
    monkeypatch.setattr(analysis, "user_dictionary", lambda: ("援疆干部", "克拉玛依"))
    monkeypatch.setattr(analysis, "entity_rules", lambda: ("nr", "nt"))
    digest = hashlib.sha1("援疆干部\n克拉玛依\n\nnr\nnt".encode()).hexdigest()[:12]
    assert analysis_signature() == f"{ANALYSIS_VERSION}:{digest}"


def test_tokens_carry_the_mode_and_the_options_whoosh_asks_for():
    found = [(t.text, t.pos, t.mode, t.removestops) for t in WordTokenizer()("援疆干部", positions=True, removestops=False)]
    assert found == [("援疆", 0, "", False), ("干部", 1, "", False)]


def test_a_new_segmenter_builds_its_own_segmenters_with_the_user_dictionary():
    segmenter = _Segmenter()
    assert segmenter.rjieba() is _segmenter.rjieba()  # rjieba's default segmenter, the dictionary added
    assert list(segmenter.jieba().cut("援疆干部走进克拉玛依")) == list(_segmenter.jieba().cut("援疆干部走进克拉玛依"))
    assert segmenter.jieba() is not _segmenter.jieba()


def test_a_text_tagged_again_and_an_article_read_again_are_remembered(monkeypatch):
    segmenter = _segmenter.rjieba()
    tagged: list[str] = []

    class Counting:
        def tag(self, text):
            tagged.append(text)
            return segmenter.tag(text)

        def cut(self, text):
            return segmenter.cut(text)

    monkeypatch.setattr(_segmenter, "_rjieba", Counting())
    text = "援疆医生在和田巡诊第七天"
    assert tags(text) == tags(text)
    assert tagged == [text]
    inferred = []
    real_infer = analysis.infer_entities
    monkeypatch.setattr(analysis, "infer_entities", lambda *args: inferred.append(args) or real_infer(*args))
    assert entities("巡诊第七天", text) == entities("巡诊第七天", text)
    assert len(inferred) == 1
