"""The query language, parsed forgivingly and compiled to Whoosh queries.

    plain words        best matches first; documents with all the words rank above the rest
    "a phrase"         the words in this order
    AND OR NOT ( )     operators (upper case) and grouping; -word is NOT word
    ampr*  ren?ult     prefix and wildcards
    renault~  ~2       explicit typo tolerance (edits)
    kind:partnership   field filters: kind, company, person, vehicle, platform,
    company:nissan     technology, entity, source (or article), status, year

A malformed query never raises: what cannot be read is dropped or taken literally,
and `Parsed.messages` says what was done.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from facts.kinds import KINDS
from facts.names import fold
from facts.problems import did_you_mean

from .analysis import analyze

# name: (index field, kinds a name must resolve to; None means a plain keyword value)
FILTERS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "kind": ("kind", None),
    "type": ("kind", None),
    "company": ("company", ("company",)),
    "org": ("company", ("company",)),
    "person": ("entity", ("person",)),
    "vehicle": ("entity", ("vehicle",)),
    "model": ("entity", ("vehicle",)),
    "car": ("entity", ("vehicle",)),
    "platform": ("entity", ("platform",)),
    "technology": ("entity", ("technology",)),
    "tech": ("entity", ("technology",)),
    "entity": ("entity", ("company", "person", "vehicle", "platform", "technology")),
    "source": ("source", None),
    "article": ("source", None),
    "status": ("status", None),
    "year": ("year", None),
}
KIND_VALUES = ("article", "fact", *KINDS)
MIN_PREFIX = 2
# Words, operators and brackets searched at most: longer queries are cut (Whoosh slows down
# steeply with many clauses, and deep nesting would overflow the parser's recursion).
MAX_TOKENS = 40
_WILDCARD = re.compile(r"[*?]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_WORDS = re.compile(r"\w+")
_FUZZY = re.compile(r"^(?P<word>.+?)~(?P<edits>[12])?$")
_OPERATORS = ("AND", "OR", "NOT")
_OPEN_QUOTES = '"\u201c\u201d\u201e'


# -- syntax tree ---------------------------------------------------------------------------

@dataclass
class Word:
    text: str
    prefix: bool = False  # has * or ?
    edits: int = 0  # explicit ~ fuzziness


@dataclass
class Phrase:
    text: str


@dataclass
class Filter:
    name: str  # as typed: "company"
    field: str  # index field: "company"
    value: str  # resolved value: "nissan"
    label: str  # for messages: "company:Nissan"
    names: tuple[str, ...] = ()  # names and aliases of a resolved entity


@dataclass
class Not:
    node: object


@dataclass
class And:
    nodes: list
    implicit: bool = True  # no AND typed: plain words


@dataclass
class Or:
    nodes: list


@dataclass
class Parsed:
    """A parsed query: the tree, what was repaired, and whether it is plain words only."""

    text: str
    tree: object | None
    messages: list[str] = field(default_factory=list)

    @property
    def plain(self) -> bool:
        """True for plain words (and phrases) with no operators or wildcards, maybe narrowed by
        filters (company:, kind: ...): documents with some of the words are worth showing."""
        nodes = self.tree.nodes if isinstance(self.tree, And) and self.tree.implicit else [self.tree]
        words = [n for n in nodes if not isinstance(n, Filter)]
        return bool(words) and all((isinstance(n, Word) and not n.prefix and not n.edits)
                                   or isinstance(n, Phrase) for n in words)

    @property
    def filters(self) -> list[Filter]:
        return [n for n in walk(self.tree) if isinstance(n, Filter)]


def walk(node):
    """Every node of a tree, depth first."""
    if node is None:
        return
    yield node
    if isinstance(node, And | Or):
        for child in node.nodes:
            yield from walk(child)
    elif isinstance(node, Not):
        yield from walk(node.node)


def render(node) -> str:
    """A tree back to query text (used for 'did you mean')."""
    if isinstance(node, Word):
        return node.text + (f"~{node.edits}" if node.edits else "")
    if isinstance(node, Phrase):
        return f'"{node.text}"'
    if isinstance(node, Filter):
        value = node.value if " " not in node.value else f'"{node.value}"'
        return f"{node.name}:{value}"
    if isinstance(node, Not):
        return f"NOT {_group(node.node)}"
    if isinstance(node, And):
        return (" " if node.implicit else " AND ").join(_group(n) for n in node.nodes)
    if isinstance(node, Or):
        return " OR ".join(_group(n) for n in node.nodes)
    return ""


def _group(node) -> str:
    text = render(node)
    return f"({text})" if isinstance(node, And | Or) and len(node.nodes) > 1 else text


# -- lexer ---------------------------------------------------------------------------------

@dataclass
class _Tok:
    kind: str  # "word", "phrase", "field", "op", "(", ")"
    text: str
    value: str = ""  # for fields
    quoted: bool = False


def _lex(text: str, messages: list[str]) -> list[_Tok]:
    tokens: list[_Tok] = []
    i, n = 0, len(text)
    depth = 0
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "(":
            tokens.append(_Tok("(", ch))
            depth += 1
            i += 1
        elif ch == ")":
            if depth == 0:
                messages.append("A ')' without a matching '(' was ignored.")
            else:
                tokens.append(_Tok(")", ch))
                depth -= 1
            i += 1
        elif ch in _OPEN_QUOTES:
            end = _closing_quote(text, i + 1)
            if end < 0:
                messages.append("A quote mark was not closed, so the words after it were searched as plain words.")
                i += 1
                continue
            tokens.append(_Tok("phrase", text[i + 1 : end]))
            i = end + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"\u201c\u201d\u201e':
                j += 1
            word = text[i:j]
            i = j
            name, colon, value = word.partition(":")
            if colon and name.lower() in FILTERS:
                if not value and i < n and text[i] in _OPEN_QUOTES:
                    end = _closing_quote(text, i + 1)
                    if end >= 0:
                        tokens.append(_Tok("field", name.lower(), text[i + 1 : end], quoted=True))
                        i = end + 1
                        continue
                if not value:
                    messages.append(f"'{name}:' needs a value, as in {name.lower()}:{_example(name.lower())}; it was ignored.")
                    continue
                tokens.append(_Tok("field", name.lower(), value))
            elif colon and name and value and name.isalpha() and not value.startswith("/"):
                messages.append(
                    f"'{name}:' is not a field{did_you_mean(name.lower(), FILTERS)}, so '{word}' was searched as words. "
                    f"Fields: {', '.join(sorted(set(FILTERS) - {'type', 'org', 'model', 'car', 'tech', 'article'}))}."
                )
                tokens.append(_Tok("word", f"{name} {value}"))
            elif word in _OPERATORS:
                tokens.append(_Tok("op", word))
            elif word.startswith("-") and len(word) > 1 and word[1].isalpha():
                tokens.append(_Tok("op", "NOT"))
                tokens.append(_Tok("word", word[1:]))
            elif word.startswith("+") and len(word) > 1:
                tokens.append(_Tok("word", word[1:]))
            elif word:
                tokens.append(_Tok("word", word))
    if depth:
        messages.append("A '(' was not closed; it was closed at the end of the query.")
    return tokens


def _closing_quote(text: str, start: int) -> int:
    for k in range(start, len(text)):
        if text[k] in _OPEN_QUOTES:
            return k
    return -1


def _example(name: str) -> str:
    return {"kind": "partnership", "type": "partnership", "company": "nissan", "year": "2024",
            "status": "active", "source": "002*"}.get(name, "...")


# -- parser --------------------------------------------------------------------------------

Resolver = Callable[[str, tuple[str, ...]], tuple[str | None, tuple[str, ...], str]]
"""(name, kinds) -> (id or None, names and aliases, suggestion text)."""


class _Parser:
    def __init__(self, tokens: list[_Tok], messages: list[str], resolve: Resolver | None) -> None:
        self.tokens = tokens
        self.i = 0
        self.messages = messages
        self.resolve = resolve

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def _starts_operand(self, tok: _Tok | None) -> bool:
        return tok is not None and (tok.kind in ("word", "phrase", "field", "(") or (tok.kind == "op" and tok.text == "NOT"))

    def parse(self):
        node = self.parse_or()
        while (tok := self.peek()) is not None:  # a stray operator or ')'
            if tok.kind in ("op", ")"):
                self.take()
                if tok.kind == "op":
                    self.messages.append(f"'{tok.text}' needs something on both sides; it was ignored.")
                continue
            more = self.parse_or()
            node = _and([node, more]) if node is not None else more
        return node

    def parse_or(self):
        nodes = []
        first = self.parse_and()
        if first is not None:
            nodes.append(first)
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.text == "OR":
            self.take()
            if not nodes or not self._starts_operand(self.peek()):
                self.messages.append("'OR' needs something on both sides; it was ignored.")
                if not self._starts_operand(self.peek()):
                    continue
            right = self.parse_and()
            if right is not None:
                nodes.append(right)
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else Or(nodes)

    def parse_and(self):
        nodes = []
        explicit = False
        while (tok := self.peek()) is not None and tok.kind != ")" and not (tok.kind == "op" and tok.text == "OR"):
            if tok.kind == "op" and tok.text == "AND":
                self.take()
                if not nodes or not self._starts_operand(self.peek()):
                    self.messages.append("'AND' needs something on both sides; it was ignored.")
                else:
                    explicit = True
                continue
            node = self.parse_unary()
            if node is not None:
                nodes.append(node)
        if not nodes:
            return None
        if len(nodes) == 1:
            return nodes[0]
        return And(nodes, implicit=not explicit)

    def parse_unary(self):
        tok = self.peek()
        if tok.kind == "op" and tok.text == "NOT":
            self.take()
            if not self._starts_operand(self.peek()):
                self.messages.append("'NOT' needs something after it; it was ignored.")
                return None
            inner = self.parse_unary()
            return Not(inner) if inner is not None else None
        return self.parse_primary()

    def parse_primary(self):
        tok = self.take()
        if tok.kind == "(":
            node = self.parse_or()
            if (close := self.peek()) is not None and close.kind == ")":
                self.take()
            if node is None:
                self.messages.append("Empty brackets were ignored.")
            return node
        if tok.kind == "phrase":
            return Phrase(tok.text) if tok.text.strip() else None
        if tok.kind == "field":
            return self.filter(tok)
        if tok.kind == "word":
            return self.word(tok.text)
        return None

    def word(self, text: str):
        if " " in text:  # an unknown "name:value" taken as words
            return _and([self.word(part) for part in text.split()])
        if m := _FUZZY.match(text):
            return Word(m.group("word"), edits=int(m.group("edits") or 1))
        if _WILDCARD.search(text):
            stem = _WILDCARD.split(text)[0]
            if sum(ch.isalnum() for ch in fold(stem)) < MIN_PREFIX:  # punctuation does not count
                self.messages.append(f"'{text}' is too short a prefix (at least {MIN_PREFIX} letters or digits "
                                     "before * or ?); it was searched as a word.")
                plain = _WILDCARD.sub("", text)
                return Word(plain) if plain else None
            return Word(text, prefix=True)
        return Word(text)

    def filter(self, tok: _Tok):
        name, value = tok.text, tok.value.strip()
        index_field, kinds = FILTERS[name]
        label = f"{name}:{value}"
        if index_field == "kind":
            key = value.lower().rstrip("s") if value.lower() not in KIND_VALUES else value.lower()
            if key in ("companie",):
                key = "company"
            if key not in KIND_VALUES:
                self.messages.append(f"There is no kind '{value}'{did_you_mean(value.lower(), KIND_VALUES)}; "
                                     f"kinds are {', '.join(KIND_VALUES)}. The filter was ignored.")
                return None
            return Filter(name, "doctype" if key == "fact" else "kind", key, label)
        if index_field == "source" and not value.rstrip("*"):
            self.messages.append(f"{label} would match every article; the filter was ignored.")
            return None
        if kinds is None:
            return Filter(name, index_field, value if index_field == "source" else value.lower(), label)
        if self.resolve is None:
            return Filter(name, index_field, value.lower(), label)
        found, names, hint = self.resolve(value, kinds)
        if found is None:
            what = " or ".join(kinds) if len(kinds) < 3 else "entity"
            self.messages.append(f"No {what} is called '{value}'{hint}; the filter {label} was ignored.")
            return None
        return Filter(name, index_field, found, label, names)


def _and(nodes: list):
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else And(nodes)


def _limit(tokens: list[_Tok], messages: list[str]) -> list[_Tok]:
    """The tokens of a query cut to MAX_TOKENS (a phrase or a joined word counts as its words)."""
    used = 0
    for i, tok in enumerate(tokens):
        words = list(_WORDS.finditer(tok.text)) if tok.kind in ("phrase", "word") else []
        size = max(1, len(words))
        if used + size > MAX_TOKENS:
            kept = tokens[:i]
            room = MAX_TOKENS - used
            if words and room > 0:  # keep the first words of a long phrase or joined word
                kept.append(_Tok(tok.kind, tok.text[: words[room - 1].end()]))
            messages.append(f"The query is long: only its first {MAX_TOKENS} words and operators were searched.")
            return kept
        used += size
    return tokens


def printable(text: str) -> str:
    """`text` safe to show and search: tabs, newlines and other spaces as a plain space,
    control and format characters dropped, lone surrogates (undecodable bytes of a
    command line) as U+FFFD."""
    text = _SURROGATE.sub("\ufffd", text)
    return "".join(ch if ch.isprintable() else " " if ch.isspace() else "" for ch in text)


def parse(text: str, resolve: Resolver | None = None) -> Parsed:
    """Parse a query; never raises."""
    messages: list[str] = []
    text = printable(text)
    tokens = _limit(_lex(text, messages), messages)
    tree = _Parser(tokens, messages, resolve).parse()
    if tree is not None and not any(_has_terms(n) for n in walk(tree)):
        if not messages:
            messages.append("Those are all common words, which are not indexed; try more specific ones.")
        tree = None if not any(isinstance(n, Filter) for n in walk(tree)) else tree
    return Parsed(text, tree, list(dict.fromkeys(messages)))  # a note said once, however often it applies


def _has_terms(node) -> bool:
    if isinstance(node, Word):
        return bool(node.prefix or node.edits or analyze(node.text))
    if isinstance(node, Phrase):
        return bool(analyze(node.text))
    return isinstance(node, Filter)
