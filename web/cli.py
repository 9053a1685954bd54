"""The `xjsearch` entry point: every command of every layer, plus `serve`."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path

# numpy's OpenBLAS starts a thread per core as it is imported, which costs every command about 0.1 s
# of CPU (and of wall time on a busy machine); nothing here multiplies matrices. A user's own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import click  # noqa: E402 - after the setting above, which must precede numpy's import

from indexer.cli import index_option, progress_bar  # noqa: E402
from search.cli import cli  # noqa: E402

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
# Commands that only read the index and print: run by the console script (run()), once they
# succeeded and their output is flushed, the process ends without the interpreter's teardown
# (freeing every module, array and object: about 0.05 s of a 0.4 s terminal search). The others
# (index, export, serve, corpus) write files, run other processes or threads, and end as usual.
QUICK_EXIT = ("search", "concordance", "stats")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but localhost exposes the server to the network.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535),
              help="Port (0: any free port).")
@index_option()
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Server processes, sharing the index [default: the number of cores].")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Threads answering requests in each process.")
def serve(host: str, port: int, index_dir: Path | None, workers: int | None, threads: int) -> None:
    """Serve the search pages and the JSON API (building the index first if there is none)."""
    from indexer.paths import resolve_index_dir
    from search.service import load_analysis
    from web import create_app, service
    from web.server import ServerSettings, default_workers, listen, run_server

    index_dir = resolve_index_dir(index_dir)
    _build_if_missing(index_dir)
    app = create_app({"INDEX": str(index_dir), "DEBUG": False})
    with app.app_context():
        # Open the index now, so an outdated or unreadable one is reported before serving. The
        # workers forked later share this generation (its arrays, and its gram files mapped
        # read-only); each opens its own Whoosh searchers, and its own later generations.
        articles = service().stats().articles
    # Loaded once here, before the workers are forked, which share them.
    load_analysis()
    # Bind first, so the URL is printed only once it answers.
    try:
        sock = listen(host, port)
    except OSError as exc:
        raise click.ClickException(_bind_failure(host, port, exc)) from exc
    if host not in LOCAL_HOSTS:
        click.echo(f"warning: listening on {host}: other machines can reach this server", err=True)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    settings = ServerSettings(workers=workers or default_workers(), threads=threads)
    click.echo(f"xjsearch: {articles} articles, index {index_dir}")
    click.echo(f"serving at http://{shown}:{bound}/  (Ctrl+C stops)")

    def start_worker() -> None:
        # In each worker: check for a newer generation, and start reading the vocabulary ahead.
        with app.app_context():
            service().warm()

    status = run_server(app, sock, settings, start_worker)
    if status:
        raise click.ClickException(f"the server stopped (status {status}): see the messages above")
    click.echo("stopped")


def _bind_failure(host: str, port: int, error: OSError) -> str:
    """One line saying why the server could not listen on host:port, and what to do instead."""
    import socket  # only when listening failed: the other commands do not load it

    where = f"{host}:{port}"
    if isinstance(error, socket.gaierror):
        # The host name or address could not be resolved.
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
        def say_why() -> None:
            click.echo(f"{reason}: building it from the bundled corpus", err=True)

        report = ensure_index(index_dir, progress=progress_bar(stack, say_why))
    if report is not None:
        # A rebuild reports its articles as unchanged (the diff is against the old index), yet wrote them all.
        written = report.added + report.updated + (report.unchanged if report.rebuilt else 0)
        click.echo(f"indexed {written} articles in {report.seconds:.1f} s", err=True)


def main() -> None:
    """Run the xjsearch command line."""
    cli(prog_name="xjsearch")


def run() -> None:
    """The `xjsearch` console script: main(), ending a reading command that succeeded at once.

    Its output flushed, the process ends by os._exit, without the interpreter's teardown and
    exit handlers; main() itself returns (or raises SystemExit) as usual for a caller in Python.
    """
    try:
        main()
    except SystemExit as stop:
        if stop.code in (0, None) and _command(sys.argv[1:]) in QUICK_EXIT:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            except (OSError, ValueError):
                raise stop from None  # as before: the interpreter reports it on its way out
            os._exit(0)
        raise


def _command(args: list[str]) -> str | None:
    """The command args name: the first that is no option (the root group's options take no value)."""
    return next((arg for arg in args if not arg.startswith("-")), None)
