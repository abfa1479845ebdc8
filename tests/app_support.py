"""Helpers for driving the real app with Pilot."""

from __future__ import annotations

import time

from facts.corpus import Corpus
from tui.app import AllianceApp


def make_app(corpus_dir, index_dir, theme: str | None = None) -> AllianceApp:
    return AllianceApp(Corpus.open(corpus_dir), index_dir, theme=theme)


async def settle(app: AllianceApp, pilot, timeout: float = 20.0) -> None:
    """Wait until the knowledge base is open and no background job is pending."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause()
        if app.kb is not None and app.service.idle() and app.searches.idle() and not _filling(app):
            # Let posted messages, call_after_refresh callbacks and layout run their course
            # (a slow machine needs real time for them, not just a turn of the loop).
            await pilot.pause(0.05)
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
            if app.service.idle() and app.searches.idle() and not _filling(app):
                return
    raise AssertionError("the app did not settle in time")


def _filling(app: AllianceApp) -> bool:
    """The results pane has options still to add (they come a refresh after the first ones)."""
    from tui.widgets.search_results import SearchResults

    return bool(app.screen_stack) and any(r.filling for r in app.screen_stack[0].query(SearchResults))


async def wait_for(pilot, condition, timeout: float = 20.0, what: str = "") -> None:
    """Let the app run until `condition()` holds (a busy machine may need seconds, not ticks)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.01)


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


def visible_panes(app: AllianceApp) -> set[str]:
    return {pane.id.removeprefix("pane-") for pane in app.query(".pane") if pane.display and pane.region.area}


def screen_strips(app: AllianceApp) -> list:
    """What the active screen would send to the terminal, line by line (Textual `Strip`s)."""
    return app.screen._compositor.render_strips()


def screen_text(app: AllianceApp) -> str:
    """The characters on the active screen, one line per row."""
    return "\n".join(strip.text for strip in screen_strips(app))


def enabled_actions(app: AllianceApp) -> set[str]:
    """The actions whose keys are offered now (what the footer and the key handler see)."""
    return {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}
