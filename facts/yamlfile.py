"""Read YAML safely while keeping the line of every mapping and key.

Only the safe constructors run (no arbitrary objects); mappings come back as `Located`
dicts that know their own line and the line of each key. Duplicate keys are errors,
not silent overwrites.
"""

from __future__ import annotations

from pathlib import Path

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(Exception):
    """A YAML file that cannot be read; `line` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class Located(dict):
    """A mapping from YAML with `line` (its first line) and `key_lines` (line of each key)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        """The line of `key`, or the mapping's own line when the key is absent."""
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    """A sequence from YAML with `line` and `item_lines` (line of each item)."""

    line: int = 0
    item_lines: list


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that records lines and rejects duplicate keys."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    out = Located()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) or key is None:
            raise YamlError("mapping keys must be plain text", key_node.start_mark.line + 1)
        if key in out:
            raise YamlError(
                f"key '{key}' appears twice (first on line {out.key_lines[key]})",
                key_node.start_mark.line + 1,
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LocatedList:
    out = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def load_text(text: str) -> object:
    """Parse YAML text; raises YamlError with a line number."""
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or str(exc)
        if exc.context and exc.problem:
            what = f"{exc.problem} ({exc.context})"
        raise YamlError(f"YAML syntax error: {what}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML error: {exc}") from None
    finally:
        loader.dispose()


def load_file(path: Path) -> object:
    """Read and parse one YAML file; raises YamlError (also for unreadable or non-UTF-8 files)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise YamlError(f"cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError(f"not valid UTF-8 (byte {exc.start})", line) from None
    return load_text(text)
