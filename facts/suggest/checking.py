"""Check an edited suggestion with the same reader and reference rules as `alliance check`."""

from __future__ import annotations

from ..kinds import KINDS
from ..loader import check_record
from ..model import Fact
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
    known: dict[str, Fact] = dict(base.facts) if base is not None else {}
    for s in new:
        known.setdefault(s.id, Fact(s.id, s.kind, dict(s.values), [], "suggested", 0))
    fact, problems = check_record(kind, located[spec.section][0], known,
                                  any_kind=("supersedes", "conflicts_with", "related"))
    quote = (record.get("sources") or [{}])[0].get("quote", "")
    if not isinstance(quote, str) or not quote.strip():
        quote_problems = ["the quote is empty"]
    elif QuoteFinder(article_raw).find(quote) is None:
        quote_problems = [f'quote not found in the article: "{one_line(quote, 60)}" (it must be a span of the text)']
    else:
        quote_problems = []
    # field problems stop the reference checks: they come before the quote's, reference ones after
    messages = problems + quote_problems if fact is None else quote_problems + problems
    if fact is None:
        return messages
    if base is not None and record.get("id") in base.facts:
        messages.append(f"id '{record.get('id')}' is already used by a {base.facts[record['id']].kind}")
    return messages
