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
    """`results` with each story's articles after the first left out and listed in its
    `also_in` (all the story's other articles, whether they matched or not), cut to `limit`.
    `also_in_labels` says 'Title · Publisher · date' for each (from `metas`, name -> ArticleMeta)."""
    if dups is None:
        results.hits = results.hits[:limit]
        return results
    shown: dict[str, object] = {}
    kept = []
    for hit in results.hits:
        if hit.is_fact or hit.id not in dups.matches:
            kept.append(hit)
            continue
        story = story_of(dups, hit.id)
        key = min(story)
        if key in shown:
            continue
        shown[key] = hit
        hit.payload = {**hit.payload, "also_in": story[1:],
                       "also_in_labels": [_label(name, (metas or {}).get(name)) for name in story[1:]]}
        kept.append(hit)
    results.hits = kept[:limit]
    return results


def _label(name: str, meta) -> str:
    if meta is None:
        return name
    return " · ".join(p for p in (meta.title, meta.publisher, meta.date_label) if p)
