"""The app's timeline view and the profile's current state and history, driven by Pilot at 80x24."""

from __future__ import annotations

import time

from facts.dates import date_key
from facts.text import normalize
from tui.widgets.company_list import CompanyOptions
from tui.widgets.profile_view import ProfileView
from tui.widgets.reader import Reader
from tui.widgets.source_view import SourceView
from tui.widgets.timeline_view import TimelineView

from .app_support import make_app, settle, type_text, visible_panes
from .test_app import app_env  # noqa: F401 - the shared corpus and index


async def _until(pilot, condition, timeout: float = 20.0) -> None:
    """Wait for a state (never for a fixed time)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the state was not reached in time"
        await pilot.pause()


def _entries(view: TimelineView) -> list[tuple[str, int]]:
    out = []
    for i in range(view.option_count):
        kind, _, rest = (view.get_option_at_index(i).id or "").partition(":")
        if kind == "entry":
            source, _, fact_id = rest.partition(":")
            out.append((fact_id, int(source)))
    return out


async def test_t_opens_the_timeline_and_enter_opens_the_quote(app_env):  # noqa: F811
    app = make_app(*app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        view = app.query_one(TimelineView)
        reader = app.query_one(Reader)
        assert reader.location.kind == "timeline" and reader.location.name == ""
        assert app.focused is view and "reader" in visible_panes(app)
        assert "all companies" in str(app.query_one("#reader-header").content)
        entries = view.entries
        assert entries and [date_key(e.date) for e in entries if e.type == "happened"] == sorted(
            date_key(e.date) for e in entries if e.type == "happened")
        targets_at = next(i for i in range(view.option_count)
                          if str(view.get_option_at_index(i).prompt).startswith("Targets"))
        before = sum(1 for i in range(targets_at) if (view.get_option_at_index(i).id or "").startswith("entry:"))
        assert before == sum(e.type == "happened" for e in entries) and len(_entries(view)) == len(entries)
        # Down to the third entry, then Enter: its quote, highlighted in its source.
        for _ in range(2):
            await pilot.press("j")
        fact_id, source = view.selected()
        await pilot.press("enter")
        await settle(app, pilot)
        loc = reader.location
        assert (loc.kind, loc.fact_id, loc.source) == ("article", fact_id, source)
        fact = app.kb.facts.get(fact_id)
        view_text = app.query_one(SourceView)
        start, end = view_text.quotes[0]
        assert normalize(view_text.text[start:end]) == normalize(fact.sources[source].quote)
        # Back: the timeline, at the same entry.
        await pilot.press("backspace")
        await settle(app, pilot)
        assert reader.location.kind == "timeline" and view.selected() == (fact_id, source)
        # o does the same as Enter.
        await pilot.press("o")
        await settle(app, pilot)
        assert reader.location.fact_id == fact_id


async def test_timeline_is_narrowed_by_the_selected_company(app_env):  # noqa: F811
    app = make_app(*app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("1")
        await type_text(pilot, "ampere")
        options = app.query_one(CompanyOptions)
        await _until(pilot, lambda: options.option_count and options.get_option_at_index(0).id == "ampere")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.main.company == "ampere"
        await pilot.press("t")
        await settle(app, pilot)
        view = app.query_one(TimelineView)
        base = app.kb.facts
        from facts.timeline import involves

        narrowed = {fact_id for fact_id, _ in _entries(view)}
        assert narrowed and all(involves(base, base.get(f), "ampere") for f in narrowed)
        assert "Timeline · Ampere" in str(app.query_one("#reader-header").content)
        assert view.company == "ampere"
        await pilot.press("x")  # all companies again: the open timeline follows
        await settle(app, pilot)
        assert app.main.company is None and view.company is None
        assert len(_entries(view)) > len(narrowed)


async def test_timeline_is_in_the_palette_and_help(app_env):  # noqa: F811
    app = make_app(*app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert any(item.action == "timeline" for item in app.palette_actions())
        groups = dict(app.binding_groups())
        assert any(b.action == "timeline" for b in groups["Everywhere"])
        await pilot.press("ctrl+p")
        await type_text(pilot, "timeline")
        from textual.command import CommandList

        await _until(pilot, lambda: app.screen.query(CommandList) and app.screen.query_one(CommandList).option_count)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.query_one(Reader).location.kind == "timeline"


async def test_profile_shows_current_state_then_history(app_env):  # noqa: F811
    app = make_app(*app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.main.open_entity("ampere")
        await settle(app, pilot)
        profile = app.query_one(ProfileView)
        prompts = [str(profile.get_option_at_index(i).prompt) if not hasattr(
            profile.get_option_at_index(i).prompt, "renderables") else "" for i in range(profile.option_count)]
        ids = [profile.get_option_at_index(i).id for i in range(profile.option_count)]
        assert any(p.startswith("~ marks an estimated date") for p in prompts)
        plans = next(i for i, p in enumerate(prompts) if p.strip().startswith("Plans ("))
        current = next(i for i in range(plans, len(prompts)) if prompts[i] == "  Current:")
        history = next(i for i in range(plans, len(prompts)) if prompts[i].startswith("  History (1)"))
        assert current < history
        assert ids[history + 1] == "fact:plan-ampere-stock-market-listing"
        assert "fact:plan-ampere-stock-market-listing" not in ids[current:history]
        # the events are in date order, estimated dates by their value
        base = app.kb.facts
        events = [base.get(i.partition(":")[2]) for i in ids if i and i.startswith("fact:")
                  and base.get(i.partition(":")[2]).kind == "event"]
        from facts.profile import when

        assert [date_key(when(e)) for e in events] == sorted(date_key(when(e)) for e in events)
