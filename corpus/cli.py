"""The `xjsearch corpus` commands: look at how raw pages become articles before indexing them."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from typing import Any

from corpus.errors import XjsearchError


class XjsearchGroup(click.Group):
    """A click group that reports XjsearchError as one line and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, turning library errors into a ClickException naming the next step."""
        try:
            return super().invoke(ctx)
        except XjsearchError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group("corpus", cls=XjsearchGroup)
def corpus_group() -> None:
    """Inspect a corpus: how pages split into articles and what metadata each gets."""


@corpus_group.command("inspect")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line: each article, then each skipped file.")
@click.option("--text", "show_text", is_flag=True, help="Print each article's clean text too.")
def inspect_command(path: Path | None, as_json: bool, show_text: bool) -> None:
    """Show how PATH (default: the bundled corpus) splits: title, date, regions, sectors, length."""
    from corpus.loader import load_corpus

    result = load_corpus(path)
    if as_json:
        for article in result.articles:
            record = asdict(article)
            if not show_text:
                record.pop("text")
            record["length"] = len(article.text)
            click.echo(json.dumps(record, ensure_ascii=False))
        for skipped in result.skipped:
            click.echo(json.dumps({"skipped": asdict(skipped)}, ensure_ascii=False))
        return
    current_file = None
    for article in result.articles:
        file_name = article.origin.rsplit("#", 1)[0].rsplit(":", 1)[0]
        if file_name != current_file:
            current_file = file_name
            click.secho(f"\n{file_name}", bold=True)
        precision = "" if article.date_precision == "day" else f" ({article.date_precision})"
        click.echo(f"  {article.origin.rsplit(file_name, 1)[1]:>4}  {click.style(article.title, fg='cyan')}")
        click.echo(
            f"        {article.date}{precision} · {article.source} · 地区 {'、'.join(article.regions)}"
            f" · 领域 {'、'.join(article.sectors)}"
            + (f" · 援助方 {'、'.join(article.aid_from)}" if article.aid_from else "")
            + f" · {len(article.text)} 字"
        )
        if show_text:
            for paragraph in article.text.split("\n"):
                click.echo(f"        │ {paragraph}")
    click.echo(f"\n{len(result.articles)} articles")
    for skipped in result.skipped:
        where = f"{skipped.path}:{skipped.line}" if skipped.line else skipped.path
        click.secho(f"skipped {where}: {skipped.reason}", fg="yellow", err=True)
