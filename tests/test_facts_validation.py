"""`alliance check` rules: each kind of mistake gives a message naming file, line and field."""

import textwrap

import pytest

from facts.base import load
from facts.corpus import Corpus

from .conftest import write

ARTICLE = "001_eeb87b223eca0c5a.txt"
GOOD = textwrap.dedent("""\
    companies:
      - id: nissan
        name: Nissan
        type: automaker
        sources:
          - article: 001_eeb87b223eca0c5a.txt
            quote: "Makoto Uchida, CEO of Nissan"
      - id: ampere
        name: Ampere
        type: business-unit
        sources:
          - article: 001_eeb87b223eca0c5a.txt
            quote: "technology from Ampere"
    """)


def _corpus(tmp_path, extra: str, good: str = GOOD):
    root = tmp_path / "c"
    seeds = root / "seeds"
    seeds.mkdir(parents=True)
    from .conftest import ROOT

    (seeds / ARTICLE).write_bytes((ROOT / "seeds" / ARTICLE).read_bytes())
    write(seeds / "metadata.yaml", f"{ARTICLE}:\n  date: 2024-11\n  date_estimated: true\n")
    write(root / "facts" / "a.yaml", good)
    if extra:
        write(root / "facts" / "b.yaml", textwrap.dedent(extra))
    return load(Corpus.open(root))


def _messages(loaded):
    return [str(p) for p in loaded.problems]


def test_good_facts_pass(tmp_path):
    loaded = _corpus(tmp_path, "")
    assert _messages(loaded) == []
    assert set(loaded.facts.facts) == {"nissan", "ampere"}
    source = loaded.facts.get("nissan").sources[0]
    raw = loaded.articles[ARTICLE].raw
    assert raw[source.span[0]:source.span[1]] == "Makoto Uchida, CEO of Nissan"
    assert str(source.reported) == "Nov 2024" and source.reported_estimated


def test_dangling_reference_with_suggestion(tmp_path):
    loaded = _corpus(tmp_path, """\
        partnerships:
          - id: p1
            name: Nissan and Ampere
            type: partnership
            parties:
              - nissan
              - ampere-unit
            covers: an A-segment car
            status: active
            sources:
              - article: 001_eeb87b223eca0c5a.txt
                quote: "Nissan will partner with Ampere"
        """)
    assert _messages(loaded) == [
        "facts/b.yaml:7: party 'ampere-unit' is not a known company (did you mean 'ampere'?)"
    ]
    assert "p1" not in loaded.facts.facts


def test_reference_to_wrong_kind(tmp_path):
    loaded = _corpus(tmp_path, """\
        people:
          - id: uchida
            name: Makoto Uchida
            sources: [{article: 001_eeb87b223eca0c5a.txt, quote: Makoto Uchida}]
        stakes:
          - id: s1
            holder: uchida
            target: nissan
            status: current
            sources: [{article: 001_eeb87b223eca0c5a.txt, quote: Makoto Uchida}]
        """)
    assert _messages(loaded) == ["facts/b.yaml:7: holder 'uchida' is a person, not a company"]


def test_quote_not_found(tmp_path):
    loaded = _corpus(tmp_path, """\
        events:
          - id: e1
            subject: nissan
            summary: Something.
            sources:
              - article: 001_eeb87b223eca0c5a.txt
                quote: "Nissan bought Renault outright"
        """)
    assert _messages(loaded) == [
        'facts/b.yaml:7: quote not found in 001_eeb87b223eca0c5a.txt: "Nissan bought Renault outright"'
    ]


def test_unknown_article(tmp_path):
    loaded = _corpus(tmp_path, """\
        events:
          - id: e1
            subject: nissan
            summary: Something.
            sources:
              - article: 001_eeb87b223eca0c5a.text
                quote: "Makoto Uchida"
        """)
    assert _messages(loaded) == [
        "facts/b.yaml:6: article '001_eeb87b223eca0c5a.text' is not in the corpus (did you mean '001_eeb87b223eca0c5a.txt'?)"
    ]


def test_missing_fields_unknown_keys_bad_choice_bad_date(tmp_path):
    loaded = _corpus(tmp_path, """\
        vehicles:
          - id: v1
            name: City car
            maker: nissan
            stauts: planned
            segment: Z
            launch: next year
            sources:
              - article: 001_eeb87b223eca0c5a.txt
                quote: "city car"
                page: 3
        """)
    assert sorted(_messages(loaded), key=lambda m: int(m.split(":")[1])) == [
        "facts/b.yaml:2: vehicle 'v1' has no 'status' (required)",
        "facts/b.yaml:5: unknown field 'stauts' in vehicle 'v1' (did you mean 'status'?)",
        "facts/b.yaml:6: 'segment' of vehicle 'v1' is 'Z', not one of: A, B, C, D, E, F, LCV",
        "facts/b.yaml:7: 'launch' of vehicle 'v1': expected a date such as 2023, 2023-11, 2023-11-08 or 2023-H2, got 'next year'",
        "facts/b.yaml:11: unknown field 'page' in a source of vehicle 'v1'",
    ]
    assert "v1" not in loaded.facts.facts


def test_duplicate_id_across_files(tmp_path):
    loaded = _corpus(tmp_path, """\
        companies:
          - id: nissan
            name: Nissan Motor
            type: automaker
            sources: [{article: 001_eeb87b223eca0c5a.txt, quote: Nissan}]
        """)
    assert _messages(loaded) == ["facts/b.yaml:2: duplicate id 'nissan' (first defined at facts/a.yaml:2)"]
    assert loaded.facts.get("nissan").name == "Nissan", "the first definition stays"


def test_bad_yaml_and_duplicate_keys(tmp_path):
    loaded = _corpus(tmp_path, "companies:\n  - id: x\n    name: [unclosed\n")
    assert len(loaded.problems) == 1
    assert str(loaded.problems[0]).startswith("facts/b.yaml:4: YAML syntax error")
    loaded = _corpus(tmp_path / "2", "companies:\n  - id: x\n    id: y\n")
    assert _messages(loaded) == ["facts/b.yaml:3: key 'id' appears twice (first on line 2)"]


@pytest.mark.parametrize(("text", "message"), [
    ("- just a list\n", "facts/b.yaml:1: expected sections such as 'companies:' or 'partnerships:' at the top, found a LocatedList"),
    ("compnies:\n  - id: x\n", "facts/b.yaml:1: unknown section 'compnies' (did you mean 'companies'?); sections are"),
    ("companies: nissan\n", "facts/b.yaml:1: section 'companies' must be a list of records"),
    ("companies:\n  - nissan\n", "facts/b.yaml:2: each company must be a mapping of fields"),
    ("companies:\n  - id: Bad_Id\n    name: B\n    type: automaker\n    sources: [{article: 001_eeb87b223eca0c5a.txt, quote: Nissan}]\n",
     "facts/b.yaml:2: id 'Bad_Id' must use only lower-case letters, digits and '-'"),
    ("companies:\n  - id: b\n    name: B\n    type: automaker\n    sources: []\n",
     "facts/b.yaml:5: 'sources' of company 'b' must be a non-empty list of {article, quote}"),
    ("stakes:\n  - id: s\n    holder: nissan\n    target: ampere\n    percent: lots\n    status: planned\n"
     "    sources: [{article: 001_eeb87b223eca0c5a.txt, quote: Nissan}]\n",
     "facts/b.yaml:5: 'percent' of stake 's' must be a number, not 'lots'"),
])
def test_malformed_records(tmp_path, text, message):
    loaded = _corpus(tmp_path, text)
    assert any(m.startswith(message) for m in _messages(loaded)), _messages(loaded)


def test_broken_fact_takes_its_dependants_with_it(tmp_path):
    loaded = _corpus(tmp_path, """\
        platforms:
          - id: plat
            name: Plat
            owner: nobody
            sources: [{article: 001_eeb87b223eca0c5a.txt, quote: AmpR Small architecture}]
        vehicles:
          - id: car
            name: Car
            maker: nissan
            platform: plat
            status: planned
            sources: [{article: 001_eeb87b223eca0c5a.txt, quote: city car}]
        """)
    assert _messages(loaded) == [
        "facts/b.yaml:4: owner 'nobody' is not a known company or partnership",
        "facts/b.yaml:10: platform 'plat' has problems of its own (facts/b.yaml:2), so vehicle 'car' is left out",
    ]


def test_name_clash_is_a_warning_and_first_wins(tmp_path):
    loaded = _corpus(tmp_path, """\
        companies:
          - id: nissan-motor
            name: NISSAN
            type: automaker
            sources: [{article: 001_eeb87b223eca0c5a.txt, quote: Nissan}]
        """)
    assert _messages(loaded) == [
        "facts/b.yaml:2: warning: name 'NISSAN' of company 'nissan-motor' is also a name of company 'nissan' "
        "(facts/a.yaml:2); look-ups by it will pick 'nissan'"
    ]
    assert loaded.facts.names.exact("nissan").id == "nissan"
    assert not loaded.errors


def test_supersedes_an_older_report_and_both_stay(tmp_path):
    loaded = _corpus(tmp_path, """\
        figures:
          - id: old
            subject: ampere
            metric: employees
            value: 10000
            sources: [{article: 001_eeb87b223eca0c5a.txt, quote: Ampere}]
          - id: new
            subject: ampere
            metric: employees
            value: 11000
            supersedes: [old]
            sources: [{article: 001_eeb87b223eca0c5a.txt, quote: Ampere}]
        """)
    base = loaded.facts
    assert {"old", "new"} <= set(base.facts)
    assert [(lk.relation, lk.fact.id) for lk in base.links(base.get("new"))] == [("supersedes", "old")]
    assert [(lk.relation, lk.fact.id) for lk in base.links(base.get("old"))] == [("superseded by", "new")]


def test_long_quote_warning(tmp_path):
    loaded = _corpus(tmp_path, """\
        events:
          - id: e
            subject: nissan
            summary: Long.
            sources:
              - article: 001_eeb87b223eca0c5a.txt
                quote: "It was thought the upcoming Micra supermini would be the starting point for Nissan’s new range of pure-electric vehicles, but Auto Express has learned there will be an even smaller model beneath it. The unnamed electric car will use technology from Ampere - a subsidiary of the Renault Group set up a year ago"
        """)
    assert [p.severity for p in loaded.problems] == ["warning"]
    assert "keep it as short as still makes the fact true" in str(loaded.problems[0])
    assert "e" in loaded.facts.facts
