"""Where the index lives: --index, else $XJSEARCH_INDEX, else the per-user data directory."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "XJSEARCH_INDEX"


def default_index_dir() -> Path:
    """The index directory used when none is given: $XJSEARCH_INDEX or the user data dir."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs  # only for the per-user default: a command given --index skips it

    return platformdirs.user_data_path("xjsearch", appauthor=False) / "index"


def resolve_index_dir(index_dir: Path | str | None) -> Path:
    """The given index directory, or the default one."""
    return Path(index_dir).expanduser() if index_dir else default_index_dir()
