"""Hostile input never wins.

A corpus whose titles, names, aliases, notes, quotes and file names carry Rich/Textual
markup, terminal escape sequences (clear screen, set title, OSC 52 clipboard), C1 controls
and bytes that are not UTF-8, run through the command (on a terminal, piped, as JSON)
and the app (every pane, the palette, help, toasts, the source and a profile).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from facts.text import safe_for_terminal

from .app_support import make_app, screen_strips, screen_text, settle, type_text
from .conftest import copy_corpus
from .test_cli import base_env, terminal_bytes

TITLE = "Renault news [/x] headline [VIDEO] [bold red]Evil[/] [@click=app.quit]q[/]"
EVIL_ARTICLE = "101_name_\x1b]52;c;SGVsbG8=\x07\x1b[2J_\x9b31m.txt"
BAD_BYTES = b"102_bad_\x9b.txt"  # not UTF-8: `ls` shows it as 102_bad_M-^[.txt
BAD_FACTS = "zz_\x1b]0;PWNED\x07bad\x9b.yaml"
EVIL_CO = "[bold red]Evil[/] Co [@click=app.quit]q[/]"
EVIL_DEAL = "[bold red]Evil[/] partnership [@click=app.quit]q[/]"
BROKEN = "Broken [/nope] talks"
VIDEO = "[VIDEO] Renault and Nissan [Updated] talks"
CAR = "Zork [b]Z[/b]"

ARTICLE_TEXT = f"""{TITLE}

March 3, 2025

{BROKEN} went on in Paris.\x1b]0;PWNED\x07 The {VIDEO} resumed.\x1b[2J
Analysts said {EVIL_DEAL} was a joke headline.
The {CAR} car was shown.
"""


def _yaml_name(name: str) -> str:
    """`name` as a YAML double-quoted scalar, escapes and all."""
    return name.replace("\x1b", "\\e").replace("\x07", "\\a").replace("\x9b", "\\x9b")


def hostile_facts(article: str) -> str:
    cite = f'      - article: "{_yaml_name(article)}"\n        quote: '
    return f"""
companies:
  - id: evil-co
    name: "{EVIL_CO}"
    aliases: ["[VIDEO] Evil", "Broken [/nope] co"]
    type: automaker
    note: "note \\e]52;c;SGVsbG8=\\a\\e[2J [/x] here"
    sources:
{cite}"{EVIL_DEAL}"
partnerships:
  - id: broken-talks
    name: "{BROKEN}"
    type: talks
    parties: [renault-group, nissan]
    status: in-talks
    covers: "{BROKEN} [VIDEO]"
    sources:
{cite}"{BROKEN} went on"
  - id: evil-partnership
    name: "{EVIL_DEAL}"
    type: partnership
    parties: [renault-group, evil-co]
    status: active
    covers: "[bold red]Evil[/] deal [@click=app.quit]q[/]"
    sources:
{cite}"{EVIL_DEAL}"
  - id: video-talks
    name: "{VIDEO}"
    type: talks
    parties: [renault-group, nissan]
    status: in-talks
    covers: "[VIDEO] talks"
    sources:
{cite}"{VIDEO} resumed"
vehicles:
  - id: zork
    name: "{CAR}"
    maker: evil-co
    status: concept
    sources:
{cite}"The {CAR} car"
"""


BAD_FACT_FILE = """
events:
  - id: bad-event
    subject: nissan
    summary: a quote that is not in the article
    sources:
      - article: 000_70c07016745e2cd6.txt
        quote: "this quote is not there"
"""


def hostile_corpus(dest: Path) -> Path:
    copy_corpus(dest)
    (dest / "seeds" / EVIL_ARTICLE).write_text(ARTICLE_TEXT, encoding="utf-8")
    try:
        (dest / "seeds" / os.fsdecode(BAD_BYTES)).write_text("A title\n\nSome text about Renault.\n")
    except (OSError, UnicodeError):  # a file system that only takes UTF-8 names
        pytest.skip("this file system refuses names that are not UTF-8")
    (dest / "facts" / "zz_hostile.yaml").write_text(hostile_facts(EVIL_ARTICLE), encoding="utf-8")
    (dest / "facts" / BAD_FACTS).write_text(BAD_FACT_FILE, encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile corpus and its index (whose build must not fail on the bad name)."""
    from search.kb import KnowledgeBase

    base = tmp_path_factory.mktemp("hostile")
    corpus = hostile_corpus(base / "corpus")
    kb = KnowledgeBase.open(corpus, base / "index")
    report = kb.ensure()
    kb.close()
    return corpus, base / "index", report


# -- what may reach a terminal ----------------------------------------------------------------------

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# What Rich itself writes on a terminal: colours and styles, and a progress bar's cursor moves.
RICH_OWN = re.compile(r"\x1b\[[0-9;]*m|\x1b\[\?25[hl]|\x1b\[2K|\x1b\[[0-9]*[ABCDG]|\r")


def assert_terminal_safe(data: bytes, tty: bool = False) -> str:
    """Decode `data` strictly (valid UTF-8, no stray byte) and find no control but ours."""
    text = data.decode("utf-8")
    assert "\x1b]" not in text and "\x1b[2J" not in text and "\x07" not in text, text[-500:]
    rest = RICH_OWN.sub("", text) if tty else text
    found = UNSAFE.findall(rest)
    assert not found, (found[:5], text[-500:])
    return rest


# -- the index: one bad name costs one file ------------------------------------------------------------

def test_a_file_name_that_is_not_utf8_costs_only_that_file(hostile):
    from search.kb import KnowledgeBase

    corpus, index, report = hostile
    shown = "seeds/102_bad_\\x9b.txt"
    bad = [p for p in report.problems if "not valid UTF-8" in p.message]
    assert [p.file for p in bad] == [shown] and bad[0].severity == "error"
    kb = KnowledgeBase.open(corpus, index)
    try:
        again = kb.ensure()
        assert again.action == "none"  # the manifest holds every name: nothing to redo
        hits = kb.search("Ampere").hits
        assert hits and all(UNSAFE.search(h.id) is None or h.id == EVIL_ARTICLE for h in hits)
        assert EVIL_ARTICLE in {h.id for h in kb.search("joke headline").hits}
        assert all("102_bad" not in h.id for h in kb.search("Some text about Renault").hits)
    finally:
        kb.close()


# -- the command -----------------------------------------------------------------------------------

CLI_RUNS = [
    ("search", "talks"),
    ("search", "zzqq\x1b]0;PWNED\x07"),
    ("search", "talks", "--json"),
    ("search", os.fsdecode(b"ren\xe9ault"), "--json"),
    ("show", "Evil Co"),
    ("show", "zzqq\x1b]0;PWNED\x07"),
    ("check",),
    ("check", "--coverage"),
    ("index",),
    ("show", "x", "--zz\x1b]0;PWNED\x07"),
]


@pytest.fixture(scope="module")
def hostile_cli(hostile, tmp_path_factory):
    corpus, index, _ = hostile
    cache = tmp_path_factory.mktemp("hostile-cache")

    def args(run: tuple[str, ...]) -> list[str]:
        return [*run, "--corpus", str(corpus), "--index-dir", str(index)]

    return args, base_env(cache), cache


@pytest.mark.parametrize("run", CLI_RUNS, ids=lambda r: " ".join(r).encode("ascii", "backslashreplace").decode())
def test_piped_output_is_terminal_safe(hostile_cli, run):
    args, env, cwd = hostile_cli
    proc = subprocess.run([sys.executable, "-m", "tui", *args(run)], env=env, cwd=cwd, capture_output=True,
                          timeout=120)
    out, err = assert_terminal_safe(proc.stdout), assert_terminal_safe(proc.stderr)
    assert "Traceback" not in out + err, err
    if run[0] == "show" and run[1] == "x":
        assert proc.returncode == 2 and "--zz\\x1b]0;PWNED\\x07" in err
        return
    assert proc.returncode in (0, 1, 2) and "internal error" not in err, err
    if "--json" in run:
        data = json.loads(proc.stdout)
        if run[1] == "talks":
            articles = {s["article"] for r in data["results"] for s in r["sources"]}
            assert EVIL_ARTICLE in articles  # escaped in the JSON, exact once parsed
            assert "\\u009b" in out and "\\u001b" in out
            assert any(ord(c) > 127 for c in out)  # ordinary non-ASCII text is written as it is
        else:
            assert data["query"] == os.fsdecode(b"ren\xe9ault") and "\\udce9" in out
        return
    if run[:2] == ("search", "talks"):
        assert BROKEN in out and VIDEO in out and TITLE in out
        assert safe_for_terminal(EVIL_ARTICLE) in out
        assert "(first: seeds/102_bad_\\x9b.txt: not read: the file name is not valid UTF-8" in err
    elif run[0] == "search":
        assert "Nothing matches “zzqq\\x1b]0;PWNED\\x07”" in out
    elif run == ("show", "Evil Co"):
        assert EVIL_CO in out and CAR in out and EVIL_DEAL in out and "[VIDEO] Evil" in out
    elif run[0] == "show":
        assert "Nothing is called “zzqq\\x1b]0;PWNED\\x07”" in out
    elif run[0] == "check":
        assert "seeds/102_bad_\\x9b.txt: not read: the file name is not valid UTF-8" in out
        assert "facts/zz_\\x1b]0;PWNED\\x07bad\\u009b.yaml:" in out
        if "--coverage" in run:
            assert f"not cited: {safe_for_terminal(EVIL_ARTICLE)}: " in out


@pytest.mark.parametrize("run", [r for r in CLI_RUNS if "--json" not in r],
                         ids=lambda r: " ".join(r).encode("ascii", "backslashreplace").decode())
def test_terminal_output_is_terminal_safe(hostile_cli, run):
    args, env, cwd = hostile_cli
    status, output = terminal_bytes(args(run), env, cwd, timeout=120)
    text = assert_terminal_safe(output, tty=True)
    assert "Traceback" not in text and status in (0, 1, 2), text[-800:]
    if run[:2] == ("search", "talks"):
        assert safe_for_terminal(EVIL_ARTICLE) in text and BROKEN in text
        assert re.search(r"\x1b\[[0-9;]+m", output.decode())  # a terminal: styled by Rich


def test_an_error_quoting_a_hostile_path_is_safe(hostile_cli, tmp_path):
    """Error messages quote what they were given: they are made safe like everything else."""
    _args, env, cwd = hostile_cli
    missing = tmp_path / "no-corpus\x1b[2J\x1b]0;PWNED\x07"
    proc = subprocess.run([sys.executable, "-m", "tui", "check", "--corpus", str(missing)],
                          env=env, cwd=cwd, capture_output=True, timeout=120)
    assert_terminal_safe(proc.stdout), assert_terminal_safe(proc.stderr)
    assert proc.returncode == 2 and "no-corpus\\x1b[2J\\x1b]0;PWNED\\x07: no such folder" in proc.stderr.decode()


# -- the app ------------------------------------------------------------------------------------------

def assert_screen_safe(app) -> str:
    """Nothing on the active screen could act on the terminal or was parsed as markup."""
    for strip in screen_strips(app):
        for segment in strip:
            assert not UNSAFE.search(segment.text), repr(segment.text)
            meta = segment.style.meta if segment.style else {}
            assert "app.quit" not in str(meta.get("@click", "")), (segment.text, meta)
    return screen_text(app)


async def wait_for_screen(app, pilot, *needles: str, timeout: float = 20.0) -> str:
    """Wait until every needle is on screen (the palette fills in as its search runs)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        text = assert_screen_safe(app)
        if all(n in text for n in needles) or time.monotonic() > deadline:
            missing = [n for n in needles if n not in text]
            assert not missing, (missing, text)
            return text


async def wait_for_palette(app, pilot, *needles: str, timeout: float = 20.0) -> None:
    """Wait until the palette lists every needle in a hit (prompt or help), as plain text."""
    import time

    from textual.command import CommandList

    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        prompts = [str(o.prompt) for o in app.screen.query_one(CommandList).options]
        if all(any(n in p for p in prompts) for n in needles) or time.monotonic() > deadline:
            assert all(any(n in p for p in prompts) for n in needles), (needles, prompts[:20])
            assert_screen_safe(app)
            return


async def test_every_pane_shows_hostile_names_literally(hostile):
    from tui.widgets.search_bar import SearchBar

    app = make_app(*hostile[:2])
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        assert_screen_safe(app)  # the problem toast names the bad files
        assert any("\\x1b]0;PWNED" in n.message or "102_bad_\\x9b" in n.message for n in app._notifications)
        # Narrowed to the hostile company: list, tree, table, profile and the panes' titles.
        await pilot.press("1")
        await type_text(pilot, "evil")
        await wait_for_screen(app, pilot, EVIL_CO)
        await pilot.press("enter")
        await settle(app, pilot)
        for key, needles in [("2", ("Lineup · " + EVIL_CO[:20], CAR)), ("3", ("[bold red]Evil[/]", EVIL_DEAL)),
                             ("5", ("Also called: [VIDEO] Evil",))]:
            await pilot.press(key)
            await settle(app, pilot)
            await wait_for_screen(app, pilot, *needles)
        # Search results: titles, quotes and the file name with its escapes made visible.
        await pilot.press("x")
        app.query_one(SearchBar).value = "talks"
        await settle(app, pilot)
        await pilot.press("4")
        await wait_for_screen(app, pilot, BROKEN, safe_for_terminal(EVIL_ARTICLE)[:24])
        await pilot.press("f1")
        await pilot.pause()
        assert_screen_safe(app)
        await pilot.press("escape")
        assert app.is_running


async def test_the_source_shows_a_hostile_article_literally(hostile):
    from tui.widgets.source_view import SourceView

    app = make_app(*hostile[:2])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.main.open_article(EVIL_ARTICLE)
        await settle(app, pilot)
        await pilot.press("5")
        text = await wait_for_screen(app, pilot, "[/x] headline [VIDEO]", "101_name_\\x1b]52;c;SGVsbG8=")
        assert "\\x07\\x1b[2J_\\u009b31m.txt" in text.replace("\n", "")
        view = app.query_one(SourceView)
        assert "\x1b" not in view.text and "[@click=app.quit]q[/]" in view.text
        await pilot.press("r")  # the raw text
        await settle(app, pilot)
        assert_screen_safe(app)


async def test_the_copy_toast_and_a_fake_link_are_only_text(hostile):
    from textual.widgets._toast import Toast

    app = make_app(*hostile[:2])
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        app.main.open_entity("evil-partnership")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert "[@click=app.quit]q[/]" in app.clipboard
        assert any(EVIL_DEAL[:30] in n.message for n in app._notifications)
        toasts = [str(t.render()) for t in app.screen.query(Toast)]
        assert any(f"Copied to the clipboard: {EVIL_DEAL}" in t for t in toasts), toasts
        text = await wait_for_screen(app, pilot, "Copied to the")
        # The fake link, clicked where it is drawn, is only text.
        for y, line in enumerate(text.splitlines()):
            x = line.find("[@click=app.quit]q[/]")
            if x >= 0:
                await pilot.click(offset=(x + len("[@click=app.quit]"), y))
                await pilot.pause()
                assert app.is_running
                break
        else:
            pytest.fail("the fake link is not on screen")


async def test_the_palette_shows_hostile_titles_literally(hostile):
    app = make_app(*hostile[:2])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")  # discovery: every entry and article title at once
        await wait_for_palette(app, pilot, f"Article: {TITLE}", f"Partnership: {EVIL_DEAL}")
        await type_text(pilot, "nope")
        await wait_for_palette(app, pilot, f"Partnership: {BROKEN}")
        await wait_for_screen(app, pilot, BROKEN)
        for _ in range(4):
            await pilot.press("backspace")
        await type_text(pilot, "video")
        await wait_for_palette(app, pilot, f"Partnership: {VIDEO}", "[VIDEO] Evil")  # an alias, in the help
        await wait_for_screen(app, pilot, "[VIDEO]")
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


def test_a_bad_name_added_later_is_reported_and_forgotten(kb, corpus_dir):
    """An update finds a name that is not UTF-8 added after the build, and its removal."""
    bad = corpus_dir / "seeds" / os.fsdecode(b"103_late_\xff.txt")
    try:
        bad.write_text("A title\n\nSome text.\n")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    report = kb.ensure()
    assert report.action != "build"
    assert [p.file for p in report.problems if "not valid UTF-8" in p.message] == ["seeds/103_late_\\xff.txt"]
    assert kb.ensure().action == "none" and kb.search("Ampere").hits
    bad.unlink()
    report = kb.ensure()
    assert not [p for p in report.problems if "not valid UTF-8" in p.message]


async def test_pasted_escape_sequences_never_reach_the_boxes(hostile):
    from textual.events import Paste

    from tui.widgets.search_bar import SearchBar

    app = make_app(*hostile[:2])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        boxes = [app.query_one(SearchBar), app.query_one("#company-filter")]
        for box in boxes:
            box.focus()
            box.post_message(Paste("Broken \x1b[2J\x1b]52;c;SGVsbG8=\x07[/nope]\x9b31m talks\nsecond line"))
        await settle(app, pilot)
        for box in boxes:
            assert box.value == "Broken [/nope] talks", box.value
        await wait_for_screen(app, pilot, "Broken [/nope] talks")


REPEATS = ("Renault, Nissan and the three-member alliance: where the electric, software-defined vehicle "
           "meets the new Ampere entity, explained here")  # 25 e's: Textual's matcher tried every way to place 14


async def test_a_palette_query_that_repeats_a_letter_answers_at_once(tmp_path):
    corpus = copy_corpus(tmp_path / "corpus")
    (corpus / "seeds" / "200_repeats.txt").write_text(f"{REPEATS}\n\nSome text about the alliance.\n", encoding="utf-8")
    app = make_app(corpus, tmp_path / "index")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "e" * 14)
        await wait_for_palette(app, pilot, f"Article: {REPEATS[:40]}")
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
