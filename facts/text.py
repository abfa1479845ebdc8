"""Untrusted-text hygiene and the normalisation used to match quotes."""

from __future__ import annotations

import bisect
import re

# Escape sequences: CSI, OSC (ended by BEL or ST), DCS/SOS/PM/APC strings, two-byte escapes.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]                 # CSI ... final byte
  | \x9b[0-?]*[ -/]*[@-~]                   # 8-bit CSI
  | \x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?   # OSC ... BEL/ST
  | \x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?     # 8-bit OSC
  | \x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?  # DCS, SOS, PM, APC strings
  | [\x90\x98\x9e\x9f][^\x1b\x9c]*(?:\x1b\\|\x9c)?
  | \x1b[@-Z\\-_]                           # other two-byte escapes
  | \x1b                                    # a lone ESC
    """,
    re.VERBOSE,
)
# C0 controls except tab and newline, DEL, C1 controls, bidi overrides and isolates.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def sanitize(text: str) -> str:
    """Return `text` with newlines unified and every terminal control sequence removed.

    For text that is read (articles, fact fields): the sequences go. For what must stay
    recognisable (file names, queries, messages) use `safe_for_terminal`.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text)


# What a terminal may act on: C0 controls but tab and newline, DEL, C1 controls, bidi
# overrides and isolates, and lone surrogates (a file name's bytes that are not UTF-8,
# as Python decodes them with `surrogateescape`).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte: shown as the byte
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x80:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def safe_for_terminal(text: str) -> str:
    """`text` with everything a terminal could act on shown as a visible escape.

    ESC becomes `\\x1b`, BEL `\\x07`, the C1 control U+009B `\\u009b`, and a byte of a
    file name that is not UTF-8 (0x9b) `\\x9b`, so a name stays recognisable and the
    result is always valid UTF-8. Tab and newline are kept. Every path to stdout,
    stderr and the screen goes through this.
    """
    return _UNSAFE.sub(_visible, text)


def has_undecodable(name: str) -> bool:
    """True when `name` (from the file system) holds bytes that are not valid UTF-8."""
    return not name.isascii() and any(0xDC80 <= ord(ch) <= 0xDCFF for ch in name)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_text(data: object, indent: int | None = None) -> str:
    """`data` as JSON that is valid UTF-8 and safe on a terminal.

    Non-ASCII text stays as it is; controls (C0, DEL, C1), line separators, bidi
    overrides and lone surrogates are written as \\uXXXX escapes.
    """
    import json

    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    }
)


def fold_char(ch: str) -> str:
    """Fold one character: curly quotes become straight, dashes become '-'."""
    return ch.translate(_FOLD)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Fold quote marks and dashes and collapse whitespace.

    Returns the normalised string and, for each of its characters, the offset in
    `text` it came from.
    """
    out: list[str] = []
    where: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space and out:
                out.append(" ")
                where.append(i)
            in_space = True
            continue
        in_space = False
        out.append(fold_char(ch))
        where.append(i)
    if out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


def normalize(text: str) -> str:
    """`normalize_with_map` without the map."""
    return normalize_with_map(text)[0]


# Runs of whitespace other than one plain space (\s is exactly str.isspace, what `normalize` collapses)
_SPACE_RUN = re.compile(r"\s{2,}|[^\S ]")
_FOLDED = re.compile("[" + re.escape("".join(map(chr, _FOLD))) + "]")


def _fold_text(text: str) -> str:
    """`text` with quote marks and dashes folded, character for character (offsets are kept)."""
    return _FOLDED.sub(lambda m: m.group().translate(_FOLD), text)


class QuoteFinder:
    """Finds quotes in one text, comparing with whitespace, quote marks and dashes folded.

    The text is folded and its whitespace runs collapsed once (both keep the order of
    characters), and a quote is looked up as plain text in that copy; offsets are mapped
    back to the text as it is.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._flat: str | None = None
        self._runs: list[int] = []  # flat offset of each whitespace run made one space
        self._removed: list[int] = []  # characters removed up to and including that run

    def _flatten(self) -> str:
        if self._flat is None:
            folded = _fold_text(self.text)
            removed = 0
            for match in _SPACE_RUN.finditer(folded):
                start, end = match.span()
                self._runs.append(start - removed)
                removed += end - start - 1
                self._removed.append(removed)
            self._flat = _SPACE_RUN.sub(" ", folded)
        return self._flat

    def _raw(self, at: int) -> int:
        """The offset in the text of the character at flat offset `at` (not a run's space)."""
        i = bisect.bisect_left(self._runs, at)
        return at + (self._removed[i - 1] if i else 0)

    def find(self, quote: str) -> tuple[int, int] | None:
        """Offsets (start, end) of the first occurrence of `quote` in the text, or None."""
        needle = normalize(quote)
        if not needle:
            return None
        at = self._flatten().find(needle)
        if at < 0:
            return None
        # a normalised quote begins and ends with a character that is not whitespace
        return self._raw(at), self._raw(at + len(needle) - 1) + 1

    def count(self, quote: str) -> int:
        """How many times `quote` occurs (overlaps not counted)."""
        needle = normalize(quote)
        return self._flatten().count(needle) if needle else 0


def one_line(text: str, limit: int | None = None) -> str:
    """Collapse whitespace to single spaces, optionally cutting to `limit` characters.

    Terminal control sequences are removed too: YAML escapes such as "\\e[2J" can put them
    in fact and metadata fields, which are shown on the terminal.
    """
    flat = " ".join(sanitize(text).split())
    if limit is not None and len(flat) > limit:
        return flat[: max(0, limit - 1)].rstrip() + "…"
    return flat


_QUOTE_MARKS = "\"“”„‟«»"


def bare_quote(quote: str) -> str:
    """A quote on one line without a quotation mark left open at its start or end, ready to be
    shown between our own marks (so '“Nissan has asked…' never prints as '““Nissan has asked…').
    Balanced inner quotes ('and “accelerate new business.”') are kept."""
    text = " ".join(quote.split())
    opened, closed = text.count("“") + text.count("«"), text.count("”") + text.count("»")
    straight_odd = text.count('"') % 2 == 1
    if (text[:1] in "“«" and opened > closed) or (text[:1] == '"' and straight_odd):
        text = text[1:].lstrip()
    elif (text[-1:] in "”»" and closed > opened) or (text[-1:] == '"' and straight_odd):
        text = text[:-1].rstrip()
    return text


def quote_marks(quote: str) -> tuple[str, str]:
    """The marks to put around `quote` as it is (for highlighted quotes whose offsets must not
    move): none on a side where it already has one."""
    text = quote.strip()
    return ("" if text[:1] in _QUOTE_MARKS else "“", "" if text[-1:] in "\"”»" else "”")
