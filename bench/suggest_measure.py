"""Measure `alliance suggest` on the bundled articles, whose hand-written facts are the answer key.

Recall: the share of bundled facts (per kind) whose kind and quoted sentence a suggestion finds.
Precision: the share of suggestions that match a bundled fact (same kind, a quote in the same
sentence), or that bench/suggest_judgements.tsv records as correct on reading.
The suggester runs with nothing known (no fact base), so every bundled fact is fair game.

Development articles (--dev DIR, plain .txt pages about other carmakers) run against the
bundled fact base; their suggestions are judged by reading only (the same judgements file).

    .venv/bin/python bench/suggest_measure.py [--dev /work/devset/pages --dev-files a.txt,b.txt] [--unjudged]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from facts.base import load
from facts.corpus import Corpus
from facts.kinds import KINDS
from facts.suggest import suggest_article

JUDGEMENTS = Path(__file__).with_name("suggest_judgements.tsv")


KEY_FIELDS = {"role": ("person", "org"), "stake": ("holder", "target"), "partnership": ("parties",),
              "figure": ("subject",), "goal": ("subject",), "plan": ("subject",), "event": ("subject",),
              "statement": ("speaker",), "vehicle": ("maker",)}


def _names(value, name_of) -> set[str]:
    from facts.names import name_key

    values = value if isinstance(value, list) else [value]
    return {name_key(name_of(v)) for v in values if v}


def strict_match(s, fact, base, new_names) -> bool:
    """Same kind and sentence, and the entities it names are the fact's (compared by name)."""
    from facts.names import name_key

    def mine(ref):
        return new_names.get(ref, ref.replace("-", " "))

    if s.kind in ("company", "person", "technology", "platform", "vehicle") and s.rule.startswith("new-"):
        names = {name_key(n) for n in [fact.name, *fact.aliases]}
        return name_key(s.values.get("name", "")) in names
    for field in KEY_FIELDS.get(s.kind, ()):
        theirs = {name_key(n) for ref in (fact.get(field) if isinstance(fact.get(field), list) else [fact.get(field)])
                  if ref for n in [base.name_of(ref), *(base.get(ref).aliases if base.get(ref) else [])]}
        if not _names(s.values.get(field), mine) <= theirs:
            return False
    return True


def judgements() -> dict[str, str]:
    """key -> 'ok' or 'wrong' (lines: key<TAB>verdict<TAB>kind<TAB>short excerpt)."""
    out = {}
    if JUDGEMENTS.exists():
        for line in JUDGEMENTS.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                parts = line.split("\t")
                out[parts[0]] = parts[1]
    return out


def _pick(counter: Counter, kind: str) -> int:
    return sum(counter.values()) if kind == "ALL" else counter[kind]


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def bundled(show_unjudged: bool) -> None:
    loaded = load(Corpus.open())
    judged = judgements()
    facts = list(loaded.facts.facts.values())
    found_by_kind: Counter = Counter()
    total_by_kind: Counter = Counter()
    sugg_by_kind: Counter = Counter()
    match_by_kind: Counter = Counter()
    judged_ok: Counter = Counter()
    judged_n: Counter = Counter()
    suggestions = {name: suggest_article(article) for name, article in sorted(loaded.articles.items())}
    for fact in facts:
        total_by_kind[fact.kind] += 1
        if any(s.kind == fact.kind and src.span and overlaps(s.sentence, src.span)
               for src in fact.sources for s in suggestions.get(src.article, [])):
            found_by_kind[fact.kind] += 1
    unjudged = []
    strict_by_kind: Counter = Counter()
    strict_found: Counter = Counter()
    base = loaded.facts
    new_names = {n.id: n.values.get("name", n.id) for found in suggestions.values() for s in found
                 for n in [s, *s.new] if "name" in n.values}
    for fact in facts:
        if any(s.kind == fact.kind and src.span and overlaps(s.sentence, src.span)
               and strict_match(s, fact, base, new_names)
               for src in fact.sources for s in suggestions.get(src.article, [])):
            strict_found[fact.kind] += 1
    for name, found in suggestions.items():
        for s in found:
            if any(f.kind == s.kind and src.article == name and src.span and overlaps(s.sentence, src.span)
                   and strict_match(s, f, base, new_names) for f in facts for src in f.sources):
                strict_by_kind[s.kind] += 1
    for name, found in suggestions.items():
        for s in found:
            sugg_by_kind[s.kind] += 1
            if any(f.kind == s.kind and src.article == name and src.span and overlaps(s.sentence, src.span)
                   for f in facts for src in f.sources):
                match_by_kind[s.kind] += 1
            elif s.key in judged:
                judged_n[s.kind] += 1
                judged_ok[s.kind] += judged[s.key] == "ok"
            else:
                unjudged.append(s)
    print("Bundled articles (answer key: the hand-written facts)")
    print(f"{'kind':12} {'facts':>5} {'found':>5} {'recall':>7}   {'sugg':>5} {'match':>5} {'judged ok':>9} "
          f"{'unjudged':>8} {'precision':>9}   {'strict R':>8} {'strict P':>8}")
    rows = sorted(set(total_by_kind) | set(sugg_by_kind), key=list(KINDS).index)
    for kind in [*rows, "ALL"]:
        t, f, n, m, ok, j = (_pick(c, kind) for c in (total_by_kind, found_by_kind, sugg_by_kind, match_by_kind,
                                                  judged_ok, judged_n))
        recall = f"{f / t:.0%}" if t else "-"
        precision = f"{(m + ok) / n:.0%}" if n else "-"
        sr, sp = _pick(strict_found, kind), _pick(strict_by_kind, kind)
        print(f"{kind:12} {t:5} {f:5} {recall:>7}   {n:5} {m:5} {ok:9} {n - m - j:8} {precision:>9}   "
              f"{(f'{sr / t:.0%}' if t else '-'):>8} {(f'{sp / n:.0%}' if n else '-'):>8}")
    print("match: same kind and a quote in the same sentence; precision counts unjudged suggestions as wrong.")
    print("strict: a match that also names the same entities (subject, parties, holder/target, person/org,")
    print("speaker, maker; an entity's name), compared by name; strict P counts only such matches.")
    if show_unjudged:
        for s in unjudged:
            print(f"{s.key}\t?\t{s.kind}\t{s.article[:3]} {s.rule}: {_short(s)}")


def _short(s) -> str:
    fields = {k: v for k, v in s.values.items() if k not in ("id", "summary", "description", "covers", "note")}
    return f"{fields} | {s.quote[:70]}"


def dev(folder: Path, files: list[str], show_unjudged: bool) -> None:
    judged = judgements()
    base = load(Corpus.open()).facts
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        for name in files:
            shutil.copy(folder / name, seeds / name)
        corpus = Corpus.open(tmp)
        n: Counter = Counter()
        ok: Counter = Counter()
        j: Counter = Counter()
        for name in files:
            article = corpus.article(name)
            for s in suggest_article(article, base):
                n[s.kind] += 1
                if s.key in judged:
                    j[s.kind] += 1
                    ok[s.kind] += judged[s.key] == "ok"
                elif show_unjudged:
                    print(f"{s.key}\t?\t{s.kind}\t{name} {s.rule}: {_short(s)}")
    print(f"\nDevelopment articles ({len(files)}: {', '.join(files)}), judged by reading")
    print(f"{'kind':12} {'sugg':>5} {'judged':>6} {'ok':>4} {'precision (of judged)':>22}")
    for kind in [*sorted(n, key=list(KINDS).index), "ALL"]:
        a, b, c = _pick(n, kind), _pick(j, kind), _pick(ok, kind)
        print(f"{kind:12} {a:5} {b:6} {c:4} {(f'{c / b:.0%}' if b else '-'):>22}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dev", type=Path, help="a folder of development articles (.txt)")
    parser.add_argument("--dev-files", default="", help="comma-separated file names in --dev")
    parser.add_argument("--unjudged", action="store_true", help="list suggestions not matched nor judged (to judge)")
    args = parser.parse_args()
    bundled(args.unjudged)
    if args.dev:
        dev(args.dev, [f for f in args.dev_files.split(",") if f], args.unjudged)


if __name__ == "__main__":
    main()
