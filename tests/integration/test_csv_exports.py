"""Every CSV xjsearch writes is safe to open in a spreadsheet: the API's, `search --format csv` and `export`.

An article whose title starts like a formula (=HYPERLINK…) must arrive as text, with OWASP's leading
quote, while JSON Lines carry the title exactly; each CSV starts with a UTF-8 byte order mark.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from indexer.build import update_index
from search.cli import cli
from tests.conftest import make_article
from web import create_app

TRIGGERS = {"equals": "=", "plus": "+", "minus": "-", "at": "@", "tab": "\t", "cr": "\r"}
FORMULA = 'HYPERLINK("http://x","援疆")'
# One article a trigger, its title starting with it, its one aider and organisation too.
ARTICLES = tuple(
    make_article(name, trigger + FORMULA, f"对口援疆第{n}项工作。", date=f"2024-0{n + 1}-01",
                 orgs=(trigger + "SUM(A1)", "援疆|指挥部"))
    for n, (name, trigger) in enumerate(TRIGGERS.items())
)
BOM = "\ufeff"


@pytest.fixture(scope="module")
def formula_index(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("formulas") / "index"
    update_index(ARTICLES, index_dir)
    return index_dir


def rows_by_id(text):
    """The rows of a CSV after its header, by id; the text must start with the byte order mark."""
    assert text.startswith(BOM)
    header, *rows = csv.reader(io.StringIO(text[len(BOM):]))
    return {row[0]: dict(zip(header, row)) for row in rows}


def exports(formula_index):
    """The CSV and the JSON Lines of each of the three ways to export, as text."""
    client = create_app({"TESTING": True, "INDEX": str(formula_index)}).test_client()
    runner = CliRunner()

    def cli_output(*args):
        result = runner.invoke(cli, [*args, "--index", str(formula_index)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    return {
        "api": (client.get("/api/search?q=援疆&format=csv").get_data().decode("utf-8"),
                client.get("/api/search?q=援疆&format=jsonl").get_data().decode("utf-8")),
        "search": (cli_output("search", "援疆", "--format", "csv"), cli_output("search", "援疆", "--format", "jsonl")),
        "export": (cli_output("export", "--format", "csv"), cli_output("export", "--format", "jsonl")),
    }


@pytest.fixture(scope="module")
def written(formula_index):
    return exports(formula_index)


@pytest.mark.parametrize("surface", ["api", "search", "export"])
@pytest.mark.parametrize("name", list(TRIGGERS))
def test_a_title_starting_like_a_formula_is_text_in_csv_and_exact_in_jsonl(written, surface, name):
    csv_text, jsonl_text = written[surface]
    trigger = TRIGGERS[name]
    row = rows_by_id(csv_text)[name]
    assert row["title"] == "'" + trigger + FORMULA
    exact = {record["id"]: record for record in map(json.loads, jsonl_text.splitlines())}[name]
    assert exact["title"] == trigger + FORMULA


@pytest.mark.parametrize("name", list(TRIGGERS))
def test_a_multi_valued_cell_is_guarded_and_its_separator_escaped(written, name):
    csv_text, jsonl_text = written["api"]
    trigger = TRIGGERS[name]
    assert rows_by_id(csv_text)[name]["orgs"] == "'" + trigger + "SUM(A1)|援疆\\|指挥部"
    exact = {record["id"]: record for record in map(json.loads, jsonl_text.splitlines())}[name]
    assert exact["orgs"] == [trigger + "SUM(A1)", "援疆|指挥部"]


@pytest.mark.parametrize("surface", ["api", "search", "export"])
def test_every_csv_starts_with_a_byte_order_mark_and_every_jsonl_without(written, surface):
    csv_text, jsonl_text = written[surface]
    assert csv_text.startswith(BOM + "id,title,date,")
    assert jsonl_text.startswith('{"id": ')
    assert sorted(rows_by_id(csv_text)) == sorted(TRIGGERS)
