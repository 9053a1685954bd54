"""Reading a page's lines: blank lines, a saved web page's furniture set aside, menus and a lone author name."""

from corpus.lines import Line, PageLines, column_width, is_credit, read_lines

# Lines of substance (longer than a menu's word), each a sentence of its own.
LONG = [
    "援疆干部走进社区送去新书。",
    "图书馆今天开放读者很多。",
    "果园里的苹果已经成熟了。",
    "新建的学校迎来第一批学生。",
    "医生们在乡村义诊三天。",
    "大巴扎的游客比去年多了。",
    "棉花收购工作顺利完成。",
    "冬天的牧场依旧忙碌。",
    "夜市的灯光照亮了小城。",
    "工人们修好了这条公路。",
]
DATE = "2024年5月1日 10:00"
DATE_CLEANED = "2024年5月1日10:00"  # as a line of text reads it, spaces between Chinese and digits squeezed
PARAGRAPH = "援疆医生在喀什的医院里工作了整整三年，培养了二十多名当地的年轻医生，病人们都很感谢他们。"


def texts(raw: str) -> list[str]:
    return [line.text for line in read_lines(raw).lines]


def test_a_plain_page_is_its_lines_with_the_blank_lines_between() -> None:
    assert read_lines("援疆干部走进社区。\n\n图书馆今天开放。\n") == PageLines(
        [Line("援疆干部走进社区。", False), Line("图书馆今天开放。", True, blanks=1)], False, []
    )


def test_a_line_that_starts_with_a_space_is_indented() -> None:
    assert [line.indented for line in read_lines(f" {LONG[0]}\n{LONG[1]}\n").lines] == [True, False]


def test_the_line_below_a_web_pages_source_line_starts_a_block_and_carries_it() -> None:
    assert read_lines(f"{LONG[0]}\n来源：新华网\n{LONG[1]}\n来源：新华网\n") == PageLines(
        [Line(LONG[0], False, before_meta=True), Line(LONG[1], True, header=["来源：新华网"], before_meta=True)],
        True,
        ["来源：新华网"],
    )


def test_a_teasers_read_more_link_is_cut_before_the_line_is_read_as_furniture() -> None:
    # Without its link, the line is only the outlet's name: the page's masthead.
    assert read_lines(f"新华网 >>详情\n{LONG[0]}\n") == PageLines(
        [Line(LONG[0], True, header=["新华网"])], True, []
    )


def test_a_date_line_is_furniture_up_to_the_eighth_line_of_substance() -> None:
    assert texts("\n".join([*LONG[:7], DATE, LONG[7]])) == [*LONG[:7], LONG[7]]
    # Short lines (six characters or fewer) do not count as substance.
    assert texts("\n".join(["喀什春天来了", *LONG[:7], DATE, LONG[7]])) == ["喀什春天来了", *LONG[:7], LONG[7]]


def test_below_the_head_of_a_page_that_is_no_web_page_a_date_line_is_text() -> None:
    assert texts("\n".join([*LONG[:8], DATE, LONG[8]])) == [*LONG[:8], DATE_CLEANED, LONG[8]]


def test_five_short_lines_in_a_row_are_a_menu_and_are_dropped() -> None:
    page = read_lines("\n".join([LONG[0], "春天", "夏天", "秋天", "冬天", "喀什春天来了", LONG[1]]))
    assert [line.text for line in page.lines] == [LONG[0], LONG[1]]
    assert page.web is True


def test_a_byline_below_a_menu_stays_with_the_text_it_heads() -> None:
    raw = "\n".join([LONG[0], "春天", "夏天", "秋天", "冬天", "雪山", "记者 王明 李华", LONG[1]])
    assert read_lines(raw).lines == [Line(LONG[0], False), Line(LONG[1], True, header=["记者王明李华"])]


def test_four_short_lines_in_a_row_are_no_menu() -> None:
    raw = "\n".join([LONG[0], "春天", "夏天", "秋天", "冬天", LONG[1]])
    assert read_lines(raw) == PageLines([Line(text, False) for text in [LONG[0], "春天", "夏天", "秋天", "冬天", LONG[1]]], False)


def test_a_menu_is_looked_for_down_to_the_fourteenth_line() -> None:
    menu = ["春天", "夏天", "秋天", "冬天", "雪山"]
    assert texts("\n".join([*LONG[:8], *menu, LONG[8]])) == [*LONG[:8], LONG[8]]
    assert texts("\n".join([*LONG[:9], *menu, LONG[9]])) == [*LONG[:9], *menu, LONG[9]]


def test_a_name_alone_above_a_paragraph_is_set_aside_as_the_byline() -> None:
    assert len(PARAGRAPH[:40]) == 40
    assert read_lines(f"杨可\n{PARAGRAPH[:40]}\n") == PageLines(
        [Line(PARAGRAPH[:40], False, header=["杨可"])], True, []
    )
    assert texts(f"王小明\n{PARAGRAPH}\n") == [PARAGRAPH]
    assert read_lines(f"杨可\n{DATE}\n{PARAGRAPH}\n").lines[0].header == ["杨可", DATE_CLEANED]


def test_a_short_line_that_is_no_name_stays_above_the_paragraph() -> None:
    assert texts(f"王小明明\n{PARAGRAPH}\n") == ["王小明明", PARAGRAPH]  # four characters: no name
    assert texts(f"援疆\n{PARAGRAPH}\n") == ["援疆", PARAGRAPH]  # 援 is no surname
    assert texts(f"杨可\n{PARAGRAPH[:39]}\n") == ["杨可", PARAGRAPH[:39]]  # no paragraph below


def test_the_column_width_is_the_median_length_of_lines_of_four_characters_or_more() -> None:
    assert column_width([Line("一二三", False), Line("一二三四", False), Line("一二三四五六七八九十", False)]) == 7.0
    assert column_width([Line("一二三", False)]) == 0.0
    assert column_width([]) == 0.0


def test_a_credit_is_forty_characters_at_most_unless_a_caption_mark_opens_it() -> None:
    credit = "本报记者" + "王" * 35 + "摄"
    assert (len(credit), is_credit(credit), is_credit("王" + credit), is_credit("■" + credit)) == (40, True, False, True)
