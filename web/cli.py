"""The `xjsearch` entry point: every command of every layer, plus `serve`."""

from __future__ import annotations

from pathlib import Path

import click

from search.cli import cli

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but localhost exposes the server to the network.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              envvar="XJSEARCH_INDEX", help="Index directory [default: the per-user data directory].")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads answering requests.")
def serve(host: str, port: int, index_dir: Path | None, threads: int) -> None:
    """Serve the search pages and the JSON API (building the index first if there is none)."""
    import waitress

    from indexer.build import ensure_index
    from indexer.paths import default_index_dir
    from web import create_app

    index_dir = index_dir or default_index_dir()
    _build_if_missing(ensure_index, index_dir)
    app = create_app({"INDEX": str(index_dir), "DEBUG": False})
    if host not in LOCAL_HOSTS:
        click.echo(f"注意：正在监听 {host}，同一网络中的其他机器也能访问。", err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"xjsearch 正在运行：http://{shown}:{port}/  （索引：{index_dir}；按 Ctrl+C 停止）")
    waitress.serve(app, host=host, port=port, threads=threads, ident="xjsearch")


def _build_if_missing(ensure_index, index_dir: Path) -> None:
    """Build the index from the bundled corpus when index_dir holds none, showing progress."""
    with click.progressbar(length=0, label="建立索引", show_pos=True) as bar:
        state = {"started": False}

        def progress(done: int, total: int) -> None:
            if not state["started"]:
                state["started"] = True
                click.echo(f"{index_dir} 中还没有索引，正在用自带语料建立……", err=True)
            bar.length = total
            bar.update(done - bar.pos)

        ensure_index(index_dir, progress=progress)


def main() -> None:
    """Run the xjsearch command line."""
    cli(prog_name="xjsearch")
