"""The `xjsearch search` command, added to the root group of indexer.cli."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from indexer.cli import cli, index_option
from indexer.paths import resolve_index_dir
from search.export import FORMATS, export_lines, export_rows, fragment_parts
from search.model import (
    CONCORDANCE_SORTS,
    DEFAULT_WIDTH,
    MAX_PER_PAGE,
    MAX_WIDTH,
    SORTS,
    SearchRequest,
    SearchResult,
    shown_date,
)

# The service, the concordance and what they import (numpy, whoosh) are imported by the commands
# that search, when they run: `xjsearch --help` and the other commands do not wait for them.
if TYPE_CHECKING:
    from search.concordance import Concordance
    from search.service import SearchService


def terminal_text(fragment: str, colour: bool) -> str:
    """A highlighted HTML fragment as terminal text: marks in colour (or [brackets]), unescaped."""
    out = []
    for text, matched in fragment_parts(fragment):
        if not matched:
            out.append(text)
        else:
            out.append(click.style(text, fg="yellow", bold=True) if colour else f"[{text}]")
    return "".join(out)


def _print_result(result: SearchResult, colour: bool) -> None:
    """Print a result as readable lines."""
    shown = len(result.hits)
    noun = "article" if result.total == 1 else "articles"
    more = "" if shown >= result.total else f", showing {shown}"
    click.echo(f"{result.total} {noun} ({result.took_ms:.0f} ms){more}")
    for line in (*result.explanations, *result.notices):
        click.echo(line)
    if result.did_you_mean:
        click.echo(f"您是不是要找：{result.did_you_mean}")
    for n, hit in enumerate(result.hits, 1):
        click.echo("")
        title = terminal_text(hit.title_html, colour) if hit.title_html else hit.title
        click.echo(f"{n}. {title}")
        date = shown_date(hit.date, hit.date_precision)
        meta = " · ".join(x for x in (date, hit.source, "、".join(hit.regions), hit.id) if x)
        click.echo("   " + (click.style(meta, dim=True) if colour else meta))
        click.echo("   " + terminal_text(hit.snippet, colour))


def _export(request: SearchRequest, fmt: str, limit: int | None, index_dir: Path | None) -> None:
    """Write a search's hits to stdout as fmt, all of them or the first limit, a line at a time."""

    def rows(service: SearchService) -> tuple[Iterator[str], Iterator[object]]:
        _, hits = service.iter_hits(request)
        return export_lines(islice(hits, limit), fmt), hits

    _write(rows, index_dir)


def _write(open_lines: Callable[[SearchService], tuple[Iterator[str], Iterator[object]]], index_dir: Path | None) -> None:
    """Write the lines open_lines gives to stdout, closing what they are read from; quietly when the reader stops."""
    from search.service import SearchService

    service = SearchService(resolve_index_dir(index_dir))
    out = sys.stdout
    try:
        # A bad query or a missing index raises here, before anything is written.
        lines, source = open_lines(service)
        try:
            # A reader that stops early (| head) ends the command where the root group catches it.
            for line in lines:
                out.write(line)
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()
    finally:
        service.close()


def search_filters(command):
    """The options choosing which articles a command reads: the filters of a search, and --no-collapse."""
    options = [
        click.option("--region", "regions", multiple=True, help="Only articles about this region (repeatable: any of them)."),
        click.option("--sector", "sectors", multiple=True, help="Only articles in this sector (repeatable)."),
        click.option("--aid-from", "aid_from", multiple=True, help="Only aid from this province or city (repeatable)."),
        click.option("--source", "sources", multiple=True, help="Only articles from this newspaper (repeatable)."),
        click.option("--year", "years", multiple=True, help="Only articles of this year, YYYY (repeatable)."),
        click.option("--person", "people", multiple=True, help="Only articles naming this person (repeatable)."),
        click.option("--org", "orgs", multiple=True, help="Only articles naming this organisation (repeatable)."),
        click.option("--from", "date_from", default=None, help="Earliest date, YYYY-MM-DD (or YYYY-MM, YYYY)."),
        click.option("--to", "date_to", default=None, help="Latest date, YYYY-MM-DD (or YYYY-MM, YYYY)."),
        click.option("--no-collapse", "no_collapse", is_flag=True,
                     help="Every reprint on its own (by default the copies of one story are one result)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def filtered_request(query: str, filters: dict, **rest: object) -> SearchRequest:
    """The SearchRequest of a query and the options of search_filters."""
    collapse = not filters.pop("no_collapse")
    return SearchRequest(query=query, collapse=collapse, **filters, **rest)  # type: ignore[arg-type]


def output_options(limit: int, many: str, every: str, json_of: str, rows: str):
    """--limit, --json and --format: how much of a command's answer is printed, and how."""
    options = [
        click.option("--limit", type=click.IntRange(1, MAX_PER_PAGE), default=limit, show_default=True,
                     help=f"How many {many} (with --format: every {every} unless --limit is given)."),
        click.option("--json", "as_json", is_flag=True, help=f"Print the same JSON object as {json_of}."),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                     help=f"Write every {every}{rows} as CSV (after a header row) or JSON Lines."),
    ]

    def apply(command):
        for option in reversed(options):
            command = option(command)
        return command

    return apply


@cli.command("search")
@click.argument("query", required=False, default="")
@search_filters
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True, help="Order of the results.")
@output_options(10, "results", "hit", "the web API", ", one row each,")
@index_option()
def search_command(
    query: str,
    sort: str,
    limit: int,
    as_json: bool,
    fmt: str | None,
    index_dir: Path | None,
    **filters: object,
) -> None:
    """Search the index: words (all must match), "phrases", OR, NOT or -word, (groups), title:."""
    request = filtered_request(query, filters, sort=sort, per_page=limit)
    if fmt is not None:
        if as_json:
            raise click.ClickException(
                "--json prints one page as the web API does; --format writes every hit — give one")
        limited = click.get_current_context().get_parameter_source("limit") is not ParameterSource.DEFAULT
        _export(request, fmt, limit if limited else None, index_dir)
        return
    from search.jsonshape import result_to_json

    _answer(index_dir, lambda service: service.search(request), as_json, result_to_json, _print_result)


def _answer(index_dir: Path | None, ask: Callable[[SearchService], Any], as_json: bool,
            to_json: Callable[[Any], dict], show: Callable[[Any, bool], None]) -> None:
    """Ask the index once and print the answer: as JSON, or to be read (coloured on a terminal)."""
    from search.service import SearchService

    service = SearchService(resolve_index_dir(index_dir))
    try:
        result = ask(service)
    finally:
        service.close()
    if as_json:
        click.echo(json.dumps(to_json(result), ensure_ascii=False))
    else:
        show(result, sys.stdout.isatty())


def _print_concordance(result: Concordance, colour: bool) -> None:
    """Print concordance lines aligned on the match, each with its date and source."""
    more = f", articles read: the earliest {result.articles} of {result.matched}" if result.truncated else ""
    click.echo(f"{result.total} occurrences in {result.articles} articles ({result.took_ms:.0f} ms){more}")
    for line in result.lines:
        # Full-width spaces keep CJK contexts aligned on the match.
        left = line.left.rjust(result.width, "\u3000")
        match = click.style(line.match, fg="yellow", bold=True) if colour else f"[{line.match}]"
        meta = " · ".join(x for x in (shown_date(line.date, line.date_precision), line.source, line.id) if x)
        click.echo(f"{left}{match}{line.right}  " + (click.style(meta, dim=True) if colour else meta))


@cli.command("concordance")
@click.argument("query")
@search_filters
@click.option("--width", type=click.IntRange(1, MAX_WIDTH), default=DEFAULT_WIDTH, show_default=True,
              help="Characters of context each side of a match.")
@click.option("--sort", type=click.Choice(CONCORDANCE_SORTS), default="date", show_default=True,
              help="Order of the lines: date, the left context (read backwards from the match) or the right.")
@output_options(50, "lines", "line", "/api/concordance", "")
@index_option()
def concordance_command(query: str, width: int, sort: str, limit: int, as_json: bool, fmt: str | None,
                        index_dir: Path | None, **filters: object) -> None:
    """Keyword in context: every occurrence of QUERY in the matching articles, one line each."""
    from search.concordance import COLUMNS as CONCORDANCE_COLUMNS
    from search.concordance import concordance_to_json, line_row

    request = filtered_request(query, filters, per_page=limit)
    if fmt is not None:
        if as_json:
            raise click.ClickException("--json prints one page as the web API does; --format writes every line — give one")
        limited = click.get_current_context().get_parameter_source("limit") is not ParameterSource.DEFAULT

        def rows(service: SearchService) -> tuple[Iterator[str], Iterator[object]]:
            _, lines = service.iter_concordance(request, width, sort)
            return export_rows((line_row(line) for line in islice(lines, limit if limited else None)), fmt,
                               CONCORDANCE_COLUMNS), lines

        _write(rows, index_dir)
        return
    _answer(index_dir, lambda service: service.concordance(request, width, sort), as_json, concordance_to_json,
            _print_concordance)
