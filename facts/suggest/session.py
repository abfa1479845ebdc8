"""One article under review: its suggestions, what was decided for each, and undo."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Suggestion
from .store import ReviewStore, StoreError, Written

ACCEPTED, REJECTED, SKIPPED = "accepted", "rejected", "skipped"


@dataclass
class Step:
    """One decision, enough to undo it."""

    action: str
    index: int
    written: Written | None = None
    previous: str | None = None


@dataclass
class ReviewSession:
    """Decisions on one article's suggestions. Accepts and rejections go through `store` at once."""

    store: ReviewStore
    article: str
    suggestions: list[Suggestion]
    status: dict[int, str] = field(default_factory=dict)
    history: list[Step] = field(default_factory=list)

    def pending(self) -> list[int]:
        return [i for i in range(len(self.suggestions)) if i not in self.status]

    def accept(self, index: int, article_text: str, taken: set[str]) -> Written:
        """Write the suggestion (and the new entities it needs that are not written yet)."""
        s = self.suggestions[index]
        if self.status.get(index) == ACCEPTED:
            raise StoreError(f"{s.kind} '{s.id}' is already accepted")
        written_ids = {i for step in self.history if step.written for i in step.written.ids}
        used = {v for v in s.record().values() if isinstance(v, str)}
        used |= {v for value in s.record().values() if isinstance(value, list) for v in value if isinstance(v, str)}
        needs = [n for n in s.new if n.id in used and n.id not in written_ids and n.id not in taken]
        written = self.store.accept([*needs, s], article_text, taken)
        for need in needs:
            if need in self.suggestions:
                self.status[self.suggestions.index(need)] = ACCEPTED
        self.history.append(Step(ACCEPTED, index, written, self.status.get(index)))
        self.status[index] = ACCEPTED
        return written

    def reject(self, index: int) -> None:
        self.store.set_rejected(self.suggestions[index].key, True)
        self.history.append(Step(REJECTED, index, previous=self.status.get(index)))
        self.status[index] = REJECTED

    def skip(self, index: int) -> None:
        self.history.append(Step(SKIPPED, index, previous=self.status.get(index)))
        self.status[index] = SKIPPED

    def undo(self) -> Step | None:
        """Take back the last decision (an accept's records leave the file again)."""
        if not self.history:
            return None
        step = self.history.pop()
        if step.action == ACCEPTED and step.written is not None:
            self.store.remove(self.article, step.written.ids)
            for i, s in enumerate(self.suggestions):
                if s.id in step.written.ids and i != step.index:
                    self.status.pop(i, None)
        elif step.action == REJECTED:
            self.store.set_rejected(self.suggestions[step.index].key, False)
        if step.previous is None:
            self.status.pop(step.index, None)
        else:
            self.status[step.index] = step.previous
        return step
