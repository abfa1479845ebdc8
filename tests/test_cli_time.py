"""`alliance show` with current state and history, and `alliance timeline`, run as a process."""

from __future__ import annotations

import json

from facts.dates import PartialDate

from .test_cli import cli, no_traceback  # noqa: F401 - the module's CLI fixture

ENTRY_KEYS = {"type", "what", "date", "date_label", "date_estimated", "set_on", "set_on_estimated", "fact",
              "kind", "text", "certainty", "rank", "note", "source", "sources"}


def _section(lines: list[str], title: str) -> list[str]:
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = next((i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith(" ")), len(lines))
    return lines[start:end]


def test_show_puts_current_state_first_then_history(cli):  # noqa: F811
    proc = cli("show", "ampere")
    assert proc.returncode == 0, proc.stderr
    no_traceback(proc)
    lines = proc.stdout.splitlines()
    assert "~ marks an estimated date" in proc.stdout
    plans = _section(lines, "Plans (")
    current, history = plans.index("  Current:"), plans.index("  History (1), no longer current:")
    assert current < history
    [listing] = [line for line in plans[history:] if line.startswith("  · ")]
    assert listing.startswith("  · Ampere plan H2 2023 (planned as of 8 Nov 2022)")
    assert listing.endswith("→ the target date H2 2023 has passed; no later article says what became of it")
    assert not any("Ampere plan H2 2023" in line for line in plans[:history] if line.startswith("  - "))


def test_show_sorts_events_by_date_estimates_included(cli):  # noqa: F811
    lines = cli("show", "ampere").stdout.splitlines()
    events = [line for line in _section(lines, "Events (") if line.startswith("        “")]
    dates = [line.rsplit(", ", 1)[-1] for line in events]
    order = ["8 Nov 2022", "~Q1 2023 (estimate)", "26 Apr 2024", "~Nov 2024 (estimate)"]
    positions = [next(i for i, o in enumerate(order) if d.startswith(o)) for d in dates]
    assert positions == sorted(positions), dates


def test_show_never_doubles_quotation_marks(cli):  # noqa: F811
    out = cli("show", "nissan").stdout
    assert "““" not in out and "””" not in out.replace("business.””", "")
    assert "“Nissan has asked Ampere to explore the development of the A-segment car for Europe.”" in out
    assert "Nissan and Renault Group said: " in out


def test_timeline_text_keeps_targets_apart(cli):  # noqa: F811
    proc = cli("timeline", "ampere")
    assert proc.returncode == 0, proc.stderr
    no_traceback(proc)
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Timeline of Ampere: ") and "targets" in lines[0]
    happened, targets = lines.index("What happened"), lines.index(
        "Targets (dates in the future of the article that sets them)")
    assert happened < targets
    entry_lines = [line for line in lines[happened:targets] if line[:3].strip()[:1].isdigit() or line[2:3] == "~"]
    assert entry_lines and not any(line[14:28].strip() == "target" for line in entry_lines)
    assert all(line[14:28].strip() == "target" for line in lines[targets:] if line[2:3].isdigit())
    goal = next(i for i in range(targets, len(lines)) if "Ampere goal by 2031" in lines[i])
    assert lines[goal].startswith("  2031")
    assert lines[goal + 1].strip() == "set 8 Nov 2022"
    assert "“Ampere aims to produce about 1 million EVs for the Renault brand by 2031.”" in lines[goal + 2]
    listing = next(i for i in range(targets, len(lines)) if "Ampere plan H2 2023" in lines[i])
    assert "has passed" in lines[listing + 2]


def test_timeline_json_schema_order_and_since(cli):  # noqa: F811
    proc = cli("timeline", "--json", "ampere")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["version"] == 1 and doc["entity"] == {"id": "ampere", "name": "Ampere", "kind": "company"}
    assert doc["since"] is None
    entries = doc["entries"]
    assert entries and all(set(e) == ENTRY_KEYS for e in entries)
    dates = [PartialDate.parse(e["date"]) for e in entries]
    assert dates == sorted(dates)
    assert {e["type"] for e in entries} == {"happened", "target"}
    for e in entries:
        quote = e["sources"][e["source"]]["quote"]
        assert quote and e["sources"][e["source"]]["article"].endswith(".txt")
        if e["type"] == "target":
            assert PartialDate.parse(e["date"]).first_day > PartialDate.parse(e["set_on"]).last_day
    assert any(e["date_estimated"] and e["date_label"].startswith("~") for e in entries)

    since = json.loads(cli("timeline", "ampere", "--json", "--since", "2024-06").stdout)
    assert since["since"] == "2024-06"
    assert since["entries"] and len(since["entries"]) < len(entries)
    assert all(PartialDate.parse(e["date"]).last_day.isoformat() >= "2024-06-01" for e in since["entries"])


def test_timeline_names_everything_and_errors(cli):  # noqa: F811
    everything = json.loads(cli("timeline", "--json").stdout)
    assert everything["entity"] is None
    ampere = json.loads(cli("timeline", "--json", "ampere").stdout)
    assert len(everything["entries"]) > len(ampere["entries"])

    alias = cli("timeline", "the", "diamond", "group")
    assert alias.returncode == 0 and alias.stdout.startswith("Timeline of Renault Group")
    typo = cli("timeline", "nisan")
    assert typo.returncode == 0 and "Showing “Nissan” for “nisan”." in typo.stdout

    missing = cli("timeline", "no-such-company")
    assert missing.returncode == 1 and "Nothing is called “no-such-company”." in missing.stdout
    bad = cli("timeline", "--since", "2024-13")
    assert bad.returncode == 2 and "month 13 is out of range" in bad.stderr
    no_traceback(bad)
    empty = cli("timeline", "ampere", "--since", "2099")
    assert empty.returncode == 1 and "Nothing dated matches." in empty.stdout
