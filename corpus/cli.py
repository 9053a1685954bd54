"""The `xjsearch corpus` commands: look at how raw pages become articles before indexing them."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from corpus.article import Article, Skipped
from corpus.article import UNDATED, UNKNOWN
from corpus.errors import XjsearchError

if TYPE_CHECKING:  # the loader is imported when a corpus is read, not by `xjsearch --help`
    from corpus.loader import FileReport


def show_progress() -> None:
    """Print the readers' progress lines (a line per OCR'd page) on stderr, once."""
    logger = logging.getLogger("corpus.readers")
    if not any(getattr(handler, "xjsearch", False) for handler in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler.xjsearch = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


class XjsearchGroup(click.Group):
    """A click group that reports XjsearchError as one line and exit status 1, and ends quietly on a closed pipe."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, turning library errors into a ClickException naming the next step."""
        show_progress()
        try:
            result = super().invoke(ctx)
            # Flushed here rather than at exit, so that a reader gone early is noticed below.
            sys.stdout.flush()
            return result
        except XjsearchError as exc:
            raise click.ClickException(str(exc)) from exc
        except BrokenPipeError:
            end_on_closed_pipe()


def end_on_closed_pipe() -> NoReturn:
    """Stop as Unix tools stop when the reader of their output has gone (| head): silently, by SIGPIPE."""
    # Nothing more can be written: stdout goes to nowhere, so that no flush at exit fails again.
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout is no file (a test runner's buffer)
    # Python ignores SIGPIPE so that writes raise instead; restored, it ends the process as it ends `cat`.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGPIPE)
    sys.exit(128 + signal.SIGPIPE)  # the shell's status of a process SIGPIPE ended, should it be blocked


@click.group("corpus", cls=XjsearchGroup)
def corpus_group() -> None:
    """Inspect a corpus: how pages split into articles and what metadata each gets."""


def _found(report: FileReport) -> str:
    """What a reader found in a file, as a header line says it: pages with a text layer 2, articles 4."""
    return ", ".join(f"{what} {count}" for what, count in [*report.found.items(), ("articles", report.articles)])


def _where(article: Article) -> str:
    """The page an article was printed on, as its metadata line shows it."""
    return f" · 第{article.page}页" if article.page is not None else ""


@corpus_group.command("inspect")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object a line: each article, each file's reader and findings, then each skip.")
@click.option("--text", "show_text", is_flag=True, help="Print each article's clean text too.")
def inspect_command(path: Path | None, as_json: bool, show_text: bool) -> None:
    """Show how PATH (default: the bundled corpus) is read: per file, the reader that took it and what
    it found; per article, its title, date, source, regions, sectors, origin and length.

    \b
    Readers: text pages (.txt), JSON Lines (.jsonl), web pages (.html, .htm),
    PDFs (.pdf; scanned pages OCR'd), scans (.png, .jpg, .tif), Word files (.docx),
    web archives (.warc, .warc.gz).
    """
    from corpus.loader import iter_files

    skipped: list[Skipped] = []
    total = 0
    for report, articles in iter_files(path, skipped):
        found = list(articles)  # one file's articles, so the header can say what the file held
        total += len(found)
        if as_json:
            for article in found:
                record = asdict(article)
                record.pop("record")  # the loader's own key of where it read the article (indexer.ledger)
                if not show_text:
                    record.pop("text")
                record["length"] = len(article.text)
                click.echo(json.dumps(record, ensure_ascii=False))
            file_record = {"name": report.name, "reader": report.reader, "found": dict(report.found), "articles": report.articles}
            click.echo(json.dumps({"file": file_record}, ensure_ascii=False))
            continue
        click.echo()
        click.echo(click.style(report.name, bold=True) + f"  ({report.reader}: {_found(report)})")
        for article in found:
            precision = "" if article.date_precision in ("day", UNKNOWN) else f" ({article.date_precision})"
            click.echo(f"  {article.origin.rsplit(report.name, 1)[1]:>4}  {click.style(article.title, fg='cyan')}")
            click.echo(
                f"        {article.date or UNDATED}{precision} · {article.source} · 地区 {'、'.join(article.regions)}"
                f" · 领域 {'、'.join(article.sectors)}"
                + (f" · 援助方 {'、'.join(article.aid_from)}" if article.aid_from else "")
                + _where(article)
                + f" · {len(article.text)} 字"
            )
            if article.url:
                click.echo(f"        原文 {article.url}")
            if show_text:
                for paragraph in article.text.split("\n"):
                    click.echo(f"        │ {paragraph}")
    if as_json:
        for item in skipped:
            click.echo(json.dumps({"skipped": asdict(item)}, ensure_ascii=False))
        return
    click.echo(f"\n{total} articles")
    for item in skipped:
        where = f"{item.path}:{item.line}" if item.line else item.path
        click.secho(f"skipped {where}: {item.reason}", fg="yellow", err=True)
