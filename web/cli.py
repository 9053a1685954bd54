"""The `xjsearch` entry point: every command of every layer, plus `serve`."""

from __future__ import annotations

import contextlib
import errno
import sys
from pathlib import Path

import click

from indexer.cli import index_option
from search.cli import cli

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but localhost exposes the server to the network.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@index_option()
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads answering requests.")
def serve(host: str, port: int, index_dir: Path | None, threads: int) -> None:
    """Serve the search pages and the JSON API (building the index first if there is none)."""
    import waitress

    from indexer.paths import resolve_index_dir
    from web import create_app, service

    index_dir = resolve_index_dir(index_dir)
    _build_if_missing(index_dir)
    app = create_app({"INDEX": str(index_dir), "DEBUG": False})
    with app.app_context():
        # Open the index now, so an outdated or unreadable one is reported before serving.
        articles = service().stats().articles
        # Load the segmenter before the first request, not during it.
        service().warm()
    # Bind first, so the URL is printed only once it answers.
    try:
        server = waitress.create_server(app, host=host, port=port, threads=threads, ident="xjsearch")
    except (OSError, ValueError) as exc:
        raise click.ClickException(_bind_failure(host, port, exc)) from exc
    if host not in LOCAL_HOSTS:
        click.echo(f"warning: listening on {host}: other machines can reach this server", err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"xjsearch: {articles} articles, index {index_dir}")
    click.echo(f"serving at http://{shown}:{port}/  (Ctrl+C stops)")
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.close()


def _bind_failure(host: str, port: int, error: OSError | ValueError) -> str:
    """One line saying why the server could not listen on host:port, and what to do instead."""
    where = f"{host}:{port}"
    if isinstance(error, ValueError):
        # waitress could not resolve the host name or address.
        return f"cannot listen on {where}: unknown host {host!r} — give an address, e.g. --host 127.0.0.1"
    if error.errno == errno.EADDRINUSE:
        return f"cannot listen on {where}: the port is in use — stop the other server or choose another --port"
    if error.errno == errno.EACCES:
        return f"cannot listen on {where}: permission denied — choose a port above 1023 with --port"
    if error.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {where}: no network interface has this address — check --host"
    return f"cannot listen on {where}: {error.strerror or error}"


def _build_if_missing(index_dir: Path) -> None:
    """Build the index from the bundled corpus when index_dir holds none (or an outdated one of it)."""
    from indexer.build import bundled_build_reason, ensure_index
    from indexer.store import writes_to

    reason = bundled_build_reason(index_dir)
    with writes_to(index_dir), contextlib.ExitStack() as stack:
        bars: list = []

        def progress(done: int, total: int) -> None:
            if not bars:
                click.echo(f"{reason}: building it from the bundled corpus", err=True)
                bars.append(stack.enter_context(
                    click.progressbar(length=total, label="indexing", show_pos=True, file=sys.stderr)))
            bars[0].update(done - bars[0].pos)

        report = ensure_index(index_dir, progress=progress)
    if report is not None:
        # A rebuild reports its articles as unchanged (the diff is against the old index), yet wrote them all.
        written = report.added + report.updated + (report.unchanged if report.rebuilt else 0)
        click.echo(f"indexed {written} articles in {report.seconds:.1f} s", err=True)


def main() -> None:
    """Run the xjsearch command line."""
    cli(prog_name="xjsearch")
