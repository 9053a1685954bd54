"""search.export: the row of a hit, plain snippets, the CSV and JSON Lines writers, chunks that close."""

import csv
import io
import json
import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.export import join_values
from search.export import COLUMNS, chunks, export_lines, fragment_parts, hit_row, plain_text
from corpus.article import Origin
from search.model import Hit

HIT = Hit(
    id="a1",
    title="援疆<干部>",
    date="2024-06-01",
    date_precision="month",
    source="新疆日报",
    regions=("和田", "喀什"),
    sectors=("教育",),
    aid_from=(),
    score=3.25,
    snippet="…含有&lt;b&gt;与&amp;，<mark>援疆</mark>工作、<mark>援疆</mark>干部…",
    title_html="<mark>援疆</mark>&lt;干部&gt;",
    people=("陈吉宁",),
    orgs=("复旦大学", "上海交通大学"),
    origin=Origin("papers/epaper.pdf", 2),
)

ROW = {
    "id": "a1",
    "title": "援疆<干部>",
    "date": "2024-06-01",
    "date_precision": "month",
    "source": "新疆日报",
    "regions": ["和田", "喀什"],
    "sectors": ["教育"],
    "aid_from": [],
    "people": ["陈吉宁"],
    "orgs": ["复旦大学", "上海交通大学"],
    "score": 3.25,
    "snippet": "…含有<b>与&，援疆工作、援疆干部…",
    "snippet_marked": "…含有<b>与&，【援疆】工作、【援疆】干部…",
    "origin": {"file": "papers/epaper.pdf", "page": 2, "url": None},
    "reprints": [],
}


def test_fragment_parts_unescape_and_say_which_are_matches():
    assert list(fragment_parts("a&lt;<mark>b&amp;</mark>c<mark>d</mark>")) == [
        ("a<", False), ("b&", True), ("c", False), ("d", True)]
    assert list(fragment_parts("")) == []


def test_plain_text_drops_or_brackets_the_marks():
    assert plain_text("x <mark>援疆</mark> &amp; y") == "x 援疆 & y"
    assert plain_text("x <mark>援疆</mark> &amp; y", "【", "】") == "x 【援疆】 & y"
    # Text that reads like a tag was escaped by the highlighter and comes back as text.
    assert plain_text("&lt;mark&gt;no&lt;/mark&gt;") == "<mark>no</mark>"


def test_hit_row_has_every_column_in_order():
    assert hit_row(HIT) == ROW
    assert tuple(hit_row(HIT)) == COLUMNS


def test_jsonl_is_one_object_a_line():
    text = "".join(export_lines(iter([HIT, HIT]), "jsonl"))
    assert text.endswith("\n") and text.count("\n") == 2
    assert [json.loads(line) for line in text.splitlines()] == [ROW, ROW]
    assert "援疆" in text  # not \u escapes


def csv_rows(text):
    """The rows of a CSV export, read as a spreadsheet does: the byte order mark first, then the cells."""
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_has_a_header_row_and_joins_several_values():
    text = "".join(export_lines(iter([HIT]), "csv"))
    assert csv_rows(text) == [
        list(COLUMNS),
        ["a1", "援疆<干部>", "2024-06-01", "month", "新疆日报", "和田|喀什", "教育", "", "陈吉宁",
         "复旦大学|上海交通大学", "3.25", "…含有<b>与&，援疆工作、援疆干部…", "…含有<b>与&，【援疆】工作、【援疆】干部…",
         "papers/epaper.pdf#page=2", ""],
    ]


def test_csv_of_no_hits_is_the_header_row_alone():
    assert "".join(export_lines(iter([]), "csv")) == "\ufeff" + ",".join(COLUMNS) + "\r\n"
    assert "".join(export_lines(iter([]), "jsonl")) == ""


# OWASP's characters that make a spreadsheet read a cell as a formula, each tested on its own.
TRIGGERS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("trigger", TRIGGERS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_a_csv_cell_starting_like_a_formula_is_made_text(trigger):
    formula = trigger + 'HYPERLINK("http://x","点击")'
    hit = replace(HIT, title=formula, source=trigger + "1+1", regions=(trigger + "cmd", "和田"),
                  snippet=f"{trigger}援疆 <mark>援疆</mark>", title_html=None)
    [_, row] = csv_rows("".join(export_lines(iter([hit]), "csv")))
    cells = dict(zip(COLUMNS, row))
    assert cells["title"] == "'" + formula
    assert cells["source"] == "'" + trigger + "1+1"
    # A multi-valued cell is guarded at its start, which is where a spreadsheet looks.
    assert cells["regions"] == "'" + trigger + "cmd|和田"
    assert (cells["snippet"], cells["snippet_marked"]) == ("'" + trigger + "援疆 援疆", "'" + trigger + "援疆 【援疆】")
    # JSON Lines carry the values exactly.
    [line] = export_lines(iter([hit]), "jsonl")
    exact = json.loads(line)
    assert (exact["title"], exact["source"], exact["regions"]) == (formula, trigger + "1+1", [trigger + "cmd", "和田"])


def test_only_a_cell_starting_like_a_formula_is_guarded():
    hit = replace(HIT, title="援疆-干部=1+1@x", source=" =1", regions=("和田", "=喀什"), score=-1.5,
                  people=("甲\r乙", "丙\n丁"))
    [_, row] = csv_rows("".join(export_lines(iter([hit]), "csv")))
    cells = dict(zip(COLUMNS, row))
    # Inside a cell, after a separator and in numbers the project writes itself, nothing is a formula.
    assert (cells["title"], cells["source"], cells["regions"], cells["score"]) == (
        "援疆-干部=1+1@x", " =1", "和田|=喀什", "-1.5")
    # A CR or LF inside a cell is quoted with it, so the row stays whole.
    assert cells["people"] == "甲\r乙|丙\n丁"


def test_a_separator_or_backslash_inside_a_value_is_escaped():
    hit = replace(HIT, orgs=("甲|乙公司", "丙\\丁", "戊\\|"), people=("张三",), regions=("a\\",))
    [_, row] = csv_rows("".join(export_lines(iter([hit]), "csv")))
    cells = dict(zip(COLUMNS, row))
    assert cells["orgs"] == "甲\\|乙公司|丙\\\\丁|戊\\\\\\|"
    assert (cells["people"], cells["regions"]) == ("张三", "a\\\\")
    assert split_values(cells["orgs"]) == ["甲|乙公司", "丙\\丁", "戊\\|"]


def split_values(cell):
    """A multi-valued cell's values, read as the README says: split at each | not escaped, \\x read as x."""
    if cell == "":
        return []
    values = [""]
    for part in re.finditer(r"\\(.)|\||[^\\|]+", cell, re.S):
        if part.group() == "|":
            values.append("")
        else:
            values[-1] += part.group(1) if part.group(1) is not None else part.group()
    return values


@given(st.lists(st.text(alphabet="|\\a和", min_size=1, max_size=6), max_size=5))
def test_joined_values_split_back_exactly(values):
    assert split_values(join_values(values)) == values


def test_an_unknown_format_is_refused_before_any_line():
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        export_lines(iter([HIT]), "xml")


class Hits:
    """An iterator of hits that records whether it was closed, like the service's."""

    def __init__(self, n):
        self.left = n
        self.closed = False

    def __iter__(self):
        return self

    def __next__(self):
        if self.left == 0:
            raise StopIteration
        self.left -= 1
        return HIT

    def close(self):
        self.closed = True


@pytest.mark.parametrize("read", [0, 1, 2, 99])
def test_the_hits_are_closed_however_far_the_lines_are_read(read):
    hits = Hits(3)
    lines = chunks(export_lines(hits, "csv"), size=1)
    taken = [line for _, line in zip(range(read), lines)]
    assert len(taken) == min(read, 4)
    lines.close()
    assert hits.closed


def test_the_hits_are_closed_when_the_lines_run_out():
    hits = Hits(2)
    assert len(list(export_lines(hits, "jsonl"))) == 2
    assert hits.closed


def test_chunks_gather_lines_to_the_size():
    assert list(chunks(iter(["ab", "cd", "e", "fgh", "i"]), size=3)) == ["abcd", "efgh", "i"]
    assert list(chunks(iter([]), size=3)) == []
