"""Listing the files of a corpus folder without ever leaving the corpus.

Like ripgrep without `-L`: a symbolic link is followed only when it resolves to a regular
file inside the corpus (its root, or the folder being listed, which may itself be a link).
Links out of the corpus, links to folders, broken links, link loops and special files
(FIFOs, devices, sockets) are never opened; each gets a warning naming it. Sub-folders
are entered only where asked (`facts/`), never through a link, and at most `MAX_DEPTH` deep.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from .problems import ERROR, WARNING, Problem
from .text import has_undecodable, safe_for_terminal

SIDECAR = "metadata.yaml"  # the articles' metadata file in seeds/ (facts.metadata reads it)
MAX_DEPTH = 16


def _within(target: str, roots: tuple[str, ...]) -> bool:
    return any(target == root or target.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def refusal(path: Path, roots: tuple[str, ...]) -> str | None:
    """Why the file at `path` must not be read (a link out of `roots`, a folder ...), or None."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISLNK(info.st_mode):
        target = os.path.realpath(path)
        try:
            info = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "not read: a symbolic link that loops"
            return f"not read: a broken symbolic link (to {target})"
        if not _within(target, roots):
            return f"not read: a symbolic link to {target}, outside the corpus"
        if stat.S_ISDIR(info.st_mode):
            return "not read: a symbolic link to a folder (links to folders are not followed)"
    if stat.S_ISDIR(info.st_mode):
        return "not read: a folder"
    if not stat.S_ISREG(info.st_mode):
        return "not read: not a regular file (a FIFO, device or socket)"
    return None


def corpus_roots(root: Path, *folders: Path) -> tuple[str, ...]:
    """The real paths a corpus's files may resolve into: its root and its own folders."""
    out = [os.path.realpath(root)]
    out.extend(os.path.realpath(folder) for folder in folders)
    return tuple(dict.fromkeys(out))


def list_files(
    folder: Path, rel_dir: str, roots: tuple[str, ...], wanted: Callable[[str], bool],
    unwanted: str | None = None, skip: tuple[str, ...] = (), recursive: bool = False,
) -> tuple[list[Path], list[Problem]]:
    """The files in `folder` whose names are `wanted`, sorted, and a problem for each passed over.

    A name not wanted gets the warning `unwanted` (none when None); hidden names and `skip`
    are passed over in silence. An unreadable folder is an error, not an exception.
    """
    found, problems = list_entries(folder, rel_dir, roots, wanted, unwanted, skip, recursive)
    return [where / name for where, name in found], problems


def list_entries(
    folder: Path, rel_dir: str, roots: tuple[str, ...], wanted: Callable[[str], bool],
    unwanted: str | None = None, skip: tuple[str, ...] = (), recursive: bool = False,
) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """`list_files`, each file as (its folder, its name): no path is made for each of 10,000 files."""
    files: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    _walk(folder, rel_dir, roots, wanted, unwanted, skip, recursive, 0, files, problems)
    return files, problems


def _walk(folder: Path, rel_dir: str, roots: tuple[str, ...], wanted: Callable[[str], bool], unwanted: str | None,
          skip: tuple[str, ...], recursive: bool, depth: int, files: list[tuple[Path, str]],
          problems: list[Problem]) -> None:
    try:
        with os.scandir(folder) as entries:
            # the types come with the listing on most systems: no stat call for a plain file
            listed = sorted((e.name, e.is_symlink(), _is(e.is_dir), _is(e.is_file)) for e in entries)
    except OSError as exc:
        problems.append(Problem(rel_dir, None, f"cannot read the folder: {exc.strerror or exc}", ERROR))
        return
    def shown(name: str) -> str:
        return f"{rel_dir}/{safe_for_terminal(name)}"  # as the shell shows it (ls -b)

    for name, is_link, is_dir, is_file in listed:
        if name.startswith(".") or name in skip:
            continue
        if is_file and wanted(name) and not has_undecodable(name):  # the common case: an article
            files.append((folder, name))
            continue
        path = folder / name
        rel = shown(name)
        if is_dir and not is_link:
            if not recursive:
                problems.append(Problem(rel, None, f"not read: a folder (files are read from {rel_dir}/ itself, "
                                                   "not from sub-folders)", WARNING))
            elif depth >= MAX_DEPTH:
                problems.append(Problem(rel, None, f"not read: folders nested more than {MAX_DEPTH} deep", WARNING))
            else:
                _walk(path, rel, roots, wanted, unwanted, skip, recursive, depth + 1, files, problems)
            continue
        if is_link and os.path.isdir(path):  # never followed, whatever its name
            problems.append(Problem(rel, None, refusal(path, roots) or "not read: a folder", WARNING))
            continue
        if not wanted(name):
            if unwanted:
                problems.append(Problem(rel, None, unwanted, WARNING))
            continue
        if has_undecodable(name):  # the index, JSON and YAML need text: this name is not
            problems.append(Problem(rel, None, "not read: the file name is not valid UTF-8 "
                                    "(shown here with \\x escapes); rename it"))
            continue
        why = None if is_file else refusal(path, roots)  # is_file is false for a link
        if why is None:
            files.append((folder, name))
        else:
            problems.append(Problem(rel, None, why, WARNING))


def _is(test: Callable[..., bool]) -> bool:
    try:
        return test(follow_symlinks=False)
    except OSError:
        return False


class Refused(Exception):
    """A file that was not read; the message says why (for the user)."""


def mib(size: int) -> str:
    """A size for messages: '47.7 MiB' or '1,234 bytes'."""
    return f"{size / 1048576:.1f} MiB" if size >= 104858 else f"{size:,} bytes"


def read_limited(path: Path, limit: int, what: str = "files") -> bytes:
    """The bytes of the regular file `path`, if it has at most `limit` of them; raises Refused.

    The file is opened without blocking and checked once open, so a FIFO or device put in
    its place is never read from, and a file that grows while being read is refused too.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise Refused(f"cannot read: {exc.strerror or exc}") from None
    with open(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("not read: not a regular file (a FIFO, device or socket)")
        too_large = f"{what} are limited to {mib(limit)}"
        if info.st_size > limit:
            raise Refused(f"too large ({mib(info.st_size)}; {too_large})")
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise Refused(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise Refused(f"too large (over {mib(limit)}; {too_large})")
    return data
