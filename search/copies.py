"""Showing a story once: article hits that are copies of one another are folded into the first."""

from __future__ import annotations

from facts.duplicates import DuplicateIndex

from .results import Results


def story_of(dups: DuplicateIndex, name: str, cap: int = 200) -> list[str]:
    """Every article of the story `name` belongs to (copies, excerpts, rewrites), `name` first."""
    seen = [name]
    todo = [name]
    while todo and len(seen) < cap:
        for match in dups.matches.get(todo.pop(), ()):
            if match.name not in seen:
                seen.append(match.name)
                todo.append(match.name)
    return seen


def group_copies(results: Results, dups: DuplicateIndex | None, limit: int, metas: dict | None = None) -> Results:
    """`results` with each story shown once, cut to `limit`.

    A story's place is that of its best-ranked article; the article shown there is the
    story's original when it matched too (else the best-ranked one). `also_in` lists all
    the story's other articles, whether they matched or not, and `also_in_labels` says
    'Title · Publisher · date' for each (from `metas`, name -> ArticleMeta). `total` drops
    by the articles folded away.
    """
    if dups is None:
        results.hits = results.hits[:limit]
        return results
    by_id = {hit.id: hit for hit in results.hits if not hit.is_fact}
    shown: set[str] = set()
    kept = []
    folded = 0
    for hit in results.hits:
        if hit.is_fact or hit.id not in dups.matches:
            kept.append(hit)
            continue
        story = story_of(dups, hit.id)
        key = min(story)
        if key in shown:
            folded += 1
            continue
        shown.add(key)
        root = dups.group(hit.id)
        if root != hit.id and root in by_id:
            hit = by_id[root]
            story = story_of(dups, root)
        hit.payload = {**hit.payload, "also_in": story[1:],
                       "also_in_labels": [_label(name, (metas or {}).get(name)) for name in story[1:]]}
        kept.append(hit)
    results.hits = kept[:limit]
    results.total = max(len(results.hits), results.total - folded)
    return results


def _label(name: str, meta) -> str:
    if meta is None:
        return name
    return " · ".join(p for p in (meta.title, meta.publisher, meta.date_label) if p)
