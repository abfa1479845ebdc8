"""What each entry point imports, seen from a fresh interpreter: the one-shot commands never load Textual."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from .conftest import ROOT

_IMPORT_LINE = re.compile(r"^import time:\s*\d+ \|\s*\d+ \|(?P<indent>\s*)(?P<name>\S+)\s*$")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    cache = tmp_path_factory.mktemp("imports-cache")
    out = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out.update(PYTHONPATH=str(ROOT), ALLIANCE_CACHE_DIR=str(cache))
    # index the bundled corpus once, so the commands below only open it
    proc = subprocess.run([sys.executable, "-m", "tui", "index"], env=out, cwd=cache,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return out


def modules_after(env, code: str) -> set[str]:
    """The modules loaded by a fresh interpreter after running `code`."""
    script = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))\n"
    proc = subprocess.run([sys.executable, "-c", script], env=env, cwd=env["ALLIANCE_CACHE_DIR"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def imported_by_command(env, *args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run `python -X importtime -m tui ARGS` and list every module it imported."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "tui", *args], env=env,
                          cwd=env["ALLIANCE_CACHE_DIR"], capture_output=True, text=True, timeout=60)
    names = {m.group("name") for m in map(_IMPORT_LINE.match, proc.stderr.splitlines()) if m}
    assert "tui.cli" in names, proc.stderr[-2000:]  # the import log was read
    return proc, names


def tops(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


def test_the_library_modules_leave_textual_out(env):
    loaded = modules_after(env, "import facts.base, search.kb, search.engine, tui.cli, tui.printing")
    assert {"facts.base", "search.kb", "tui.cli", "whoosh"} <= loaded  # the probe works
    assert "textual" not in tops(loaded)
    assert "tui.app" not in loaded


def test_importing_the_package_is_cheap(env):
    loaded = tops(modules_after(env, "import tui"))
    assert "tui" in loaded
    assert not loaded & {"whoosh", "rich", "textual", "yaml", "facts", "search"}, loaded


def test_parsing_arguments_imports_nothing_heavy(env):
    for args in (["--version"], ["--help"], ["search", "--help"]):
        proc, names = imported_by_command(env, *args)
        assert proc.returncode == 0
        assert not tops(names) & {"whoosh", "rich", "textual", "yaml", "facts", "search"}, (args, tops(names))


@pytest.mark.parametrize("args", [["search", "x"], ["search", "--json", "renault"], ["show", "nissan"],
                                  ["index"], ["check"]], ids=["search", "search-json", "show", "index", "check"])
def test_the_one_shot_commands_never_import_textual(env, args):
    proc, names = imported_by_command(env, *args)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "textual" not in tops(names), sorted(n for n in names if n.startswith("textual"))
    assert "tui.app" not in names
    assert not [line for line in proc.stderr.splitlines() if "textual" in line]


@pytest.mark.parametrize("args", [["search", "x"], ["articles"], ["read", "001"], ["add", "--help"]],
                         ids=["search", "articles", "read", "add-help"])
def test_only_adding_a_page_imports_trafilatura(env, args):
    proc, names = imported_by_command(env, *args)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert not tops(names) & {"trafilatura", "lxml", "justext", "htmldate", "textual"}, sorted(tops(names))


def test_adding_a_page_imports_trafilatura(env, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Alliance news</title></head><body><article><p>"
                    + "Renault and Nissan said they would keep working together on new cars. " * 8
                    + "</p></article></body></html>")
    proc, names = imported_by_command({**env, "ALLIANCE_LIBRARY_DIR": str(tmp_path / "lib")}, "add", str(page))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "trafilatura" in tops(names) and "textual" not in tops(names)


# What a start that finds the index current does not need: reading articles and fact files
# (YAML, boilerplate, metadata, quotes, names), building (sub-writers), and asyncio.
NOT_FOR_A_CURRENT_INDEX = {"facts.loader", "facts.mentions", "facts.metadata", "facts.boilerplate",
                           "facts.yamlfile", "search.parallel", "whoosh.multiproc", "asyncio"}


@pytest.mark.parametrize("args", [["search", "x"], ["search", "--json", "renault"]], ids=["search", "search-json"])
def test_a_search_on_a_current_index_imports_only_what_it_uses(env, args):
    proc, names = imported_by_command(env, *args)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert {"search.engine", "search.kb", "facts.corpus"} <= names  # the probe works
    assert not names & NOT_FOR_A_CURRENT_INDEX, sorted(names & NOT_FOR_A_CURRENT_INDEX)
    assert "yaml" not in tops(names)


def test_reading_an_article_imports_what_it_needs(env):
    loaded = modules_after(env, "from facts.corpus import Corpus\nc = Corpus.open(None)\nc.article(c.article_files()[0][0].name)")
    assert {"facts.boilerplate", "facts.metadata", "yaml"} <= loaded


def test_whoosh_gets_cached_property_without_asyncio(env):
    code = ("import functools, sys, search, whoosh.reading\n"
            "assert whoosh.reading.cached_property is functools.cached_property\n"
            "assert 'asyncio' not in sys.modules\n"
            "from cached_property import threaded_cached_property\n"  # any other name: the real package
            "assert 'asyncio' in sys.modules and threaded_cached_property.__module__ == 'cached_property'\n")
    assert "whoosh.reading" in modules_after(env, code)


@pytest.mark.parametrize(("setting", "fps"), [(None, 120), ("30", 30)])
def test_the_app_draws_at_120_frames_unless_the_user_says(env, setting, fps):
    """A key's echo waits for the next frame: 120 a second halves that wait; TEXTUAL_FPS stays the user's."""
    run_env = {k: v for k, v in env.items() if k != "TEXTUAL_FPS"}
    if setting is not None:
        run_env["TEXTUAL_FPS"] = setting
    proc = subprocess.run([sys.executable, "-c", "import tui.app\nfrom textual import constants\nprint(constants.MAX_FPS)"],
                          env=run_env, cwd=env["ALLIANCE_CACHE_DIR"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.strip().splitlines()[-1]) == fps
