"""Problems found in a corpus: each names the file, the line and what is wrong."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a corpus file. `file` is relative to the corpus root."""

    file: str
    line: int | None
    message: str
    severity: str = ERROR
    # What this problem follows from ("facts in facts/a.yaml, which could not be read"),
    # when it is only a consequence of another problem; None for a problem of its own.
    cause: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        prefix = "warning: " if self.severity == WARNING else ""
        return f"{where}: {prefix}{self.message}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or '' when nothing is close."""
    pool = list(choices)
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in pool}
        close = [lowered[m] for m in difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)]
    if not close:
        close = [c for c in pool if word and (c.startswith(word) or word.startswith(c))][:1]
    return f" (did you mean '{close[0]}'?)" if close else ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def causes_first(problems: Iterable[Problem]) -> tuple[list[Problem], list[str]]:
    """The problems of their own, and one line for each cause summing up what follows from it.

    "… and 128 facts in 9 files are left out because they depend on facts in
    facts/companies.yaml, which could not be read"
    """
    own: list[Problem] = []
    following: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.cause is None:
            own.append(problem)
        else:
            following.setdefault(problem.cause, []).append(problem)
    lines = []
    for cause, group in following.items():
        n, files = len(group), len({p.file for p in group})
        lines.append(f"… and {_plural(n, 'fact')} in {_plural(files, 'file')} "
                     f"{'is' if n == 1 else 'are'} left out because {'it depends' if n == 1 else 'they depend'} "
                     f"on {cause}")
    return own, lines


def error_summary(problems: Iterable[Problem]) -> str | None:
    """'2 problems (first: <the first cause>), which leave out 128 more facts', or None without errors."""
    errors = [p for p in problems if p.severity == ERROR]
    if not errors:
        return None
    own = [p for p in errors if p.cause is None] or errors
    following = len(errors) - len(own) if own is not errors else 0
    text = f"{_plural(len(own), 'problem')} (first: {own[0]})"
    if following:
        text += f", which leave{'s' if len(own) == 1 else ''} out {_plural(following, 'more fact')}"
    return text
