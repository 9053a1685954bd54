"""The `xjsearch search` command, added to the root group of indexer.cli."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import click

from indexer.cli import cli, index_option
from indexer.paths import resolve_index_dir
from search.model import SORTS, SearchRequest, SearchResult, shown_date
from search.service import MAX_PER_PAGE, SearchService, result_to_json

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def terminal_text(fragment: str, colour: bool) -> str:
    """A highlighted HTML fragment as terminal text: marks in colour (or [brackets]), unescaped."""
    out = []
    # With one group, split() alternates the text outside marks (even) and inside them (odd).
    for i, part in enumerate(_MARK.split(fragment)):
        text = html.unescape(part)
        if i % 2 == 0:
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
    for n, hit in enumerate(result.hits, 1):
        click.echo("")
        title = terminal_text(hit.title_html, colour) if hit.title_html else hit.title
        click.echo(f"{n}. {title}")
        date = shown_date(hit.date, hit.date_precision)
        meta = " · ".join(x for x in (date, hit.source, "、".join(hit.regions), hit.id) if x)
        click.echo("   " + (click.style(meta, dim=True) if colour else meta))
        click.echo("   " + terminal_text(hit.snippet, colour))


@cli.command("search")
@click.argument("query", required=False, default="")
@click.option("--region", "regions", multiple=True, help="Only articles about this region (repeatable: any of them).")
@click.option("--sector", "sectors", multiple=True, help="Only articles in this sector (repeatable).")
@click.option("--aid-from", "aid_from", multiple=True, help="Only aid from this province or city (repeatable).")
@click.option("--source", "sources", multiple=True, help="Only articles from this newspaper (repeatable).")
@click.option("--year", "years", multiple=True, help="Only articles of this year, YYYY (repeatable).")
@click.option("--from", "date_from", default=None, help="Earliest date, YYYY-MM-DD (or YYYY-MM, YYYY).")
@click.option("--to", "date_to", default=None, help="Latest date, YYYY-MM-DD (or YYYY-MM, YYYY).")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True, help="Order of the results.")
@click.option("--limit", type=click.IntRange(1, MAX_PER_PAGE), default=10, show_default=True, help="How many results.")
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON object as the web API.")
@index_option()
def search_command(
    query: str,
    regions: tuple[str, ...],
    sectors: tuple[str, ...],
    aid_from: tuple[str, ...],
    sources: tuple[str, ...],
    years: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    sort: str,
    limit: int,
    as_json: bool,
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
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        per_page=limit,
    )
    service = SearchService(resolve_index_dir(index_dir))
    try:
        result = service.search(request)
    finally:
        service.close()
    if as_json:
        click.echo(json.dumps(result_to_json(result), ensure_ascii=False))
    else:
        _print_result(result, colour=sys.stdout.isatty())
