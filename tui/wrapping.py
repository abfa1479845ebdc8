"""Word-wrap text into display lines that remember their character offsets."""

from __future__ import annotations

import bisect
import re

from rich.cells import cell_len

_WORD = re.compile(r"\S+\s*")


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """(start, end) offsets of each display line of `text` at `width` cells.

    Lines break at spaces where possible and inside long words otherwise; a newline
    always ends a line (an empty paragraph gives an empty line). Trailing spaces of a
    line are part of it, so the lines cover the text without gaps.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        start = offset
        if not paragraph:
            lines.append((start, start))
        else:
            line_start = start
            for m in _WORD.finditer(paragraph):
                word_start = start + m.start()
                word_end = word_start + len(m.group(0).rstrip())
                if word_start > line_start and cell_len(text[line_start:word_end]) > width:
                    lines.append((line_start, word_start))
                    line_start = word_start
                while cell_len(text[line_start:word_end]) > width:  # a word longer than a line
                    cut = _fit(text, line_start, width)
                    lines.append((line_start, cut))
                    line_start = cut
            lines.append((line_start, start + len(paragraph)))
        offset += len(paragraph) + 1
    return lines


def _fit(text: str, start: int, width: int) -> int:
    end, used = start, 0
    while end < len(text) and used + cell_len(text[end]) <= width:
        used += cell_len(text[end])
        end += 1
    return max(end, start + 1)


def line_of(lines: list[tuple[int, int]], offset: int) -> int:
    """The index of the display line that holds character `offset`."""
    starts = [start for start, _ in lines]
    return max(0, bisect.bisect_right(starts, offset) - 1)
