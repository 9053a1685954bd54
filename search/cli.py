"""The `xjsearch search` command, added to the root group of indexer.cli."""

from __future__ import annotations

import json
import sys
from itertools import islice
from pathlib import Path

import click
from click.core import ParameterSource

from indexer.cli import cli, index_option
from indexer.paths import resolve_index_dir
from search.export import FORMATS, export_lines, fragment_parts
from search.model import MAX_PER_PAGE, SORTS, SearchRequest, SearchResult, shown_date


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
    from search.service import SearchService

    service = SearchService(resolve_index_dir(index_dir))
    out = sys.stdout
    try:
        # A bad query or a missing index raises here, before anything is written.
        _, hits = service.iter_hits(request)
        try:
            # A reader that stops early (| head) ends the command where the root group catches it.
            for line in export_lines(islice(hits, limit), fmt):
                out.write(line)
        finally:
            hits.close()
    finally:
        service.close()


@cli.command("search")
@click.argument("query", required=False, default="")
@click.option("--region", "regions", multiple=True, help="Only articles about this region (repeatable: any of them).")
@click.option("--sector", "sectors", multiple=True, help="Only articles in this sector (repeatable).")
@click.option("--aid-from", "aid_from", multiple=True, help="Only aid from this province or city (repeatable).")
@click.option("--source", "sources", multiple=True, help="Only articles from this newspaper (repeatable).")
@click.option("--year", "years", multiple=True, help="Only articles of this year, YYYY (repeatable).")
@click.option("--person", "people", multiple=True, help="Only articles naming this person (repeatable).")
@click.option("--org", "orgs", multiple=True, help="Only articles naming this organisation (repeatable).")
@click.option("--from", "date_from", default=None, help="Earliest date, YYYY-MM-DD (or YYYY-MM, YYYY).")
@click.option("--to", "date_to", default=None, help="Latest date, YYYY-MM-DD (or YYYY-MM, YYYY).")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True, help="Order of the results.")
@click.option("--limit", type=click.IntRange(1, MAX_PER_PAGE), default=10, show_default=True,
              help="How many results (with --format: every hit unless --limit is given).")
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON object as the web API.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Write every hit, one row each, as CSV (after a header row) or JSON Lines.")
@index_option()
def search_command(
    query: str,
    regions: tuple[str, ...],
    sectors: tuple[str, ...],
    aid_from: tuple[str, ...],
    sources: tuple[str, ...],
    years: tuple[str, ...],
    people: tuple[str, ...],
    orgs: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    sort: str,
    limit: int,
    as_json: bool,
    fmt: str | None,
    index_dir: Path | None,
) -> None:
    """Search the index: words (all must match), "phrases", OR, NOT or -word, (groups), title:."""
    request = SearchRequest(
        query=query,
        regions=regions,
        sectors=sectors,
        aid_from=aid_from,
        sources=sources,
        years=years,
        people=people,
        orgs=orgs,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        per_page=limit,
    )
    if fmt is not None:
        if as_json:
            raise click.ClickException(
                "--json prints one page as the web API does; --format writes every hit — give one")
        limited = click.get_current_context().get_parameter_source("limit") is not ParameterSource.DEFAULT
        _export(request, fmt, limit if limited else None, index_dir)
        return
    # Imported here, with numpy and whoosh, so that other commands and --help do not wait for them.
    from search.service import SearchService, result_to_json

    service = SearchService(resolve_index_dir(index_dir))
    try:
        result = service.search(request)
    finally:
        service.close()
    if as_json:
        click.echo(json.dumps(result_to_json(result), ensure_ascii=False))
    else:
        _print_result(result, colour=sys.stdout.isatty())
