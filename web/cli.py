"""The `xjsearch` entry point: every command of every layer, plus `serve`."""

from search.cli import cli


def main() -> None:
    """Run the xjsearch command line."""
    cli(prog_name="xjsearch")
