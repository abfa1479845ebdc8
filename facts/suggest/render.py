"""Suggestions as YAML (the facts format, readable by `alliance check`) and as JSON-ready dicts."""

from __future__ import annotations

from ..kinds import KINDS
from .model import Suggestion

_CERTAIN = "confirmed"


def with_needs(suggestions: list[Suggestion]) -> list[Suggestion]:
    """The suggestions and the new entities they need, each once, entities first."""
    out: list[Suggestion] = []
    for s in suggestions:
        for need in s.new:
            if need not in out:
                out.append(need)
    for s in suggestions:
        if s not in out:
            out.append(s)
    return out


def sections(suggestions: list[Suggestion]) -> dict[str, list[dict]]:
    """{section: [record, ...]} in the kinds' order."""
    out: dict[str, list[dict]] = {}
    for spec in KINDS.values():
        records = [s.record() for s in suggestions if s.kind == spec.kind]
        if records:
            out[spec.section] = records
    return out


def dump(data: dict) -> str:
    """YAML our loader reads back: never an alias (the loader refuses them), even for a shared list."""
    import yaml

    class _NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data) -> bool:
            return True

    return yaml.dump(data, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=None)


def to_yaml(suggestions: list[Suggestion], header: str | None = None) -> str:
    text = dump(sections(with_needs(suggestions))) if suggestions else ""
    return (f"# {header}\n" if header else "") + text


def to_json(s: Suggestion) -> dict:
    return {
        "key": s.key, "kind": s.kind, "id": s.id, "rule": s.rule,
        "certainty": s.values.get("certainty") or ("expected" if s.hedge else _CERTAIN),
        "hedge": s.hedge, "fields": s.record(), "article": s.article, "quote": s.quote,
        "quote_start": s.span[0], "quote_end": s.span[1],
        "new_entities": [n.id for n in s.new],
        "supersedes": list(s.values.get("supersedes", [])),
        "conflicts_with": list(s.values.get("conflicts_with", [])),
        "changes": list(s.why),
    }


_QUIET = ("id", "sources", "supersedes", "conflicts_with", "certainty", "hedged", "note")


def fields_line(s: Suggestion) -> str:
    """The suggestion's fields on one line: 'holder: nissan · target: renault-group · percent: 10'."""
    parts = []
    for name, value in s.record().items():
        if name in _QUIET:
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        parts.append(f"{name}: {value}")
    return " · ".join(parts)


def label(s: Suggestion) -> str:
    """'stake (expected)' / 'company (new)'."""
    extra = []
    if s.rule.startswith("new-"):
        extra.append("new")
    certainty = s.values.get("certainty") or ("expected" if s.hedge else None)
    if certainty:
        extra.append(f"{certainty}: '{s.hedge}'" if s.hedge else certainty)
    return s.kind + (f" ({'; '.join(extra)})" if extra else "")


def short_label(s: Suggestion) -> str:
    """'stake', 'company new', 'goal ~expected': for one-line lists."""
    out = s.kind + (" new" if s.rule.startswith("new-") else "")
    certainty = s.values.get("certainty") or ("expected" if s.hedge else None)
    return out + (f" ~{certainty}" if certainty else "")
