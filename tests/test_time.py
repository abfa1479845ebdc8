"""The time model: dates in order, current state and history, the timeline, time warnings."""

from __future__ import annotations

import textwrap
from itertools import pairwise

import pytest

from facts import profile
from facts.base import load
from facts.corpus import Corpus
from facts.dates import PartialDate, date_key
from facts.text import bare_quote, quote_marks
from facts.timeline import HAPPENED, TARGET, split, timeline

from .conftest import ROOT, write

OLD, NEW = "000_70c07016745e2cd6.txt", "001_eeb87b223eca0c5a.txt"  # 8 Nov 2022; ~Nov 2024 (estimated)
COMPANIES = f"""\
companies:
  - id: nissan
    name: Nissan
    type: automaker
    sources:
      - article: {NEW}
        quote: "Makoto Uchida, CEO of Nissan"
  - id: ampere
    name: Ampere
    type: business-unit
    sources:
      - article: {NEW}
        quote: "technology from Ampere"
  - id: renault-group
    name: Renault Group
    type: automaker
    sources:
      - article: {OLD}
        quote: "Renault Group has built deep partnerships"
"""


def _load(tmp_path, extra: str, dated: bool = True):
    root = tmp_path / "c"
    for name in (OLD, NEW):
        write(root / "seeds" / name, (ROOT / "seeds" / name).read_bytes())
    sidecar = f"{OLD}:\n  date: 2022-11-08\n"
    if dated:
        sidecar += f"{NEW}:\n  date: 2024-11\n  date_estimated: true\n"
    write(root / "seeds" / "metadata.yaml", sidecar)
    write(root / "facts" / "a.yaml", COMPANIES)
    write(root / "facts" / "b.yaml", textwrap.dedent(extra))
    return load(Corpus.open(root))


def _warnings(loaded) -> list[str]:
    return [str(p) for p in loaded.problems if p.severity == "warning"]


# -- dates -------------------------------------------------------------------------------------

def test_partial_dates_sort_as_dates_not_as_text():
    labels = ["Apr 2024", "Nov 2022", "Nov 2024", "Q1 2023", "2023", "H2 2023", "8 Nov 2022", "2022"]
    parsed = {"Apr 2024": "2024-04", "Nov 2022": "2022-11", "Nov 2024": "2024-11", "Q1 2023": "2023-Q1",
              "2023": "2023", "H2 2023": "2023-H2", "8 Nov 2022": "2022-11-08", "2022": "2022"}
    dates = sorted(PartialDate.parse(parsed[label]) for label in labels)
    assert [str(d) for d in dates] == ["2022", "Nov 2022", "8 Nov 2022", "2023", "Q1 2023", "H2 2023",
                                       "Apr 2024", "Nov 2024"]
    assert sorted(labels) != [str(d) for d in dates]  # as text they would not be in this order


def test_coarser_spans_come_first_on_the_same_start_day():
    order = ["2023", "2023-H1", "2023-Q1", "2023-01", "2023-01-01", "2023-01-02"]
    dates = [PartialDate.parse(t) for t in order]
    assert sorted(reversed(dates)) == dates
    for a, b in pairwise(dates):
        assert a < b and not b < a and a != b
    # H2 starts in July: after every month of the first half, before July itself
    assert PartialDate.parse("2023-06") < PartialDate.parse("2023-H2") < PartialDate.parse("2023-07")
    assert PartialDate.parse("2023-H2") < PartialDate.parse("2023-Q3")


def test_spans_and_optional_dates():
    assert PartialDate.parse("2023-H2").last_day.isoformat() == "2023-12-31"
    assert PartialDate.parse("2024-Q1").last_day.isoformat() == "2024-03-31"
    assert PartialDate.parse("2024-02").last_day.isoformat() == "2024-02-29"
    assert PartialDate.parse("2023").first_day.isoformat() == "2023-01-01"
    assert PartialDate.parse("2024-11").label(estimated=True) == "~Nov 2024"
    assert sorted([None, PartialDate(2024), PartialDate(2022)], key=date_key) == [PartialDate(2022), PartialDate(2024), None]


def test_estimated_dates_sort_by_their_value(tmp_path):
    loaded = _load(tmp_path, f"""\
        events:
          - id: e-new
            subject: nissan
            summary: Later, from an article with an estimated date.
            sources:
              - article: {NEW}
                quote: "Nissan will partner with Ampere to develop the new car"
          - id: e-old
            subject: nissan
            summary: Earlier.
            sources:
              - article: {OLD}
                quote: "Ampere also going public?"
        """)
    events = next(s for s in profile.sections(loaded.facts, loaded.facts.get("nissan")) if s.kind == "event")
    assert [f.id for f in events.current] == ["e-old", "e-new"]


# -- quotes --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("quote", "bare"), [
    ("“Nissan has asked Ampere to explore.", "Nissan has asked Ampere to explore."),
    ("Through this partnership,” he said.", "Through this partnership,” he said."),
    ("would strengthen Nissan and “accelerate new business.”", "would strengthen Nissan and “accelerate new business.”"),
    ('"plain straight', "plain straight"),
    ("the drivers'", "the drivers'"),
    ("  many\n  lines  ", "many lines"),
])
def test_bare_quote_drops_only_marks_left_open(quote, bare):
    assert bare_quote(quote) == bare
    assert not f"“{bare_quote(quote)}”".startswith("““")


def test_quote_marks_are_not_doubled_around_highlighted_quotes():
    assert quote_marks("“Nissan has asked") == ("", "”")
    assert quote_marks("plain”") == ("“", "")
    assert quote_marks("plain") == ("“", "”")


# -- current state and history -----------------------------------------------------------------

STAKES = f"""\
    stakes:
      - id: stake-old
        holder: nissan
        target: ampere
        percent: 5
        status: planned
        date: 2023-H2
        sources:
          - article: {OLD}
            quote: "In the second half of 2023, there are even stock market plans"
      - id: stake-new
        holder: nissan
        target: ampere
        percent: 15
        status: current
        supersedes: [stake-old]
        sources:
          - article: {NEW}
            quote: "Nissan will partner with Ampere to develop the new car"
    plans:
      - id: plan-lapsed
        subject: ampere
        summary: A listing planned for the second half of 2023.
        status: planned
        date: 2023-H2
        sources:
          - article: {OLD}
            quote: "In the second half of 2023, there are even stock market plans"
      - id: plan-future
        subject: ampere
        summary: Something for 2028.
        status: planned
        date: 2028
        sources:
          - article: {NEW}
            quote: "next-generation electric platform that will be launched in 2028"
    """


def test_superseded_fact_is_history_and_ranked_down(tmp_path):
    loaded = _load(tmp_path, STAKES)
    assert _warnings(loaded) == []
    base = loaded.facts
    old, new = base.get("stake-old"), base.get("stake-new")
    assert (old.current, old.rank, new.current, new.rank) == (False, "superseded", True, "preferred")
    assert new.text.startswith("Nissan holds 15% stake in Ampere (as of ~Nov 2024)")
    assert old.text.endswith("[superseded]")
    stakes = next(s for s in profile.sections(base, base.get("ampere")) if s.kind == "stake")
    assert [f.id for f in stakes.current] == ["stake-new"]
    [item] = stakes.history
    assert item.fact is old
    assert item.text.startswith(old.text + " → replaced by: " + new.text)
    assert "(reported ~Nov 2024)" in item.text


def test_plan_past_its_target_date_is_history_with_the_reason(tmp_path):
    base = _load(tmp_path, STAKES).facts
    plans = next(s for s in profile.sections(base, base.get("ampere")) if s.kind == "plan")
    assert [f.id for f in plans.current] == ["plan-future"]
    [item] = plans.history
    assert item.fact.id == "plan-lapsed"
    assert "planned as of 8 Nov 2022" in item.text
    assert "the target date H2 2023 has passed; no later article says what became of it" in item.text


# -- timeline ------------------------------------------------------------------------------------

def test_timeline_keeps_targets_apart_from_what_happened(tmp_path):
    base = _load(tmp_path, STAKES).facts
    entries = timeline(base, "ampere")
    happened, targets = split(entries)
    assert [(e.fact.id, e.what) for e in happened] == [("stake-new", "status change")]
    assert happened[0].estimated and happened[0].date_label == "~Nov 2024"
    assert [(e.fact.id, e.date_label) for e in targets] == [
        ("plan-lapsed", "H2 2023"), ("stake-old", "H2 2023"), ("plan-future", "2028")]
    assert all(e.type == TARGET for e in targets) and all(e.type == HAPPENED for e in happened)
    lapsed = targets[0]
    assert lapsed.set_on == (PartialDate(2022, 11, 8), False)
    assert "has passed" in lapsed.note and not targets[2].note
    assert "replaced by" in targets[1].note  # stake-old was superseded
    # the whole list is in date order
    assert [e.date for e in entries] == sorted(e.date for e in entries)


def test_timeline_since_and_narrowing(tmp_path):
    base = _load(tmp_path, STAKES).facts
    assert {e.fact.id for e in timeline(base, "ampere", PartialDate.parse("2024"))} == {"stake-new", "plan-future"}
    # a span that reaches the date counts: H2 2023 ends after 1 Oct 2023
    assert "plan-lapsed" in {e.fact.id for e in timeline(base, None, PartialDate.parse("2023-10-01"))}
    assert timeline(base, "renault-group") == []


def test_timeline_json_entry(tmp_path):
    base = _load(tmp_path, STAKES).facts
    entry = next(e for e in timeline(base) if e.fact.id == "plan-future").to_json(base)
    assert entry["type"] == "target" and entry["date"] == "2028" and entry["set_on"] == "2024-11"
    assert entry["set_on_estimated"] is True and entry["certainty"] == "confirmed"
    assert entry["sources"][entry["source"]]["quote"].endswith("launched in 2028")


# -- check warnings --------------------------------------------------------------------------------

def test_supersedes_pointing_forward_in_time_warns(tmp_path):
    loaded = _load(tmp_path, STAKES.replace("supersedes: [stake-old]", "").replace(
        "        date: 2023-H2\n        sources:\n          - article: " + OLD,
        "        date: 2023-H2\n        supersedes: [stake-new]\n        sources:\n          - article: " + OLD, 1))
    [message] = [m for m in _warnings(loaded) if "supersedes" in m]
    assert "b.yaml:" in message and "stake 'stake-old' supersedes 'stake-new', which was reported later" in message


def test_current_facts_that_disagree_without_a_link_warn(tmp_path):
    loaded = _load(tmp_path, STAKES.replace("supersedes: [stake-old]", ""))
    [message] = _warnings(loaded)
    assert "stake 'stake-new' and 'stake-old' are both current and disagree (percent, status) with no link" in message
    assert message.startswith("facts/b.yaml:")
    linked = _load(tmp_path / "l", STAKES.replace("supersedes: [stake-old]", "conflicts_with: [stake-old]"))
    assert _warnings(linked) == []


def test_status_without_any_date_warns(tmp_path):
    loaded = _load(tmp_path, f"""\
        partnerships:
          - id: p-undated
            name: Undated partnership
            type: partnership
            parties: [nissan, ampere]
            covers: Something.
            status: active
            sources:
              - article: {NEW}
                quote: "Nissan will partner with Ampere to develop the new car"
          - id: p-as-of
            name: Dated partnership
            type: partnership
            parties: [nissan, renault-group]
            covers: Something else.
            status: active
            as_of: 2024-11
            sources:
              - article: {NEW}
                quote: "Nissan will partner with Ampere"
        """, dated=False)
    [message] = _warnings(loaded)
    assert "partnership 'p-undated' has a status but no date" in message and "as_of" in message
    assert loaded.facts.get("p-as-of").text.startswith("Dated partnership [partnership, active as of Nov 2024]")


def test_partnership_as_speaker_warns_and_joint_statements_name_both(tmp_path):
    loaded = _load(tmp_path, f"""\
        partnerships:
          - id: p
            name: P
            type: alliance
            parties: [nissan, renault-group]
            covers: Something.
            status: active
            sources:
              - article: {NEW}
                quote: "Nissan will partner with Ampere"
        statements:
          - id: s-joint
            speaker: [nissan, renault-group]
            summary: Both said it.
            sources:
              - article: {NEW}
                quote: "Nissan will partner with Ampere"
          - id: s-partnership
            speaker: p
            summary: The partnership said it.
            sources:
              - article: {NEW}
                quote: "Nissan will partner with Ampere"
        """)
    [message] = _warnings(loaded)
    assert "speaker 'p' is a partnership" in message and "[nissan, renault-group]" in message
    assert loaded.facts.get("s-joint").text == "Nissan and Renault Group said: Both said it."


def test_certainty_and_hedges_show_and_bad_hedges_warn(tmp_path):
    loaded = _load(tmp_path, f"""\
        statements:
          - id: s-reported
            speaker: nissan
            certainty: reported
            summary: Nissan believes something.
            sources:
              - article: {NEW}
                quote: "Nissan will partner with Ampere"
        vehicles:
          - id: car
            name: Small car
            maker: nissan
            platform: plat
            status: planned
            hedged: [platform, colour, price]
            sources:
              - article: {NEW}
                quote: "Nissan will partner with Ampere"
        platforms:
          - id: plat
            name: Plat
            owner: ampere
            sources:
              - article: {NEW}
                quote: "technology from Ampere"
        """)
    messages = _warnings(loaded)
    assert any("'hedged' names 'colour', which is not a field of a vehicle" in m for m in messages)
    assert any("'hedged' names 'price', which vehicle 'car' does not set" in m for m in messages)
    assert "on Plat (unconfirmed)" in loaded.facts.get("car").text
    assert loaded.facts.get("s-reported").text.startswith("Nissan, as the article reports it (not their own words):")
    bad = _load(tmp_path / "bad", """\
        statements:
          - id: s
            speaker: nissan
            certainty: sure
            summary: x
            sources:
              - article: 001_eeb87b223eca0c5a.txt
                quote: "Nissan will partner with Ampere"
        """)
    assert any("'certainty' of statement 's' is 'sure', not one of: confirmed, expected, reported, opinion" in str(p)
               for p in bad.errors)
