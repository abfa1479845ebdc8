"""Check an edited suggestion with the same reader and reference rules as `alliance check`."""

from __future__ import annotations

from ..kinds import KINDS
from ..loader import RawFacts, _FileReader, _ref_problem
from ..model import Fact
from ..problems import Problem
from ..text import QuoteFinder, one_line
from ..yamlfile import YamlError, load_text
from .model import Suggestion
from .render import dump


def check_edit(kind: str, record: dict, article_raw: str, base, new: list[Suggestion] = ()) -> list[str]:
    """Messages for what is wrong with `record` (a YAML-ready dict with one source), [] when good."""
    spec = KINDS[kind]
    try:
        located = load_text(dump({spec.section: [record]}))
    except YamlError as exc:
        return [exc.message]
    problems: list[Problem] = []
    fact = _FileReader("edit", problems, RawFacts()).record(spec, located[spec.section][0], 1)
    messages = [p.message for p in problems]
    quote = (record.get("sources") or [{}])[0].get("quote", "")
    if not isinstance(quote, str) or not quote.strip():
        messages.append("the quote is empty")
    elif QuoteFinder(article_raw).find(quote) is None:
        messages.append(f'quote not found in the article: "{one_line(quote, 60)}" (it must be a span of the text)')
    if fact is None:
        return messages
    known: dict[str, Fact] = dict(base.facts) if base is not None else {}
    for s in new:
        known.setdefault(s.id, Fact(s.id, s.kind, dict(s.values), [], "suggested", 0))
    hints = [10]  # how many 'did you mean' hints the checker may look for
    for field_name, ref in fact.refs():
        if field_name in ("supersedes", "conflicts_with", "related") and ref in known:
            continue
        message = _ref_problem(fact, field_name, ref, known, hints)
        if message:
            messages.append(message)
    if base is not None and record.get("id") in base.facts:
        messages.append(f"id '{record.get('id')}' is already used by a {base.facts[record['id']].kind}")
    return messages
