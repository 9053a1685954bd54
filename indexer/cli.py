"""The root `xjsearch` command group and the indexing commands: index, export, stats."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click

from corpus.cli import XjsearchGroup, corpus_group
from indexer.export import FORMATS
from indexer.paths import ENV_VAR, resolve_index_dir

if TYPE_CHECKING:  # each command imports what it uses when it runs, so `xjsearch --help` stays quick
    from indexer.build import IndexReport, Progress


@click.group(cls=XjsearchGroup)
@click.version_option(package_name="xjsearch", prog_name="xjsearch")
def cli() -> None:
    """xjsearch — exact full-text search over Chinese newspaper articles on paired assistance
    to Xinjiang (对口援疆).

    \b
    Typical use:
      xjsearch index                 build or update the index from the bundled corpus
      xjsearch search 克拉玛依        search it from the terminal
      xjsearch serve                 search it in a browser
    """


cli.add_command(corpus_group)


def _check_index_dir(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Refuse an index path that is a file, given or from $XJSEARCH_INDEX, in one line (exit status 1)."""
    path = resolve_index_dir(value)
    if path.exists() and not path.is_dir():
        from_env = not value and os.environ.get(ENV_VAR, "").strip()
        where = f" (from ${ENV_VAR})" if from_env else ""
        raise click.ClickException(f"{path}{where} is a file, not an index directory — give a directory with --index")
    return value


def index_option(required: bool = False) -> Any:
    """The --index option shared by every command that reads or writes an index."""
    return click.option(
        "--index",
        "index_dir",
        # Checked by the callback rather than by click.Path, whose usage error is three lines and exit status 2.
        type=click.Path(path_type=Path),
        default=None,
        required=required,
        callback=_check_index_dir,
        help=f"Index directory [default: ${ENV_VAR}, else the per-user data directory].",
    )


def progress_bar(stack: contextlib.ExitStack, first: Callable[[], None] | None = None) -> Progress:
    """A progress callback drawing an indexing bar on stderr, opened in stack at the first call.

    first runs before the bar appears (a line saying why the index is being built). A streamed corpus
    has no known total (None): the bar then counts the articles read.
    """
    bars: list[Any] = []

    def progress(done: int, total: int | None) -> None:
        if not bars:
            if first is not None:
                first()
            bar = stack.enter_context(click.progressbar(length=total or 0, label="indexing", show_pos=True, file=sys.stderr))
            bars.append(bar)
        bar = bars[0]
        bar.length = total
        bar.update(done - bar.pos)

    return progress


def _report_lines(report: IndexReport) -> list[str]:
    """The human-readable summary of an index run."""
    lines = []
    if report.rebuilt:
        lines.append(f"full build ({report.reason})")
    lines.append(
        f"added {report.added}, updated {report.updated}, deleted {report.deleted}, "
        f"unchanged {report.unchanged}, skipped {len(report.skipped)}"
    )
    for skip in report.skipped:
        where = f"{skip.path}:{skip.line}" if skip.line is not None else skip.path
        lines.append(f"  skipped {where}: {skip.reason}")
    state = f"generation {report.generation}" if report.changed else f"unchanged, generation {report.generation}"
    lines.append(f"index {report.index_dir} ({state}) in {report.seconds:.2f} s")
    return lines


@cli.command("index")
@click.option(
    "--corpus",
    "corpus_path",
    # Not exists=True: a missing corpus is reported by the loader in one line naming what to give.
    type=click.Path(path_type=Path),
    default=None,
    help="A directory of raw pages or a JSONL file [default: the bundled corpus].",
)
@index_option()
@click.option("--rebuild", is_flag=True, help="Rebuild everything beside the live index, then swap it in.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
def index_command(corpus_path: Path | None, index_dir: Path | None, rebuild: bool, as_json: bool) -> None:
    """Build or update the index: new, changed and deleted articles are found by content hash."""
    from indexer.build import index_corpus
    from indexer.store import writes_to

    target = resolve_index_dir(index_dir)
    show_bar = sys.stderr.isatty() and not as_json
    # A read-only or full disk is one line naming the next step; the live index stays as it was.
    with writes_to(target), contextlib.ExitStack() as stack:
        progress = progress_bar(stack) if show_bar else None
        report = index_corpus(corpus_path, target, rebuild=rebuild, progress=progress)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        for line in _report_lines(report):
            click.echo(line)


@cli.command("export")
@index_option()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-", help="Output file [default: stdout].")
def export_command(index_dir: Path | None, fmt: str, output: Any) -> None:
    """Write every indexed article: id, title, date, date_precision, source, regions, sectors, aid_from, text."""
    from indexer.export import export_articles

    export_articles(resolve_index_dir(index_dir), fmt, output)
    output.flush()  # here, where a closed pipe is caught, not when click lets go of stdout


@cli.command("stats")
@index_option()
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as one JSON object.")
def stats_command(index_dir: Path | None, as_json: bool) -> None:
    """Show what the index holds: articles, size, generation, build time, facet value counts."""
    from indexer.store import describe

    summary = describe(resolve_index_dir(index_dir))
    if as_json:
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False))
        return
    click.echo(f"index       {summary.index_dir}")
    click.echo(f"articles    {summary.articles}")
    click.echo(f"size        {summary.size_bytes / 1024:.0f} KiB")
    click.echo(f"generation  {summary.generation}, built {summary.built_at} in {summary.build_seconds:.2f} s")
    click.echo(f"dates       {summary.date_min or '-'} … {summary.date_max or '-'}")
    for facet, values in summary.facets.items():
        shown = ", ".join(f"{v} {c}" for v, c in values[:12])
        more = f", … ({len(values)} values)" if len(values) > 12 else ""
        click.echo(f"{facet:<11} {shown or '-'}{more}")
