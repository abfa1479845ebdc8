"""Find the article a user names: its file name, a unique prefix of it, or words of its title."""

from __future__ import annotations

from ..names import name_key


def find_article(names_and_titles: dict[str, str], query: str) -> tuple[str | None, list[str]]:
    """(the article's file name, []) or (None, candidates) when `query` is unknown or ambiguous."""
    if query in names_and_titles:
        return query, []
    pool = sorted(names_and_titles)
    prefixed = [n for n in pool if n.startswith(query)]
    if len(prefixed) == 1:
        return prefixed[0], []
    if prefixed:
        return None, prefixed
    words = name_key(query).split()
    titled = [n for n in pool if words and all(w in name_key(names_and_titles[n]).split() for w in words)]
    if len(titled) == 1:
        return titled[0], []
    return None, titled
