"""Articles' reading texts saved with the index, so that a snippet needs no reading again.

Each article's document keeps, in a column of its own (read for the hits given a snippet
only, not with every hit's stored fields), its reading text and the key of the file it
was read from. The saved text is used while the file still has that key; a file changed,
replaced or removed since, or reached through a link, is read as before.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

BODY_FIELD = "body"

Key = tuple[int, int, int, int]


def file_key(path: Path) -> Key | None:
    """Inode, size, modification and status-change times of a regular file (a link is not
    followed); None for anything else, or a file that cannot be looked at."""
    try:
        info = os.lstat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def saved_body(key: Key | None, text: str) -> tuple[Key, str] | None:
    """What an article's document saves of its text (nothing when its file had no key)."""
    return (key, text) if key is not None else None


def current_text(saved, path: Path | None) -> str | None:
    """The text `saved` with the index, if the file at `path` still has the key it was
    read with; else None (read the file)."""
    if path is None or not isinstance(saved, tuple) or len(saved) != 2:
        return None
    key, text = saved
    if not isinstance(text, str) or key is None or file_key(path) != tuple(key):
        return None
    return text
