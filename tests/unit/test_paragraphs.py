"""A page's layout, one rule at a time: captions in a figure's gap, headlines, and the paragraphs lines join into.

Each test builds the lines corpus.lines would read (text, blank lines above, what was found) and checks
what the layout step makes of them.
"""

from corpus.lines import Line
from corpus.paragraphs import (
    Paragraph,
    _boundary_before,
    _credit_follows,
    _heading_candidate,
    _kind,
    _mark_opening_headline,
    _new_paragraph,
    _unmark_bullets,
    _web_title,
    mark_captions,
    mark_headings,
    paragraphs,
)

WIDE = 40.0  # a line to a paragraph (a web page's text)
NARROW = 20.0  # a newspaper column
TITLE = "援疆干部走进社区"
SHORT_TITLE = "援疆新篇章"
FINISHED = "图书馆今天开放了。"
BODY = "援疆干部今天走进社区图书馆，为孩子们送去了新书和文具，孩子们都很高兴。"  # 35 characters
LONG_BODY = BODY + "社区的老人们也来到图书馆，读书看报，聊起了家常。"  # 59 characters
UNFINISHED = "援疆干部今天走进社区图书馆，为孩子们送去了新书和文具，还有"  # 29 characters
DATELINE = "本报讯（记者王明）3月5日，援疆干部走进社区。"


def line(text: str, blanks: int = 0, **found: object) -> Line:
    return Line(text, blanks > 0, blanks=blanks, **found)  # type: ignore[arg-type]


def captions(spec: list[tuple[int, str]]) -> list[tuple[bool, bool]]:
    lines = [line(text, blanks) for blanks, text in spec]
    mark_captions(lines)
    return [(item.after_gap, item.caption) for item in lines]


def headings(lines: list[Line], width: float, web: bool = False) -> list[bool]:
    mark_headings(lines, width, web)
    return [item.heading for item in lines]


def opening(texts: list[str], width: float = WIDE) -> list[bool]:
    lines = [line(text) for text in texts]
    _mark_opening_headline(lines, width)
    return [item.heading for item in lines]


def test_a_heading_candidate_is_short_unfinished_and_has_two_chinese_characters() -> None:
    assert [_heading_candidate(text, WIDE) for text in ["援" * 48, "援" * 49, "援疆", "援A"]] == [True, False, True, False]
    assert [_heading_candidate(text, WIDE) for text in ["■援疆工作", "援疆工作：", "援疆工作X"]] == [False, False, True]
    # A comma rules a line out on a narrow page only (narrower than 30 characters).
    assert [_heading_candidate("援疆，工作", width) for width in (29.0, 30.0, WIDE)] == [False, True, True]


def test_a_web_title_is_at_most_64_characters_and_neither_a_credit_a_dateline_nor_a_caption() -> None:
    texts = ["援" * 64, "援" * 65, "援疆", "援AB", "王明摄", "本报讯", "■援疆", "援疆工作，", "援疆工作X"]
    assert [_web_title(text) for text in texts] == [True, False, True, False, False, False, False, False, True]


def test_a_paragraphs_kind() -> None:
    assert _kind("■" + "援" * 99, False) == "caption"
    assert _kind("■" + "援" * 100, False) == "body"
    assert _kind("3月26日，援疆干部走进社区。", False) == "dated"


def test_a_block_may_start_at_the_page_start_or_after_a_finished_line() -> None:
    lines = [line(UNFINISHED), line("新书和文具"), line(FINISHED), line(UNFINISHED)]
    assert [_boundary_before(lines, index) for index in range(4)] == [True, False, False, True]


def test_a_credit_within_eight_lines_makes_the_short_lines_above_it_a_caption() -> None:
    credit = line("王明摄")
    assert _credit_follows([line(TITLE), line("新书和文具"), credit], 0) is True
    assert _credit_follows([line(TITLE), line("新书和文具", heading=True), credit], 0) is False
    assert _credit_follows([line(TITLE), line(DATELINE), credit], 0) is False
    assert _credit_follows([line(TITLE)] * 8 + [credit], 0) is False
    assert _credit_follows([line(TITLE), line("新书和文具")], 0) is False


def test_a_short_finished_line_alone_in_a_wider_gap_than_between_paragraphs_is_a_caption() -> None:
    # The usual gap is one blank line; two make a figure's gap.
    assert captions([(0, BODY), (1, BODY), (2, FINISHED), (1, BODY)]) == [
        (False, False), (False, False), (True, True), (False, False)
    ]
    # The gap above the page's first line does not count, and that line is no caption.
    assert captions([(3, FINISHED), (1, BODY), (1, BODY)]) == [(False, False), (False, False), (False, False)]
    assert captions([(0, BODY), (3, FINISHED), (1, BODY), (1, BODY)]) == [
        (False, False), (True, True), (False, False), (False, False)
    ]
    # Where half the gaps are three blank lines wide, three are no wider than usual.
    assert captions([(0, BODY), (1, BODY), (1, BODY), (3, FINISHED), (3, FINISHED)]) == [(False, False)] * 5


def test_a_line_in_a_figures_gap_is_no_caption_if_text_runs_on_below_it_or_it_is_a_dateline_or_long() -> None:
    assert captions([(0, BODY), (1, BODY), (1, BODY), (3, FINISHED), (0, BODY)]) == [
        (False, False), (False, False), (False, False), (True, False), (False, False)
    ]
    above = [(0, BODY), (1, BODY), (1, BODY)]
    assert captions([*above, (2, DATELINE)]) == [(False, False)] * 3 + [(True, False)]
    hundred = "援" * 99 + "。"
    assert captions([*above, (2, hundred)]) == [(False, False)] * 3 + [(True, True)]
    assert captions([*above, (2, "援" + hundred)]) == [(False, False)] * 3 + [(True, False)]


def test_a_line_above_a_date_line_is_the_headline_and_takes_its_place_before_it() -> None:
    lines = [line("援疆新篇", before_meta=True), line(BODY)]
    assert headings(lines, NARROW) == [True, False]
    assert [item.before_meta for item in lines] == [True, False]
    # A stray word between the headline and the date line (创始人) is passed over.
    lines = [line(SHORT_TITLE), line("创始人", before_meta=True), line(BODY)]
    assert headings(lines, WIDE) == [True, False, False]
    assert [item.before_meta for item in lines] == [True, False, False]


def test_a_page_thirty_characters_wide_is_no_narrow_page() -> None:
    assert headings([line(TITLE), line(FINISHED)], 30.0) == [True, False]
    assert headings([line(TITLE), line(FINISHED)], 29.0) == [False, False]


def test_a_narrow_page_opens_with_a_headline_only_if_some_line_is_a_paragraph_of_sixty_characters() -> None:
    sixty = LONG_BODY + "。"
    assert len(sixty) == 60
    assert headings([line(TITLE), line(sixty)], NARROW) == [True, False]
    assert headings([line(TITLE), line(LONG_BODY)], NARROW) == [False, False]
    assert headings([line(TITLE), line(FINISHED)], NARROW) == [False, False]
    # A web page's does, and so does a wide page's.
    assert headings([line(TITLE), line(FINISHED)], NARROW, web=True) == [True, False]


def test_the_opening_headline_is_checked_even_when_the_second_line_is_a_headline() -> None:
    # On a narrow page a comma rules out a headline among the lines, not the page's opening one.
    assert headings([line("援疆，新篇章"), line("援疆干部走进社区送去新书", before_meta=True)], NARROW, web=True) == [True, True]


def test_a_page_opens_with_a_headline_when_a_finished_or_long_line_follows_it() -> None:
    assert opening([TITLE, FINISHED]) == [True, False]
    assert opening([TITLE, UNFINISHED[:20]]) == [True, False]  # half the width
    assert opening([TITLE, UNFINISHED[:19]]) == [False, False]
    assert opening([TITLE, "新书"]) == [False, False]
    assert opening([TITLE, DATELINE[:9]]) == [True, False]  # a dateline
    assert opening(["援" * 48, FINISHED]) == [True, False]
    assert opening(["援" * 49, FINISHED]) == [False, False]
    assert opening(["援疆干部走进社区。", FINISHED]) == [False, False]
    assert opening(["援疆干部走进社区，", FINISHED]) == [False, False]
    assert opening([FINISHED, TITLE]) == [False, False]


def test_subtitles_below_the_opening_headline_are_part_of_it() -> None:
    subtitle = "——" + "援" * 62
    assert opening([TITLE, subtitle, BODY]) == [True, True, False]
    assert opening([TITLE, subtitle + "援", BODY]) == [True, False, False]
    assert opening([TITLE, subtitle]) == [False, False]


def test_lines_above_a_dateline_are_its_headline_and_one_broken_after_a_comma_joins_them() -> None:
    representatives = "出席活动的有援疆干部代表，"
    assert headings([line(representatives), line(TITLE), line(DATELINE)], WIDE) == [True, True, False]
    # Only if the headline's first half opens a block, and is no longer than a headline.
    assert headings([line("援" * 50), line(representatives), line(TITLE), line(DATELINE)], WIDE) == [
        False, False, True, False
    ]
    assert headings([line(SHORT_TITLE), line("援" * 50), line(representatives), line(TITLE), line(DATELINE)], WIDE) == [
        True, False, False, True, False
    ]
    assert headings([line("援" * 47 + "，"), line(TITLE), line(DATELINE)], WIDE) == [True, True, False]
    assert headings([line("援" * 48 + "，"), line(TITLE), line(DATELINE)], WIDE) == [False, True, False]
    # And if the second half does not stand apart, below a blank line.
    assert headings([line(representatives), line(TITLE, 1), line(DATELINE)], WIDE) == [False, True, False]


def test_a_line_ending_otherwise_than_with_a_comma_is_no_broken_headline() -> None:
    text = "援疆干部和各族群众代表共同参加了活动X"  # too long for a short line of a narrow page
    assert headings([line(text), line(TITLE, 1), line(DATELINE)], NARROW) == [True, True, False]


def test_a_short_line_between_blocks_followed_by_a_blank_line_is_a_headline() -> None:
    # On a narrow page a short line (at most 80% of the width) above a blank line.
    sixteen, seventeen = "援疆干部走进社区送去新书和文具啊", "援疆干部走进社区送去新书和文具啊啊"
    assert headings([line(FINISHED), line(sixteen), line(FINISHED, 1)], NARROW) == [False, True, False]
    assert headings([line(FINISHED), line(seventeen), line(FINISHED, 1)], NARROW) == [False, False, False]
    # On a wide page, above a blank line and a long paragraph only, at any length.
    forty = "援" * 40
    assert headings([line(FINISHED), line(forty), line(BODY[:19] + "。", 1)], WIDE) == [False, True, False]
    assert headings([line(FINISHED), line(SHORT_TITLE), line(BODY[:18] + "。", 1)], WIDE) == [False, False, False]
    assert headings([line(FINISHED), line(SHORT_TITLE), line(BODY)], WIDE) == [False, False, False]


def test_a_short_line_mid_sentence_is_no_headline() -> None:
    lines = [line("援疆干部走进社区送去新书、"), line("文具和衣物"), line(BODY, 1)]
    assert headings(lines, WIDE) == [False, False, False]


def test_a_short_line_after_a_photos_caption_starts_the_text_below_the_photo() -> None:
    photo = line("援疆干部和孩子们在一起。", caption=True)
    assert headings([photo, line(SHORT_TITLE), line(FINISHED, 1)], WIDE) == [False, True, False]
    lines = [line(SHORT_TITLE), line("新书和文具", 1), line(UNFINISHED), photo]
    assert headings(lines, WIDE) == [False, False, False, False]


def test_a_short_run_ends_at_a_dated_caption_without_becoming_a_headline() -> None:
    dated = line("3月5日，援疆干部走进社区。", caption=True)
    assert headings([line(SHORT_TITLE), dated], NARROW) == [False, False]


def test_a_run_of_short_lines_ends_at_its_last_line_that_stands_apart() -> None:
    lines = [line(FINISHED), line(SHORT_TITLE), line("图书馆开放", 1), line("文具和衣物都送到了。")]
    assert headings(lines, NARROW) == [False, True, False, False]


def test_short_lines_above_a_photo_credit_are_its_caption_not_a_headline() -> None:
    lines = [line("援疆干部和孩子们"), line("在图书馆里"), line("王明摄", 1)]
    assert headings(lines, NARROW) == [False, False, False]


def test_a_line_starts_a_new_paragraph_after_a_caption_a_gap_or_web_furniture() -> None:
    previous, text = UNFINISHED, "新书和文具"
    assert _new_paragraph(line(previous), line(text), WIDE, previous) is False
    assert _new_paragraph(line(previous), line(text, caption=True), WIDE, previous) is True
    assert _new_paragraph(line(previous), line(text, after_gap=True), WIDE, previous) is True
    assert _new_paragraph(line(previous, caption=True), line(text), WIDE, previous) is True
    assert _new_paragraph(line(previous), line(text, header=["来源：新华网"]), WIDE, previous) is True
    assert _new_paragraph(line(previous, before_meta=True), line(text), WIDE, previous) is True
    assert _new_paragraph(line(previous), line(text, after_more=True), WIDE, previous) is True


def test_a_headline_line_continues_only_a_headline_broken_after_a_comma() -> None:
    title = line(TITLE, heading=True)
    assert _new_paragraph(line("援疆，", heading=True), title, WIDE, "援疆，") is False
    assert _new_paragraph(line("援疆X", heading=True), title, WIDE, "援疆X") is True
    assert _new_paragraph(line("援疆", heading=True), title, WIDE, "援疆") is True


def test_a_credit_continues_only_its_own_first_half() -> None:
    credit = line("者胡礼政摄")
    assert _new_paragraph(line("地区融媒特派记"), credit, WIDE, "地区融媒特派记") is False
    assert _new_paragraph(line(TITLE), credit, WIDE, TITLE) is True
    forty = "本报记者" + "援" * 36
    assert _new_paragraph(line(forty), credit, WIDE, forty) is False
    assert _new_paragraph(line(forty + "援"), credit, WIDE, forty + "援") is True


def test_after_a_finished_line_an_indented_line_or_a_short_line_above_starts_a_paragraph() -> None:
    previous = line(BODY)  # 35 characters
    assert _new_paragraph(previous, line(TITLE, indented=True), 20.0, BODY) is True
    assert _new_paragraph(previous, line(TITLE), 20.0, BODY) is False
    assert _new_paragraph(line(FINISHED), line(TITLE), 10.0, FINISHED) is False  # 9 of 10: the line was full
    assert _new_paragraph(line(FINISHED), line(TITLE), 11.0, FINISHED) is True
    assert _new_paragraph(line(FINISHED), line(TITLE), 20.0, FINISHED) is True


def test_a_run_of_paragraphs_opened_by_one_mark_is_a_list_not_captions() -> None:
    paras = [Paragraph("◆援疆干部走进社区", "caption"), Paragraph("◆图书馆开放", "caption"), Paragraph("■新书", "caption")]
    _unmark_bullets(paras)
    assert [paragraph.kind for paragraph in paras] == ["body", "body", "caption"]


def test_lines_join_into_paragraphs_that_keep_what_their_lines_carried() -> None:
    lines = [line("援疆干部今天走进社区，"), line("送去新书和文具", before_meta=True), line(FINISHED, 1)]
    assert paragraphs(lines, WIDE) == [
        Paragraph("援疆干部今天走进社区，送去新书和文具", "body", lines=2, before_meta=True),
        Paragraph(FINISHED, "body"),
    ]


def test_a_headline_keeps_its_date_line_mark_and_a_headline_joined_from_two_lines_stays_one() -> None:
    lines = [line(TITLE, heading=True, before_meta=True), line(BODY)]
    assert paragraphs(lines, WIDE) == [Paragraph(TITLE, "heading", before_meta=True), Paragraph(BODY, "body")]
    first, second = "■" + "援" * 60 + "，", "援" * 50
    assert paragraphs([line(first, heading=True), line(second, heading=True)], WIDE) == [
        Paragraph(first + second, "heading", lines=2)
    ]


def test_a_credit_joined_from_two_halves_closes_the_paragraph_above() -> None:
    lines = [line("本报特派记"), line("者胡礼政摄"), line(FINISHED, 1)]
    assert paragraphs(lines, WIDE) == [Paragraph("本报特派记者胡礼政摄", "credit", lines=2), Paragraph(FINISHED, "body")]


def test_text_below_a_caption_resumes_only_an_unfinished_paragraph() -> None:
    photo = "■援疆干部和孩子们在一起。"
    finished = LONG_BODY + "。"
    assert [p.text for p in paragraphs([line(finished), line(photo), line(FINISHED, 1)], WIDE)] == [finished, photo, FINISHED]
    assert [p.text for p in paragraphs([line(LONG_BODY + "还有"), line(photo), line(FINISHED, 1)], WIDE)] == [
        LONG_BODY + "还有" + FINISHED, photo
    ]
    headline = "援" * 60
    assert [p.text for p in paragraphs([line(headline, heading=True), line(photo), line(FINISHED, 1)], WIDE)] == [
        headline, photo, FINISHED
    ]
