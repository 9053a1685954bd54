"""Highlighting: exact character spans, escaping, snippets and whole-article HTML."""

from search.highlight import article_html, mark, match_spans, snippet
from search.query import Term


def spans(text, *typed, field="text"):
    return match_spans(text, [Term(t) for t in typed], field)


def test_overlapping_matches_merge_into_one_mark():
    text = "学习马克思主义"
    assert spans(text, "马克思", "马克") == [(2, 5)]
    assert mark(text, spans(text, "马克思", "马克")) == "学习<mark>马克思</mark>主义"


def test_substring_inside_a_jieba_word_is_marked():
    text = "智能网联汽车"
    assert mark(text, spans(text, "网联")) == "智能<mark>网联</mark>汽车"


def test_every_occurrence_is_marked_including_overlapping_ones():
    assert spans("哈哈哈哈", "哈哈") == [(0, 4)]
    assert spans("克拉玛依市克拉玛依", "克拉玛依") == [(0, 4), (5, 9)]
    # An odd run: the match at 1 overlaps the one at 0, so the next search starts a character on.
    assert spans("哈哈哈", "哈哈") == [(0, 3)]
    assert mark("笑声哈哈哈。", spans("笑声哈哈哈。", "哈哈")) == "笑声<mark>哈哈哈</mark>。"


def test_folded_match_marks_the_original_characters():
    text = "北京援疆幹部深入"
    assert mark(text, spans(text, "援疆干部")) == "北京<mark>援疆幹部</mark>深入"


def test_punctuation_and_line_breaks_inside_a_match_stay_unmarked():
    text = "克拉\n\n玛依，你好"
    assert spans(text, "克拉玛依") == [(0, 2), (4, 6)]


def test_offsets_survive_folding_that_changes_length():
    text = "㈱克拉玛依"
    assert mark(text, spans(text, "株克")) == "<mark>㈱克</mark>拉玛依"


def test_text_is_escaped_before_marks_are_inserted():
    text = "<b>A&B</b> 援疆"
    assert mark(text, spans(text, "援疆", "b")) == (
        "&lt;<mark>b</mark>&gt;A&amp;<mark>B</mark>&lt;/<mark>b</mark>&gt; <mark>援疆</mark>"
    )


def test_title_only_terms_do_not_mark_the_text():
    terms = [Term("上海", field="title")]
    assert match_spans("上海", terms, "text") == []
    assert match_spans("上海", terms, "title") == [(0, 2)]


def test_snippet_shows_context_around_matches_on_one_line():
    text = "甲" * 40 + "\n克拉玛依" + "乙" * 40
    assert snippet(text, spans(text, "克拉玛依"), context=5) == "…甲甲甲甲 <mark>克拉玛依</mark>乙乙乙乙乙…"


def test_snippet_joins_separate_fragments_with_ellipses():
    text = "上海" + "。" * 100 + "上海" + "。" * 100 + "上海"
    assert snippet(text, spans(text, "上海"), fragments=2, context=1) == (
        "<mark>上海</mark>。…。<mark>上海</mark>。…"
    )


def test_snippet_without_matches_is_the_start_of_the_text():
    assert snippet("援疆" * 100, []) == "援疆" * 60 + "…"
    assert snippet("a<b", []) == "a&lt;b"


def test_highlights_are_not_cut_at_32768_characters():
    text = "援" * 40000 + "克拉玛依"
    assert spans(text, "克拉玛依") == [(40000, 40004)]


def test_article_html_marks_every_match_in_paragraphs():
    text = "上海对口支援克拉玛依。\n\n克拉玛依<市>\n"
    html, count = article_html(text, spans(text, "克拉玛依"))
    assert html == "<p>上海对口支援<mark>克拉玛依</mark>。</p><p><mark>克拉玛依</mark>&lt;市&gt;</p>"
    assert count == 2


def test_article_html_handles_windows_line_ends():
    text = "援疆\r\n干部"
    assert article_html(text, spans(text, "干部")) == ("<p>援疆</p><p><mark>干部</mark></p>", 1)


def test_a_fragment_takes_the_matches_ending_within_50_characters_of_its_first():
    # 援疆 at 10, 80, 200 and 248: the last ends 50 characters after the third begins, so the third
    # fragment holds both; with three fragments at most, nothing else is left to show.
    filler = "各族群众团结奋斗" * 40
    text = filler[:10] + "援疆" + filler[12:80] + "援疆" + filler[82:200] + "援疆" + filler[202:248] + "援疆" + filler[250:320]
    marked = spans(text, "援疆")
    assert marked == [(10, 12), (80, 82), (200, 202), (248, 250)]

    def shown(lo, hi):
        return mark(text, marked, lo, hi)

    assert snippet(text, marked) == shown(0, 37) + "…" + shown(55, 107) + "…" + shown(175, 275) + "…"
    # One character further and the last match is a fragment of its own, past the third.
    later = text[:248] + "团" + text[248:319]
    assert snippet(later, spans(later, "援疆")) == (
        mark(later, [(10, 12)], 0, 37) + "…" + mark(later, [(80, 82)], 55, 107) + "…"
        + mark(later, [(200, 202)], 175, 227) + "…")


def test_a_snippet_starts_with_an_ellipsis_only_when_it_leaves_out_the_start():
    text = "今年春天工作队走访了三个村子。援疆医生在乡卫生院坐诊。"
    at = text.index("援疆")  # 15
    assert snippet(text, spans(text, "援疆"), context=at) == "今年春天工作队走访了三个村子。<mark>援疆</mark>医生在乡卫生院坐诊。"
    assert snippet(text, spans(text, "援疆"), context=at - 1) == "…年春天工作队走访了三个村子。<mark>援疆</mark>医生在乡卫生院坐诊。"
    assert snippet(text, spans(text, "援疆"), context=3) == "…村子。<mark>援疆</mark>医生在…"


def test_mark_leaves_out_the_spans_outside_its_stretch():
    text = "援疆干部人才援疆"
    assert mark(text, [(0, 2), (6, 8)], 2, 6) == "干部人才"
    assert mark(text, [(0, 3), (5, 8)], 2, 6) == "<mark>干</mark>部人<mark>才</mark>"
