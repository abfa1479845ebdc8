"""Generate a synthetic corpus with the layout of the bundled one, for benchmarks.

    python bench/gen.py OUT_DIR --articles N --seed S

writes OUT_DIR/seeds/*.txt (news-like articles), OUT_DIR/seeds/metadata.yaml (a few
overrides) and OUT_DIR/facts/*.yaml: a copy of the bundled entity records (companies,
people, vehicles, platforms, technologies, partnerships) whose sources quote generated
sentences that name them, and 2-5 figures, events, statements or plans per article,
each citing a sentence copied from its article. `alliance check` passes on the result.

The output depends only on N and the seed (byte-identical for the same arguments).
Words are drawn with Zipf-like frequencies (rank r ~ 1/r) from the 5,000 most frequent
English words (words.txt) with automotive terms mixed in; articles name the entities of
the bundled facts (so names stay in sync with them), and carry hyphenated terms,
accented names, grouped numbers and page boilerplate for the cleaning rules.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

WORDS_FILE = Path(__file__).with_name("words.txt")
FACTS_PER_FILE = 500  # articles whose facts share one YAML file
COPIED_KINDS = ("company", "person", "vehicle", "platform", "technology", "partnership")
SECTION = {"company": "companies", "person": "people", "vehicle": "vehicles", "platform": "platforms",
           "technology": "technologies", "partnership": "partnerships", "figure": "figures",
           "event": "events", "statement": "statements", "plan": "plans"}
DROPPED_FIELDS = ("id", "name", "aliases", "note", "supersedes", "conflicts_with")

AUTO_TERMS = (
    "battery", "batteries", "cell", "cells", "chemistry", "cathode", "anode", "lithium", "nickel",
    "cobalt", "manganese", "phosphate", "lithium iron phosphate", "battery chemistry", "electric",
    "EV", "EVs", "hybrid", "plug-in", "powertrain", "drivetrain", "motor", "inverter", "charging",
    "fast-charging", "charger", "range", "kilowatt-hours", "platform", "architecture", "chassis",
    "software", "software-defined", "software-defined vehicle", "over-the-air", "update", "cockpit",
    "infotainment", "connectivity", "autonomous", "self-driving", "driver assist", "lidar", "radar",
    "sensor", "semiconductor", "chips", "supplier", "suppliers", "factory", "plant", "assembly",
    "production", "output", "volumes", "sales", "dealers", "margin", "margins", "emissions",
    "carbon", "zero-emission", "regulation", "tariffs", "subsidies", "alliance", "partnership",
    "joint venture", "stake", "shareholder", "merger", "automaker", "automakers", "carmaker",
    "carmakers", "OEM", "brand", "model", "models", "lineup", "segment", "SUV", "crossover",
    "hatchback", "sedan", "van", "vans", "city car", "supermini", "pickup", "solid-state",
    "solid-state battery", "e-Power", "E-Tech", "hydrogen", "fuel cell", "gigafactory", "recycling",
    "supply chain", "raw materials", "engineering", "engineers", "prototype", "launch",
    "next-generation", "all-electric", "long-range", "cost-cutting", "entry-level", "mass-market",
    "Scénic", "Mégane", "Citroën", "Škoda", "Zoé", "Société Générale", "Clio", "Kangoo", "Leaf",
    "Ariya", "Outlander", "Twingo", "Micra", "Ampere", "Renault", "Nissan", "Mitsubishi",
)
NUMBERS = ("10,000", "3,500", "400,000", "1 million", "1.5 billion", "€23 billion", "15%", "43%",
           "2,000", "250,000", "35", "five", "2030", "2028", "£17,000", "80 per cent", "12,500")
CITIES = ("PARIS", "TOKYO", "YOKOHAMA", "BOULOGNE-BILLANCOURT", "BEIJING", "DETROIT", "BERLIN",
          "LONDON", "MUNICH", "SEOUL", "TURIN", "GENEVA", "SÃO PAULO", "MONTRÉAL")
AUTHORS = ("François Dubois", "Zoé Martin", "Hélène Durand", "José García", "Jürgen Müller",
           "Daniel Andzhurov", "Asaf Kedem", "Mariko Sato", "Liam O'Connor", "Anna Kowalska")
PUBLISHERS = ("Auto Daily", "EV Ledger", "Motor Wire", "Drivetrain Weekly", "Charge Point News",
              "The Gearbox")
REGIONS = ("Europe", "India", "Latin America", "China", "Japan", "North America", "South Korea",
           "the Middle East")
FACILITIES = ("battery plant", "design centre", "software hub", "assembly line", "test track",
              "recycling plant")
UNITS = ("electric vehicles", "vans", "battery packs", "cars", "hybrids")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
TOP_BOILERPLATE = ("Connect with us\n\nHi, what are you looking for?\n", "top of page\nSearch\n",
                   "Skip to content\nMenu\n")
FEATURED = ("The report also mentioned {name}.", "Analysts pointed to {name} as a key factor.",
            "{name} was also part of the discussion.", "Observers are watching {name} closely.")


@dataclass
class Entity:
    """A named record of the bundled facts, as it may appear in prose."""

    id: str
    kind: str
    name: str
    surfaces: tuple[str, ...]  # name and aliases that read well in a sentence


@dataclass
class Piece:
    """One generated article: its text, its facts and the sentences naming featured entities."""

    name: str
    text: str
    facts: list[dict] = field(default_factory=list)
    featured: dict[str, str] = field(default_factory=dict)  # entity id -> quote


# -- the bundled entities -----------------------------------------------------------------


def bundled_entities() -> list:
    """The checked entity and partnership facts of the bundled corpus, in file order."""
    from facts.base import load
    from facts.corpus import Corpus

    loaded = load(Corpus.open(None))
    return [f for f in loaded.facts.facts.values() if f.kind in COPIED_KINDS]


def as_entity(fact) -> Entity:
    names = (fact.name, *fact.aliases)
    surfaces = tuple(n for n in names if "(" not in n) or (fact.name,)
    return Entity(fact.id, fact.kind, fact.name, surfaces)


def copied_record(fact, sources: list[dict], ids: set[str]) -> dict:
    """A bundled entity record with new sources; links to facts not copied are dropped."""
    from facts.dates import PartialDate

    record: dict = {"kind": fact.kind, "id": fact.id, "name": fact.name}
    if fact.aliases:
        record["aliases"] = fact.aliases
    for spec in fact.spec.fields:
        value = fact.values.get(spec.name)
        if spec.name in DROPPED_FIELDS or spec.name == "sources" or value is None:
            continue
        if isinstance(value, PartialDate):
            value = value.iso
        if spec.name == "related":
            value = [ref for ref in value if ref in ids]
            if not value:
                continue
        record[spec.name] = value
    record["sources"] = sources
    return record


# -- words ----------------------------------------------------------------------------------


class Vocabulary:
    """English words with automotive terms mixed in, drawn with weight 1/rank."""

    def __init__(self) -> None:
        lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
        words = [w for w in lines if w and not w.startswith("#")]
        for k, term in enumerate(AUTO_TERMS):  # spread the terms over ranks 20 .. ~3000
            words.insert(20 + 25 * k, term)
        self.words = words
        self.cum = list(itertools.accumulate(1.0 / r for r in range(1, len(words) + 1)))

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum, k=k)


# -- one article ----------------------------------------------------------------------------


class ArticleWriter:
    """Writes article `index`: text, facts citing it, and sentences naming its featured entities."""

    def __init__(self, vocab: Vocabulary, entities: dict[str, list[Entity]], seed: int, index: int,
                 featured: list[Entity]) -> None:
        self.vocab = vocab
        self.entities = entities
        self.index = index
        self.featured = featured
        self.rng = random.Random(f"{seed}:{index}")
        self.year = self.rng.randint(2019, 2025)
        self.month = self.rng.randint(1, 12)
        self.day = self.rng.randint(1, 28)
        company = self.pick("company")
        self.topic = [company, self.pick("company", company), *map(self.pick, ("technology", "vehicle", "person"))]
        self.name = f"{index:05d}_{hashlib.sha1(f'{seed}-{index}'.encode()).hexdigest()[:16]}.txt"

    # words and sentences

    def pick(self, kind: str, besides: Entity | None = None) -> Entity:
        """A random entity of `kind`, other than `besides`."""
        while True:
            entity = self.rng.choice(self.entities[kind])
            if entity is not besides:
                return entity

    def mention(self, entity: Entity) -> str:
        return self.rng.choice(entity.surfaces)

    def filler(self, low: int = 8, high: int = 26) -> str:
        """A sentence body of Zipf-drawn words with a few names and numbers mixed in."""
        rng = self.rng
        words = self.vocab.draw(rng, rng.randint(low, high))
        if rng.random() < 0.35:
            words[rng.randrange(len(words))] = self.mention(rng.choice(self.topic))
        if rng.random() < 0.15:
            words[rng.randrange(len(words))] = rng.choice(NUMBERS)
        if len(words) > 10 and rng.random() < 0.5:
            at = rng.randrange(3, len(words) - 3)
            words[at] += ","
        return " ".join(words)

    def sentence(self) -> str:
        body = self.filler()
        return body[0].upper() + body[1:] + "."

    # facts: each returns the sentence and the fact, whose quote is copied from the sentence

    def fact_sentence(self, number: int) -> tuple[str, dict]:
        maker = self.rng.choice((self.figure, self.event, self.statement, self.plan))
        sentence, quote, fact = maker()
        fact["kind"] = maker.__name__
        fact["id"] = f"g{self.index:05d}-{fact['kind']}-{number}"
        fact["sources"] = [{"article": self.name, "quote": quote}]
        return sentence, fact

    def figure(self) -> tuple[str, str, dict]:
        rng, c = self.rng, self.pick("company")
        choice = rng.randrange(3)
        if choice == 0:
            n, unit = rng.randrange(1000, 900000, 500), rng.choice(UNITS)
            quote = f"{self.mention(c)} expects to deliver {n:,} {unit} in {self.year + 1}"
            fact = {"subject": c.id, "metric": f"{unit} to be delivered in {self.year + 1}", "value": n,
                    "unit": unit, "as_of": str(self.year)}
            return f"{quote}, {self.filler(4, 10)}.", quote, fact
        if choice == 1:
            n, region = rng.randrange(500, 60000, 250), rng.choice(REGIONS)
            quote = f"{self.mention(c)} now employs about {n:,} people in {region}"
            fact = {"subject": c.id, "metric": f"employees in {region}", "value": n, "unit": "employees",
                    "approximate": True}
            return quote + ".", quote, fact
        v, n = self.pick("vehicle"), rng.randrange(14000, 60000, 500)
        quote = f"The {self.mention(v)} is expected to cost around €{n:,}"
        fact = {"subject": v.id, "metric": "expected price", "value": n, "unit": "euros", "approximate": True}
        return quote + ".", quote, fact

    def event(self) -> tuple[str, str, dict]:
        rng, c = self.rng, self.pick("company")
        if rng.random() < 0.5:
            other, tech = self.pick("company", c), self.pick("technology")
            month, day = rng.choice(MONTHS), rng.randint(1, 28)
            quote = f"On {month} {day}, {self.mention(c)} and {self.mention(other)} signed an agreement on {tech.name.lower()}"
            fact = {"subject": c.id, "summary": f"{c.name} and {other.name} signed an agreement on {tech.name.lower()}.",
                    "date": f"{self.year}-{MONTHS.index(month) + 1:02d}-{day:02d}",
                    "mentions": [other.id, tech.id]}
            return quote + ".", quote, fact
        facility, region = rng.choice(FACILITIES), rng.choice(REGIONS)
        quote = f"{self.mention(c)} opened a new {facility} in {region}"
        fact = {"subject": c.id, "summary": f"{c.name} opened a new {facility} in {region}.",
                "date": f"{self.year}-{self.month:02d}"}
        return f"{quote} in {MONTHS[self.month - 1]} {self.year}.", quote, fact

    def statement(self) -> tuple[str, str, dict]:
        rng = self.rng
        if rng.random() < 0.6:
            person, tech = self.pick("person"), self.pick("technology")
            inner = f"{tech.name} {self.filler(5, 12)}"
            quote = f"“{inner[0].upper() + inner[1:]}”, said {person.name}"
            fact = {"speaker": person.id, "summary": f"{person.name} commented on {tech.name.lower()}.",
                    "mentions": [tech.id]}
            return quote + ".", quote, fact
        c, tech, region = self.pick("company"), self.pick("technology"), rng.choice(REGIONS)
        quote = f"{self.mention(c)} said {tech.name.lower()} would be central to its strategy for {region}"
        fact = {"speaker": c.id, "summary": f"{c.name} called {tech.name.lower()} central to its strategy for {region}.",
                "mentions": [tech.id]}
        return quote + ".", quote, fact

    def plan(self) -> tuple[str, str, dict]:
        rng, c = self.rng, self.pick("company")
        choice = rng.randrange(3)
        if choice == 0:
            v, year = self.pick("vehicle"), self.year + rng.randint(1, 5)
            quote = f"{self.mention(c)} plans to launch the {self.mention(v)} by {year}"
            fact = {"subject": c.id, "summary": f"{c.name} plans to launch the {v.name} by {year}.",
                    "status": "planned", "date": str(year), "mentions": [v.id]}
        elif choice == 1:
            tech, region = self.pick("technology"), rng.choice(REGIONS)
            quote = f"{self.mention(c)} is considering {tech.name.lower()} for its models in {region}"
            fact = {"subject": c.id, "summary": f"{c.name} is considering {tech.name.lower()} in {region}.",
                    "status": "considered", "mentions": [tech.id]}
        else:
            other = self.pick("company", c)
            quote = f"{self.mention(c)} has ruled out a merger with {self.mention(other)}"
            fact = {"subject": c.id, "summary": f"{c.name} has ruled out a merger with {other.name}.",
                    "status": "ruled-out", "mentions": [other.id]}
        return quote + ".", quote, fact

    # layout

    def title(self) -> str:
        rng = self.rng
        c, tech, v = self.topic[0], self.topic[2], self.topic[3]
        return rng.choice((
            f"{self.mention(c)} and {self.mention(self.topic[1])} deepen cooperation on {tech.name.lower()}",
            f"{self.mention(c)} bets on {tech.name.lower()} as rivals slow down",
            f"Inside {self.mention(c)}’s plan for {tech.name.lower()}",
            f"What the {self.mention(v)} means for {self.mention(c)}",
        ))

    def dateline(self) -> tuple[str, str]:
        """(a line before the body or "", a prefix of the first paragraph), in one of four styles."""
        rng, month = self.rng, MONTHS[self.month - 1]
        style = rng.randrange(4)
        if style == 0:
            return "", f"{rng.choice(CITIES)}, {month} {self.day}, {self.year} – "
        if style == 1:
            return f"Written by {rng.choice(AUTHORS)} – {month} {self.day:02d}, {self.year}\n\n", ""
        if style == 2:
            return "", f"{rng.choice(CITIES)}, {month} {self.day} (Reuters) – "
        return f"{month} {self.day}, {self.year}\n\n", ""

    def paragraphs(self, special: list[str]) -> list[str]:
        """Paragraphs of 300-900 words in all, with the `special` sentences placed among them."""
        rng = self.rng
        target = rng.randint(300, 900) - sum(len(s.split()) for s in special)
        sentences: list[str] = []
        words = 0
        while words < target:
            sentences.append(self.sentence())
            words += len(sentences[-1].split())
        for s in special:
            sentences.insert(rng.randrange(len(sentences) + 1), s)
        paragraphs, at = [], 0
        while at < len(sentences):
            size = rng.randint(2, 6)
            paragraphs.append(" ".join(sentences[at:at + size]))
            at += size
        return paragraphs

    def teaser(self) -> str:
        body = self.filler(6, 14)
        return body[0].upper() + body[1:] + "..."

    def write(self) -> Piece:
        rng = self.rng
        piece = Piece(self.name, "")
        special: list[str] = []
        for entity in self.featured:
            sentence = rng.choice(FEATURED).format(name=entity.name)
            piece.featured[entity.id] = sentence
            special.append(sentence)
        for number in range(1, rng.randint(2, 5) + 1):
            sentence, fact = self.fact_sentence(number)
            special.append(sentence)
            piece.facts.append(fact)
        before, prefix = self.dateline()
        paragraphs = self.paragraphs(special)
        paragraphs[0] = prefix + paragraphs[0]
        if len(paragraphs) > 3 and rng.random() < 0.3:  # a sub-heading
            paragraphs.insert(rng.randrange(1, len(paragraphs)), " ".join(self.vocab.draw(rng, 4)).title())
        if len(paragraphs) > 3 and rng.random() < 0.25:  # an inline link to another story
            headline = " ".join(self.vocab.draw(rng, 7)).capitalize()
            paragraphs.insert(rng.randrange(1, len(paragraphs)), f"Read also\n\n{headline}")
        parts = [rng.choice(TOP_BOILERPLATE) + "\n" if rng.random() < 0.3 else "",
                 self.title(), "\n\n", before, "\n\n".join(paragraphs), "\n"]
        parts.append(self.footer(prefix))
        piece.text = "".join(parts)
        return piece

    def footer(self, prefix: str) -> str:
        """Related links, a wordmark and copyright notice, a source link: each now and then."""
        rng, out = self.rng, []
        if rng.random() < 0.4:
            out.append("\nRelated Posts\n\n" + "\n\n".join(self.teaser() for _ in range(rng.randint(2, 4))) + "\n")
        if "(Reuters)" in prefix:
            out.append(f"\nReuters\n\n©{self.year} Thomson Reuters, all rights reserved. Any copying, republication "
                       "or redistribution of Reuters content is expressly prohibited without the prior written consent "
                       "of Thomson Reuters.\n")
        elif rng.random() < 0.3:
            publisher = rng.choice(PUBLISHERS)
            out.append(f"\n{publisher}\n\n© {self.year} {publisher}. All rights reserved.\n")
        if rng.random() < 0.2:
            out.append("\nSource link\n")
        return "".join(out)


# -- the corpus -----------------------------------------------------------------------------


def yaml_value(value) -> str:
    """A YAML scalar or flow list (JSON strings are valid YAML double-quoted scalars)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def yaml_records(records: list[dict], header: str) -> str:
    """A fact file: records grouped in sections by kind, in the order given."""
    lines = [f"# {header}"]
    by_kind: dict[str, list[dict]] = {}
    for record in records:
        by_kind.setdefault(record["kind"], []).append(record)
    for kind, items in by_kind.items():
        lines.append(f"{SECTION[kind]}:")
        for record in items:
            lines.append(f"  - id: {record['id']}")
            for key, value in record.items():
                if key in ("kind", "id", "sources"):
                    continue
                lines.append(f"    {key}: {yaml_value(value)}")
            lines.append("    sources:")
            for source in record["sources"]:
                lines.append(f"      - article: {yaml_value(source['article'])}")
                lines.append(f"        quote: {yaml_value(source['quote'])}")
        lines.append("")
    return "\n".join(lines) + "\n"


def sidecar(names: list[str], seed: int) -> str:
    """metadata.yaml with overrides for every 97th article."""
    rng = random.Random(f"{seed}:sidecar")
    lines = ["# Metadata overrides for some generated articles (bench/gen.py).", ""]
    for name in names[::97]:
        lines += [f"{name}:", f"  publisher: {yaml_value(rng.choice(PUBLISHERS))}",
                  f"  url: https://example.org/news/{name[:-4]}", ""]
    return "\n".join(lines)


def generate(out: Path, articles: int, seed: int) -> dict:
    """Write the corpus to `out` (replaced if it exists); returns counts."""
    if articles < 1:
        raise ValueError("at least one article is needed")
    facts = bundled_entities()
    entities = [as_entity(f) for f in facts]
    by_kind: dict[str, list[Entity]] = {k: [e for e in entities if e.kind == k] for k in COPIED_KINDS}
    vocab = Vocabulary()
    featured: dict[int, list[Entity]] = {}
    for j, entity in enumerate(entities):
        featured.setdefault(j % articles, []).append(entity)

    if out.exists():
        shutil.rmtree(out)
    (out / "seeds").mkdir(parents=True)
    (out / "facts").mkdir()
    names: list[str] = []
    chunk: list[dict] = []
    quotes: dict[str, dict] = {}
    for index in range(articles):
        piece = ArticleWriter(vocab, by_kind, seed, index, featured.get(index, [])).write()
        (out / "seeds" / piece.name).write_text(piece.text, encoding="utf-8")
        for entity_id, quote in piece.featured.items():
            quotes.setdefault(entity_id, {"article": piece.name, "quote": quote})
        chunk.extend(piece.facts)
        names.append(piece.name)
        if (index + 1) % FACTS_PER_FILE == 0 or index + 1 == articles:
            first = index // FACTS_PER_FILE * FACTS_PER_FILE
            (out / "facts" / f"generated-{first // FACTS_PER_FILE:03d}.yaml").write_text(
                yaml_records(chunk, f"Facts of articles {first} to {index} (bench/gen.py, seed {seed})."),
                encoding="utf-8")
            chunk = []
    ids = {f.id for f in facts}
    records = [copied_record(f, [quotes[f.id]], ids) for f in facts]
    (out / "facts" / "entities.yaml").write_text(
        yaml_records(records, "The bundled entity records, citing generated articles (bench/gen.py)."),
        encoding="utf-8")
    (out / "seeds" / "metadata.yaml").write_text(sidecar(names, seed), encoding="utf-8")
    return {"articles": articles, "entities": len(records)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the corpus folder to write (replaced if it exists)")
    parser.add_argument("--articles", type=int, default=1000, help="how many articles (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate(args.out, args.articles, args.seed)
    print(f"Wrote {counts['articles']} articles and {counts['entities']} entity records to {args.out} "
          f"in {time.perf_counter() - started:.1f} s.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
