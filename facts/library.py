"""Where the user's own library of articles lives: a corpus folder in the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path

LIBRARY_ENV = "ALLIANCE_LIBRARY_DIR"


def library_root() -> Path:
    """`$ALLIANCE_LIBRARY_DIR`, else `platformdirs.user_data_dir("alliance")/library`."""
    if env := os.environ.get(LIBRARY_ENV):
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("alliance", appauthor=False)) / "library"
