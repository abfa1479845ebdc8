"""Read YAML safely while keeping the line of every mapping and key.

Only the safe constructors run (no arbitrary objects); mappings come back as `Located`
dicts that know their own line and the line of each key. Duplicate keys are errors,
not silent overwrites. Files are written by people, so what only an attacker needs is
refused, with the line: aliases (`*name`, which can expand a 500-byte file into
billions of items), nesting deeper than `MAX_DEPTH` and files over `MAX_YAML_BYTES`.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent

from .files import Refused, read_limited

# libyaml scans and parses when it is installed; the nodes are composed here, in Python,
# so that aliases and depth can be refused before anything is built.
try:
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    _Parser = None
MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64


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


if _Parser is not None:
    class _Base(Composer, _Parser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):  # type: ignore[misc, valid-type]
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
else:  # pragma: no cover - PyYAML without libyaml
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that records lines, rejects duplicate keys, aliases and deep nesting."""

    depth = 0

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            anchor = self.anchors.get(event.anchor)
            where = f" (the anchor &{event.anchor} is on line {anchor.start_mark.line + 1})" if anchor else ""
            raise YamlError(f"YAML aliases (*{event.anchor}) are not allowed{where}; "
                            "write the value out in full", event.start_mark.line + 1)
        if self.check_event(SequenceStartEvent, MappingStartEvent):
            if self.depth >= MAX_DEPTH:
                raise YamlError(f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark.line + 1)
            self.depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1
        return super().compose_node(parent, index)


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
    """Read and parse one YAML file; raises YamlError (also for unreadable, too large or non-UTF-8 files)."""
    try:
        data = read_limited(path, MAX_YAML_BYTES, "YAML files")
    except Refused as exc:
        raise YamlError(str(exc)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError(f"not valid UTF-8 (byte {exc.start})", line) from None
    return load_text(text)
