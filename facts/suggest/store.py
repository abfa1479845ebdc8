"""Where reviewed suggestions go: one YAML file per article in a library's `facts/`, written
atomically, and a small state file remembering rejections. Never the bundled corpus."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..kinds import KINDS, SECTIONS
from ..text import QuoteFinder
from ..yamlfile import Located, LocatedList, YamlError, load_file
from .model import Suggestion
from .render import dump

STATE = "review-state.json"
PREFIX = "suggested-"


class StoreError(Exception):
    """A write that was refused; the message says why and that nothing was lost."""


def _plain(value):
    if isinstance(value, Located | dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, LocatedList | list):
        return [_plain(v) for v in value]
    return value


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


@dataclass
class Written:
    """What an accept wrote: the file, the ids, and any message (merged, renamed)."""

    path: Path
    ids: list[str]
    messages: list[str]


class ReviewStore:
    """Accepted facts in `<root>/facts/suggested-<article>.yaml`; rejections in `<root>/review-state.json`."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.facts_dir = self.root / "facts"
        self.seen: dict[Path, str | None] = {}  # file -> digest when we last read or wrote it

    def path_for(self, article: str) -> Path:
        stem = Path(article).stem
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in stem)[:100]
        return self.facts_dir / f"{PREFIX}{safe}.yaml"

    # state ------------------------------------------------------------------------------
    def _state(self) -> dict:
        try:
            data = json.loads((self.root / STATE).read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def rejected(self) -> set[str]:
        return set(self._state().get("rejected", []))

    def set_rejected(self, key: str, rejected: bool) -> None:
        state = self._state()
        keys = set(state.get("rejected", []))
        (keys.add if rejected else keys.discard)(key)
        state["rejected"] = sorted(keys)
        write_atomic(self.root / STATE, json.dumps(state, indent=1) + "\n")

    # facts ------------------------------------------------------------------------------
    def read(self, path: Path) -> dict[str, list[dict]]:
        """The file's sections as plain data ({} when absent); StoreError when it can't be read."""
        if not path.exists():
            self.seen[path] = None
            return {}
        try:
            data = load_file(path)
        except YamlError as exc:
            raise StoreError(f"{path.name}:{exc.line or '?'}: {exc.message}; fix it (nothing was written)") from None
        self.seen[path] = _digest(path)
        if data is None:
            return {}
        if not isinstance(data, dict) or any(k not in SECTIONS for k in data):
            raise StoreError(f"{path.name} is not a facts file this app wrote; nothing was written")
        return _plain(data)

    def ids_in(self, path: Path) -> set[str]:
        data = self.read(path)
        return {r.get("id") for records in data.values() for r in records or [] if isinstance(r, dict)}

    def accept(self, suggestions: list[Suggestion], article_text: str, taken: set[str]) -> Written:
        """Append the records of `suggestions` to their article's file.

        Refuses (StoreError) when a quote no longer occurs in `article_text`. An id that now
        clashes with `taken` or the file is renamed (and references to it follow), with a message.
        A file changed outside the app since it was last read is re-read and added to.
        """
        if not suggestions:
            raise StoreError("nothing to write")
        path = self.path_for(suggestions[0].article)
        messages: list[str] = []
        finder = QuoteFinder(article_text)
        for s in suggestions:
            if finder.find(s.quote) is None:
                raise StoreError(f"the quote of {s.kind} '{s.id}' is no longer in {s.article} (the article changed?); "
                                 "nothing was written")
        before = self.seen.get(path, "unread")
        data = self.read(path)
        if before != "unread" and before != self.seen.get(path):
            messages.append(f"{path.name} changed outside the app; added to its new content")
        used = set(taken) | {r.get("id") for records in data.values() for r in records if isinstance(r, dict)}
        renames: dict[str, str] = {}
        for s in suggestions:
            if s.id in used:
                new_id, n = s.id, 2
                while new_id in used:
                    new_id, n = f"{s.id}-{n}", n + 1
                renames[s.id] = new_id
                messages.append(f"id '{s.id}' is taken now; written as '{new_id}'")
            used.add(renames.get(s.id, s.id))
        ids = []
        for s in suggestions:
            record = s.record()
            for name, value in list(record.items()):
                if isinstance(value, str) and value in renames and name != "name":
                    record[name] = renames[value]
                elif isinstance(value, list):
                    record[name] = [renames.get(v, v) if isinstance(v, str) else v for v in value]
            ids.append(record["id"])
            data.setdefault(KINDS[s.kind].section, []).append(record)
        ordered = {spec.section: data[spec.section] for spec in KINDS.values() if data.get(spec.section)}
        header = "# Facts accepted in `alliance` review from suggestions; edit freely.\n"
        write_atomic(path, header + dump(ordered))
        self.seen[path] = _digest(path)
        return Written(path, ids, messages)

    def remove(self, article: str, ids: list[str]) -> Path:
        """Take the records with `ids` out of the article's file (undo of an accept)."""
        path = self.path_for(article)
        data = self.read(path)
        out = {}
        for section, records in data.items():
            kept = [r for r in records if not (isinstance(r, dict) and r.get("id") in ids)]
            if kept:
                out[section] = kept
        if out:
            write_atomic(path, "# Facts accepted in `alliance` review from suggestions; edit freely.\n" + dump(out))
        else:
            path.unlink(missing_ok=True)
        self.seen[path] = _digest(path)
        return path


def review_root(corpus) -> Path | None:
    """Where accepted suggestions go: the corpus's library, else a `--corpus` folder the user chose.
    None for the bundled corpus alone (it is never written)."""
    library = getattr(corpus, "library", None)
    if library is not None:
        return Path(library)
    if not corpus.is_bundled:
        return corpus.root
    return None
