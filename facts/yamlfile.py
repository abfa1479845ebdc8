"""Read YAML safely while keeping the line of every mapping and key.

Only the safe constructors run (no arbitrary objects); mappings come back as `Located`
dicts that know their own line and the line of each key. Duplicate keys are errors,
not silent overwrites. Files are written by people, so what only an attacker needs is
refused, with the line: aliases (`*name`, which can expand a 500-byte file into
billions of items), nesting deeper than `MAX_DEPTH` and files over `MAX_YAML_BYTES`.
Plain files are built straight from libyaml's events (five times faster); anything
unusual, errors included, goes through the full loader, which words the message.
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


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> object:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:  # 2024-13-45 looks like a date but is none
        raise YamlError(f"'{node.value}' is not a real date ({exc}); write it as a date that exists, "
                        "or in quotes if it is text", node.start_mark.line + 1) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


_STR = "tag:yaml.org,2002:str"
_SCALARS = {f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null", "timestamp")}


_NO_KEY = object()  # a mapping's next event is a key


class _Unusual(Exception):
    """Something the quick reader leaves to the full loader (which also words every error)."""


def _quick(text: str) -> object:
    """What `_Loader` returns, built straight from libyaml's events for the plain YAML that fact
    files are made of (mappings, sequences, untagged scalars). Raises _Unusual for anything
    else: tags, merge keys, aliases, deep nesting, several documents, any error."""
    parser = _Parser(text)
    resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
    constructor = yaml.constructor.SafeConstructor()
    scalar_node = yaml.ScalarNode
    stack: list = []  # open collections: [Located, pending key, its line] or LocatedList
    root: list = []
    documents = 0
    try:
        while (event := parser.get_event()) is not None:
            kind = type(event)
            if kind is yaml.ScalarEvent:
                if event.tag is not None and event.tag != "!":
                    raise _Unusual
                value = event.value
                if event.implicit[0]:  # plain: resolved as the full loader resolves it
                    for tag, regexp in resolvers.get(value[:1], ()):
                        if regexp.match(value):
                            if tag not in _SCALARS:
                                raise _Unusual
                            value = constructor.yaml_constructors[tag](constructor, scalar_node(tag, value))
                            break
                item, line = value, event.start_mark.line + 1
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if (event.tag is not None and event.tag != "!") or len(stack) >= MAX_DEPTH:
                    raise _Unusual
                new: Located | LocatedList
                if kind is yaml.MappingStartEvent:
                    new = Located()
                    new.key_lines = {}
                    stack.append([new, _NO_KEY, 0])
                else:
                    new = LocatedList()
                    new.item_lines = []
                    stack.append(new)
                new.line = event.start_mark.line + 1
                continue
            elif kind is yaml.MappingEndEvent:
                item = stack.pop()[0]
                line = item.line
            elif kind is yaml.SequenceEndEvent:
                item = stack.pop()
                line = item.line
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Unusual
                continue
            elif kind is yaml.StreamStartEvent or kind is yaml.DocumentEndEvent:
                continue
            elif kind is yaml.StreamEndEvent:
                break
            else:  # an alias, or an event this reader does not know
                raise _Unusual
            if not stack:
                root.append(item)
                continue
            top = stack[-1]
            if type(top) is LocatedList:
                top.append(item)
                top.item_lines.append(line)
            elif top[1] is _NO_KEY:
                if not isinstance(item, str | int | float | bool) or item == "<<" or item in top[0]:
                    raise _Unusual
                top[1], top[2] = item, line
            else:
                top[0][top[1]] = item
                top[0].key_lines[top[1]] = top[2]
                top[1] = _NO_KEY
    except _Unusual:
        raise
    except Exception:
        raise _Unusual from None
    finally:
        parser.dispose()
    if len(root) > 1:
        raise _Unusual
    return root[0] if root else None


def load_text(text: str) -> object:
    """Parse YAML text; raises YamlError with a line number."""
    if _Parser is not None:
        try:
            return _quick(text)
        except _Unusual:
            pass  # the full loader reads it, and words the error if there is one
    return load_text_fully(text)


def load_text_fully(text: str) -> object:
    """load_text through the full loader alone (composes nodes in Python first)."""
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
