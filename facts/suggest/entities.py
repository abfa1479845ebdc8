"""Entities in a sentence: known ones by name or alias, and capitalised names not yet known."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..mentions import NameMatcher
from ..model import Fact
from ..names import name_key

COMPANY_WORDS = {
    "group", "motors", "motor", "automotive", "auto", "automobiles", "technologies", "technology", "holding",
    "holdings", "inc", "corp", "corporation", "ag", "se", "ltd", "co", "company", "industries", "energy",
    "mobility", "electric", "battery", "batteries", "cars", "bank", "capital", "partners", "systems",
    "solutions", "semiconductor", "semiconductors", "software", "ventures", "labs", "international",
}
PERSON_CUES = re.compile(
    r"\b(said|says|told|added|according to|chief|ceo|cfo|cto|president|chairman|chairwoman|director|head of|"
    r"founder|boss|executive|manager|minister|spokesperson|spokesman|spokeswoman|analyst|he|she|his|her)\b", re.I)
COMPANY_CUES = re.compile(
    r"\b(automaker|carmaker|car maker|maker|manufacturer|company|firm|group|start-?up|supplier|rival|brand|"
    r"partners?|joint venture|stake|shares|invest\w*|acquir\w*|subsidiary|unit|owner|automakers|carmakers|"
    r"manufacturers|companies|brands)\b", re.I)
# Capitalised words that start sentences or name things that are not entities.
STOP = {
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "in", "on", "at", "for", "and", "but",
    "or", "as", "by", "with", "from", "to", "of", "after", "before", "while", "when", "if", "since", "also",
    "however", "meanwhile", "according", "we", "our", "they", "their", "he", "she", "his", "her", "there",
    "here", "what", "why", "how", "who", "which", "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "ev", "evs", "ceo", "cfo", "chief", "president", "read",
    "photo", "update", "reporting", "editing", "source", "sources", "europe", "european", "china", "chinese",
    "japan", "japanese", "us", "u.s.", "uk", "france", "french", "germany", "german", "india", "korea",
    "korean", "american", "america", "asia", "asian", "british", "italian", "italy", "spain", "spanish",
    "north", "south", "east", "west", "latin", "mr", "mrs", "ms", "dr", "new", "next", "last", "first", "one",
    "two", "three", "some", "many", "most", "all", "both", "each", "other", "more", "such", "so", "yet",
    "then", "now", "today", "yesterday", "tomorrow", "still", "even", "only", "just", "not", "no", "yes",
    "is", "are", "was", "were", "will", "would", "could", "should", "can", "might", "must", "has",
    "have", "had", "do", "does", "did", "be", "been", "being", "i", "you", "my", "your", "billion",
    "million", "per", "cent", "percent", "q1", "q2", "q3", "q4", "h1", "h2", "am", "pm", "gmt", "utc",
    # acronyms and places that are not companies
    "ipo", "ess", "suv", "suvs", "eu", "lfp", "nmc", "adas", "ai", "gwh", "kwh", "ice", "bev", "bevs", "phev",
    "sdv", "ota", "r&d", "ceo's", "swedish", "swiss", "dutch", "belgian", "mexican", "canadian", "brazilian",
    "indian", "russian", "australian", "georgia", "milan", "turin", "tokyo", "osaka", "seoul", "beijing",
    "shanghai", "shenzhen", "xinjiang", "paris", "london", "berlin", "munich", "wolfsburg", "stuttgart", "detroit",
    "michigan", "california", "texas", "ohio", "tennessee", "kentucky", "vegas", "las", "geneva", "madrid",
    "sweden", "norway", "mexico", "canada", "brazil", "russia", "australia", "state", "government", "ministry",
    "netherlands", "belgium", "austria", "poland", "hungary", "czech", "turkey", "thailand", "indonesia",
    "vietnam", "malaysia", "singapore", "taiwan", "hong", "kong", "africa", "zaragoza", "cologne", "zealand",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "usd", "eur", "gbp",
    "cny", "rmb", "union",
}
TITLE_WORDS = {"executive", "officer", "chief", "president", "director", "chairman", "chairwoman", "ceo", "cfo",
               "cto", "coo", "head", "vice", "senior", "managing", "founder", "boss", "minister", "mr", "mrs", "ms",
               "dr"}
_CONNECT = {"of", "de", "&", "von", "van", "der", "du", "la", "le", "del", "da"}
_WORD = re.compile(r"(?<![\w\-’'])(?:[A-Z][\w'’.\-]*[\w]|[A-Z]|\d+[\w\-]*|&|of|de|von|van|der|du|la|le|del|da)")
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass(frozen=True)
class Mention:
    """A name in a sentence: a known fact's id, or a capitalised name with `fact` None."""

    name: str
    start: int  # offsets in the sentence
    end: int
    fact: Fact | None = None

    @property
    def kind(self) -> str | None:
        return self.fact.kind if self.fact else None


class Known:
    """Known entities (and partnerships) in a sentence, found by `facts.mentions.NameMatcher`."""

    def __init__(self, facts: Iterable[Fact]) -> None:
        facts = list(facts)
        self.facts = {f.id: f for f in facts}
        self.matcher = NameMatcher.from_facts(facts)

    def find(self, text: str) -> list[Mention]:
        """Mentions with a known fact; an ambiguous name (several facts) is left to the caller."""
        return [Mention(m.text, m.start, m.end, self.facts[m.entity_id])
                for m in self.matcher.find(text, sentences=False) if m.entity_id in self.facts]


def capitalised(text: str, taken: list[tuple[int, int]]) -> list[Mention]:
    """Runs of capitalised words not inside a known name: candidate new entities."""
    out: list[Mention] = []
    run: list[re.Match] = []

    def close() -> None:
        while run and (run[-1].group(0).lower() in _CONNECT or run[-1].group(0).lower() in STOP):
            run.pop()
        while run and (run[0].group(0).lower() in _CONNECT or run[0].group(0).lower() in STOP):
            run.pop(0)
        if run and any(w.group(0)[:1].isupper() for w in run):
            start, end = run[0].start(), run[-1].end()
            name = _POSSESSIVE.sub("", text[start:end]).rstrip(".'’")
            end = start + len(name)
            if len(name) > 1 and not any(a < end and start < b for a, b in taken):
                out.append(Mention(name, start, end))
        run.clear()

    last_end = -1
    for match in _WORD.finditer(text):
        word = _POSSESSIVE.sub("", match.group(0))
        gap = text[last_end:match.start()] if last_end >= 0 else ""
        if run and (gap != " " or (word.lower() in STOP and word.lower() not in _CONNECT)):
            close()
        if word[:1].isupper() or (run and (word.lower() in _CONNECT or word[:1].isdigit())):
            if word.lower() in STOP and not run:
                last_end = match.end()
                continue
            run.append(match)
            if _POSSESSIVE.search(word):
                close()
        elif run:
            close()
        last_end = match.end()
    close()
    return out


def looks_like_company(name: str, sentence: str) -> bool:
    words = [w.lower().strip(".") for w in name.split()]
    if any(w in STOP for w in words) or any(w.split("-")[0] in STOP for w in words):
        return False
    if any(w in COMPANY_WORDS for w in words[1:]):
        return True
    return bool(COMPANY_CUES.search(sentence)) and len(words) <= 3


def looks_like_person(name: str, sentence: str) -> bool:
    """Two to four capitalised words with a person cue ('said', 'CEO', 'he') right beside them."""
    words = name.split()
    if any("-" in w and w.split("-")[0].lower() in STOP for w in words) or any(w.lower() in STOP for w in words):
        return False
    at = sentence.find(name)
    if at >= 0:
        sentence = sentence[max(0, at - 40):at + len(name) + 40]
    if not 2 <= len(words) <= 4 or any(w.lower() in COMPANY_WORDS for w in words):
        return False
    if not all(w[:1].isupper() or w.lower() in _CONNECT for w in words) or any(c.isdigit() for c in name):
        return False
    return bool(PERSON_CUES.search(sentence))


def slug(text: str) -> str:
    key = name_key(text)
    out = re.sub(r"[^a-z0-9]+", "-", key).strip("-")
    return out[:60].rstrip("-") or "x"
