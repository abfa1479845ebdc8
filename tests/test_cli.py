"""The `alliance` command, run for real in a subprocess (as `python -m tui`), from a folder outside the repo."""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui import __version__

from .conftest import ROOT, copy_corpus, write

AMPR = "001_eeb87b223eca0c5a.txt"
SGR = re.compile(r"\x1b\[([0-9;]*)m")
RESULT_LINE = re.compile(r"^\s*(\d+)\. \[([\w-]+)\] ", re.MULTILINE)


def base_env(cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    env["ALLIANCE_CACHE_DIR"] = str(cache)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    """Runs the command with its own cache (the bundled corpus indexed once) in a folder of its own."""
    cache = tmp_path_factory.mktemp("cli-cache")
    cwd = tmp_path_factory.mktemp("cli-cwd")

    def run(*args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, "-m", "tui", *args], cwd=cwd, env=base_env(cache, **env),
                              capture_output=True, text=True, encoding="utf-8", timeout=timeout)
        # stdout and stderr are pipes here: never any colour or other escape sequence
        assert "\x1b" not in proc.stdout and "\x1b" not in proc.stderr, (args, proc.stdout[:300], proc.stderr)
        return proc

    run.cache, run.cwd = cache, cwd
    first = run("index")
    assert first.returncode == 0, first.stderr
    return run


def no_traceback(proc: subprocess.CompletedProcess) -> None:
    for stream in (proc.stdout, proc.stderr):
        assert "Traceback" not in stream and "Error:" not in stream.replace("error:", ""), stream


def colour_codes(text: str) -> list[int]:
    """The colour parameters (foreground or background) of the SGR sequences in `text`."""
    codes = []
    for match in SGR.finditer(text):
        params = [int(p) for p in match.group(1).split(";") if p]
        codes += [p for p in params if 30 <= p <= 38 or 40 <= p <= 48 or 90 <= p <= 97 or 100 <= p <= 107]
    return codes


def run_in_terminal(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 60) -> tuple[int, str]:
    """Run the command with a pseudo-terminal as its stdin, stdout and stderr; returns (status, output)."""
    status, output = terminal_bytes(args, env, cwd, timeout)
    return status, output.decode("utf-8", "replace")


def terminal_bytes(args: list[str | bytes], env: dict[str, str], cwd: Path, timeout: float = 60) -> tuple[int, bytes]:
    """`run_in_terminal`, giving the bytes the terminal received."""
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "tui", *args], stdin=slave, stdout=slave, stderr=slave,
                            cwd=cwd, env=env, start_new_session=True)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no end of output within {timeout} s: {b''.join(chunks)[-500:]!r}")
            ready, _, _ = select.select([master], [], [], min(remaining, 1.0))
            if not ready:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every writer closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode, b"".join(chunks)


# -- help and version -------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "expected"), [
    (["--help"], ["search", "show", "index", "check", "--corpus", "--index-dir", "--version",
                  "ALLIANCE_CACHE_DIR", "NO_COLOR", "kind:partnership"]),
    (["search", "--help"], ["--kind", "--company", "--limit", "--json", "--corpus", "--index-dir", "query"]),
    (["show", "--help"], ["name", "--corpus", "typos"]),
    (["index", "--help"], ["--rebuild", "--corpus"]),
    (["check", "--help"], ["--coverage", "--corpus"]),
])
def test_help(cli, args, expected):
    proc = cli(*args)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: alliance")
    for word in expected:
        assert word in proc.stdout, word
    assert proc.stderr == ""


def test_version(cli):
    proc = cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"alliance {__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", __version__)


def test_usage_errors_exit_2(cli):
    for args, message in [
        (["search", "--limit", "0", "x"], "must be at least 1"),
        (["search", "--limit", "many", "x"], "not a number"),
        (["search"], "required"),
        (["show"], "required"),
        (["frobnicate"], "invalid choice"),
        (["search", "--bogus", "x"], "unrecognized arguments: --bogus (to search for it, put it after '--'"),
        (["search", "x", "--limt=3"], "unrecognized arguments: --limt=3"),
        (["search", "x", "--limit"], "expected one argument"),
    ]:
        proc = cli(*args)
        assert proc.returncode == 2, (args, proc.returncode)
        assert "usage: alliance" in proc.stderr and message in proc.stderr, (args, proc.stderr)
        assert proc.stdout == ""
        no_traceback(proc)


def test_query_words_may_start_with_a_dash(cli):
    def searched(*args: str) -> dict:
        proc = cli("search", "--json", *args)
        assert proc.returncode in (0, 1) and proc.stderr == "", (args, proc.stderr)
        return json.loads(proc.stdout)

    everything = searched("nissan")
    without = searched("nissan", "-geely")  # the README's NOT form, as the shell passes it
    assert without["query"] == "nissan -geely"
    assert 0 < without["total"] < everything["total"]
    assert not any("geely" in hit["text"].lower() for hit in without["results"])
    assert searched("-geely", "nissan")["total"] == without["total"]  # order kept, options anywhere
    narrowed = searched("nissan", "--limit", "2", "-geely", "--kind=company")
    assert narrowed["query"] == "nissan -geely" and 0 < len(narrowed["results"]) <= 2
    assert {hit["kind"] for hit in narrowed["results"]} == {"company"}
    assert searched("--?*")["query"] == "--?*"
    assert searched("--", "--json", "-x")["query"] == "--json -x"  # after --, even an option's name is a word
    proc = cli("show", "nissan", "--corpus", str(ROOT))
    assert proc.returncode == 0 and proc.stdout.startswith("Nissan")


# -- search ----------------------------------------------------------------------------------------

def test_search_names_the_platform_and_its_source(cli):
    proc = cli("search", "AmpR Small")
    assert proc.returncode == 0, proc.stderr
    no_traceback(proc)
    lines = proc.stdout.splitlines()
    assert re.match(r"\d+ results for “AmpR Small”", lines[0])
    first = RESULT_LINE.search(proc.stdout)
    assert first.group(1) == "1" and first.group(2) == "platform"
    assert lines[1].strip().startswith("1. [platform] AmpR Small")
    assert AMPR in proc.stdout
    assert "Auto Express" in proc.stdout  # the article's publisher, from the metadata sidecar
    assert len(RESULT_LINE.findall(proc.stdout)) == 10  # the default limit


def test_search_nothing_found_exits_1(cli):
    proc = cli("search", "zzqqxx")
    assert proc.returncode == 1
    assert "Nothing matches “zzqqxx”" in proc.stdout
    no_traceback(proc)


@pytest.mark.parametrize(("query", "note"), [
    ('"unbalanced', "quote mark was not closed"),
    ("(", "'(' was not closed"),
    ("AND", "'AND' needs something on both sides"),
    ("kind:nonsense", "There is no kind 'nonsense'"),
])
def test_search_bad_queries_print_a_note(cli, query, note):
    proc = cli("search", query)
    assert proc.returncode == 1
    no_traceback(proc)
    assert "Note: " in proc.stdout and note in proc.stdout, proc.stdout


def test_search_very_long_query(cli):
    proc = cli("search", *(["renault", "nissan"] * 2000), timeout=60)
    assert proc.returncode == 0
    no_traceback(proc)
    assert "query is long" in proc.stdout


def test_search_corrects_a_typo(cli):
    proc = cli("search", "renualt", "--limit", "3")
    assert proc.returncode == 0
    assert "No results for “renualt”; showing results for “renault”." in proc.stdout
    assert "Renault Group" in proc.stdout.splitlines()[2]


def test_search_suggests_when_something_matched(cli):
    proc = cli("search", "nissan", "renualt", "--limit", "2")
    assert proc.returncode == 0
    assert "Did you mean: “nissan renault”?" in proc.stdout
    assert "Matching some of the words" in proc.stdout


def test_search_json(cli, shared_kb):
    proc = cli("search", "--json", "--limit", "5", "AmpR", "Small")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {"version", "query", "searched", "corrected_from", "did_you_mean", "messages", "total", "seconds",
            "results"} <= set(data)
    assert data["version"] == 1 and data["query"] == "AmpR Small"
    assert len(data["results"]) == 5 and data["total"] >= 5
    assert [r["id"] for r in data["results"]] == [h.id for h in shared_kb.search("AmpR Small", limit=5).hits]
    first = data["results"][0]
    assert first["type"] == "fact" and first["kind"] == "platform"
    for key in ("rank", "type", "kind", "id", "score", "all_words", "text", "highlights", "snippet",
                "snippet_highlights", "sources"):
        assert key in first
    source = first["sources"][0]
    assert source["article"] == AMPR and source["publisher"] == "Auto Express" and source["date"] == "2024-11"
    raw = shared_kb.article(AMPR).raw
    assert raw[source["quote_start"]:source["quote_end"]] == source["quote"]
    assert proc.stderr == ""  # no progress or notices mixed in


def test_search_json_when_nothing_matches_or_corrected(cli):
    proc = cli("search", "--json", "zzqqxx")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["results"] == [] and data["total"] == 0
    proc = cli("search", "--json", "--limit", "1", "Renualt")
    data = json.loads(proc.stdout)
    assert proc.returncode == 0 and data["corrected_from"] == "Renualt" and data["searched"] == "renault"
    proc = cli("search", "--json", '"unbalanced')
    data = json.loads(proc.stdout)
    assert any("quote mark" in m for m in data["messages"])


def test_search_kind_and_company_options(cli, shared_kb):
    proc = cli("search", "--kind", "partnership", "volkswagen")
    assert proc.returncode == 0
    kinds = [k for _, k in RESULT_LINE.findall(proc.stdout)]
    assert kinds and set(kinds) == {"partnership"}
    assert "Volkswagen" in proc.stdout

    proc = cli("search", "--json", "--company", "nissan", "--limit", "50", "ceo")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    expected = shared_kb.search("ceo", company="nissan", limit=50)
    assert [r["id"] for r in data["results"]] == [h.id for h in expected.hits]
    assert data["results"]
    for r in data["results"]:
        if r["type"] == "fact":
            assert "nissan" in shared_kb.facts.companies_of(shared_kb.facts.get(r["id"])), r["id"]
    proc = cli("search", "--company", "nobody", "ceo")
    assert "No company is called 'nobody'" in proc.stdout


# -- colour ----------------------------------------------------------------------------------------

def test_piped_output_is_plain(cli):
    """Every run through `cli` checks its piped output has no escape sequences; NO_COLOR changes nothing."""
    for args in (["search", "AmpR Small"], ["show", "nissan"]):
        plain = cli(*args)
        assert cli(*args, NO_COLOR="1").stdout == plain.stdout
        assert "“" in plain.stdout  # the typographic quotes are text, not markup


def test_a_terminal_gets_colour_unless_no_color(cli):
    env = base_env(cli.cache, TERM="xterm-256color")
    status, out = run_in_terminal(["search", "AmpR Small", "--limit", "3"], env, cli.cwd)
    assert status == 0, out
    assert "\x1b[" in out
    assert colour_codes(out), "a terminal gets colours"
    assert "AmpR" in out and "Traceback" not in out

    status, plain = run_in_terminal(["search", "AmpR Small", "--limit", "3"], {**env, "NO_COLOR": "1"}, cli.cwd)
    assert status == 0, plain
    assert "AmpR" in plain
    assert colour_codes(plain) == [], "NO_COLOR: no colours (bold and underline may stay)"

    status, shown = run_in_terminal(["show", "nissan"], env, cli.cwd)
    assert status == 0 and colour_codes(shown) and "Makoto Uchida" in shown


# -- show ------------------------------------------------------------------------------------------

def test_show_nissan(cli):
    proc = cli("show", "nissan")
    assert proc.returncode == 0, proc.stderr
    no_traceback(proc)
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Nissan") and "id nissan" in lines[0]
    ceo = next(i for i, line in enumerate(lines) if line.strip() == "- Makoto Uchida: CEO of Nissan (as of ~Nov 2024)")
    citation = lines[ceo + 1]
    assert f"[{AMPR}]" in citation
    assert re.search(r"Nov 2024", citation), citation
    assert "“Makoto Uchida, CEO of Nissan”" in citation
    assert any(line.startswith("People and roles (") for line in lines)


def test_show_lists_the_articles_that_name_the_entity(cli):
    lines = cli("show", "nissan").stdout.splitlines()
    head = lines.index("Mentioned in 4 articles")
    rows = lines[head + 1:]
    sentences = [line for line in rows if line.startswith("  - “")]
    sources = [line for line in rows if line.startswith("        — ")]
    assert len(sentences) == len(sources) == 4
    assert all("Nissan" in line for line in sentences)
    assert sources[0].endswith(f"[{AMPR}]") and "Nov 2024" in sources[0]  # the newest first
    assert sources[-1].endswith("[004_a208f5e158258118.txt]") and "8 Feb 2022" in sources[-1]
    assert "(19 times)" in "".join(sentences)


def test_show_by_alias_and_typo(cli):
    proc = cli("show", "diamond", "group")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[0].startswith("Renault Group")
    assert "the diamond group" in proc.stdout

    proc = cli("show", "nisan")
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert lines[0] == "Showing “Nissan” for “nisan”."
    assert lines[1].startswith("Nissan")

    proc = cli("show", "qwertyuiop")
    assert proc.returncode == 1
    assert "Nothing is called “qwertyuiop”." in proc.stdout
    no_traceback(proc)


# -- index and check -------------------------------------------------------------------------------

def test_index_builds_then_is_up_to_date(cli, tmp_path, shared_kb):
    counts = shared_kb.manifest["counts"]
    summary = (f"{counts['articles']} articles, {counts['facts']} facts ({counts['entities']} entities, "
               f"{counts['sources']} citations)")
    index_dir = tmp_path / "idx"
    proc = cli("index", "--index-dir", str(index_dir))
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"Built the index in [\d.]+ s \(no index yet\)", proc.stdout)
    assert summary in proc.stdout and str(index_dir) in proc.stdout
    proc = cli("index", "--index-dir", str(index_dir))
    assert proc.returncode == 0
    assert re.search(r"The index is up to date \(checked in \d+ ms\)", proc.stdout)
    assert summary in proc.stdout
    proc = cli("index", "--rebuild", "--index-dir", str(index_dir))
    assert proc.returncode == 0
    assert "(rebuild requested)" in proc.stdout and summary in proc.stdout
    assert len([p for p in index_dir.iterdir() if p.name.startswith("gen-")]) == 1
    proc = cli("search", "--index-dir", str(index_dir), "AmpR Small")
    assert proc.returncode == 0 and proc.stderr == ""


def test_index_lives_in_the_cache_and_not_in_the_cwd(cli):
    assert list(cli.cwd.iterdir()) == []
    indexes = list((cli.cache / "indexes").iterdir())
    assert indexes and all((p / "CURRENT").is_file() for p in indexes)


def test_check_the_bundled_corpus(cli):
    proc = cli("check")
    assert proc.returncode == 0, proc.stdout
    assert re.search(r"\d+ articles, \d+ facts \(\d+ entities\), \d+ citations: 0 errors, \d+ warnings?\.", proc.stdout)


def test_check_coverage(cli):
    proc = cli("check", "--coverage")
    assert proc.returncode == 0
    match = re.search(r"(\d+) of (\d+) sentences are cited by at least one fact\.", proc.stdout)
    assert match, proc.stdout
    cited, total = int(match.group(1)), int(match.group(2))
    assert 0 < cited <= total
    uncited = [line for line in proc.stdout.splitlines() if line.startswith("  not cited: ")]
    assert len(uncited) == total - cited
    assert all(re.match(r"  not cited: \d{3}_\w+\.txt: \S", line) for line in uncited)


@pytest.mark.parametrize(("content", "line", "message"), [
    ("companies:\n  - id: broken\n    name: Broken: Motors: x\n", 3, "YAML syntax error"),
    ("companies:\n  - id: broken\n    id: again\n", 3, "key 'id' appears twice"),
    ("companies:\n  - id: broken\n    name: Broken\n    type: automaker\n    parent: nobody-at-all\n"
     "    sources:\n      - article: 001_eeb87b223eca0c5a.txt\n        quote: \"Nissan\"\n", 5, "nobody-at-all"),
], ids=["syntax", "duplicate-key", "unknown-reference"])
def test_check_a_broken_facts_file(cli, tmp_path, content, line, message):
    corpus = copy_corpus(tmp_path / "corpus")
    write(corpus / "facts" / "zz_broken.yaml", content)
    proc = cli("check", "--corpus", str(corpus))
    assert proc.returncode == 2, proc.stdout
    no_traceback(proc)
    wanted = f"facts/zz_broken.yaml:{line}: "
    hits = [row for row in proc.stdout.splitlines() if row.startswith(wanted)]
    assert hits and message in hits[0], proc.stdout
    assert re.search(r": [1-9]\d* errors?, ", proc.stdout)


def test_search_on_a_corpus_with_problems_warns(cli, tmp_path):
    corpus = copy_corpus(tmp_path / "corpus")
    write(corpus / "facts" / "zz_broken.yaml", "companies:\n  - id: broken\n    name: [unclosed\n")
    proc = cli("search", "--corpus", str(corpus), "AmpR Small")
    assert proc.returncode == 0
    assert "AmpR Small" in proc.stdout
    assert "problem" in proc.stderr and "facts/zz_broken.yaml:" in proc.stderr and "alliance check" in proc.stderr


@pytest.mark.parametrize("args", [["search", "x"], ["show", "nissan"], ["index"], ["check"], []],
                         ids=["search", "show", "index", "check", "app"])
def test_not_a_corpus(cli, tmp_path, args):
    proc = cli("--corpus", "/nonexistent/corpus", *args, timeout=30)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "alliance: /nonexistent/corpus: no such folder"
    assert proc.stdout == ""
    no_traceback(proc)
    assert not Path("/nonexistent/corpus").exists()


def test_not_a_corpus_folder(cli, tmp_path):
    args = ["search", "x"]
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = cli("--corpus", str(empty), *args, timeout=30)
    assert proc.returncode == 2
    assert "not a corpus" in proc.stderr and str(empty) in proc.stderr
    no_traceback(proc)
    a_file = write(tmp_path / "file.txt", "x")
    proc = cli("--corpus", str(a_file), *args, timeout=30)
    assert proc.returncode == 2 and "not a folder" in proc.stderr


def test_corpus_option_after_the_command(cli, tmp_path):
    proc = cli("search", "--corpus", "/nonexistent/corpus", "x")
    assert proc.returncode == 2 and "no such folder" in proc.stderr


# -- untrusted text ------------------------------------------------------------------------------

EVIL = ("Platypus \x1b[31mred\x1b[0m headline [bold red]x[/]\n\nMarch 3, 2025\n\n"
        "The platypus report: [bold red]x[/] [@click=app.quit] and \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ "
        "plus \x1b[2J a clear, a \x07 bell, \x1b[?1049h an alternate screen and \x9b31m an 8-bit CSI.\n")


@pytest.fixture
def evil_corpus(tmp_path):
    corpus = copy_corpus(tmp_path / "corpus")
    write(corpus / "seeds" / "200_evil.txt", EVIL.encode("utf-8"))
    # YAML escapes can put control characters in facts and metadata too
    with open(corpus / "seeds" / "metadata.yaml", "a", encoding="utf-8") as f:
        f.write('\n200_evil.txt:\n  publisher: "Evil \\e[5mPress\\a"\n')
    platforms = corpus / "facts" / "platforms.yaml"
    text = platforms.read_text(encoding="utf-8")
    write(platforms, text.replace("description: Architecture that underpins the Renault 5, expected to be used "
                                  "for the new Twingo and, in a revised version, for Nissan's A-segment city car.",
                                  'description: "Archi\\e[2Jtecture\\e]0;pwned\\a that underpins the Renault 5"'))
    return corpus


def test_untrusted_text_is_printed_literally_and_without_escapes(cli, evil_corpus):
    proc = cli("search", "--corpus", str(evil_corpus), "platypus")
    assert proc.returncode == 0, proc.stderr
    assert "[bold red]x[/]" in proc.stdout and "[@click=app.quit]" in proc.stdout
    assert "Evil Press" in proc.stdout
    for bad in ("\x1b", "\x07", "\x9b"):
        assert bad not in proc.stdout and bad not in proc.stderr

    proc = cli("search", "--corpus", str(evil_corpus), "AmpR Small", "--limit", "1")
    assert "Architecture that underpins the Renault 5" in proc.stdout
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout

    proc = cli("search", "--json", "--corpus", str(evil_corpus), "platypus")
    data = json.loads(proc.stdout)
    assert "\x1b" not in json.dumps(data, ensure_ascii=False)
    assert data["results"][0]["sources"][0]["publisher"] == "Evil Press"

    proc = cli("show", "--corpus", str(evil_corpus), "AmpR Small")
    assert proc.returncode == 0 and "\x1b" not in proc.stdout


def test_untrusted_text_on_a_terminal(cli, evil_corpus):
    env = base_env(cli.cache, TERM="xterm-256color")
    status, out = run_in_terminal(["search", "--corpus", str(evil_corpus), "platypus"], env, cli.cwd)
    assert status == 0, out
    assert "[bold red]x[/]" in out
    for bad in ("\x1b]", "\x1b[2J", "\x1b[?1049h", "\x07", "\x9b", "\x1b[31m"):
        assert bad not in out, bad


# -- pipes -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["search", "renault", "--limit", "50"],
    ["search", "--json", "renault", "--limit", "50"],
    ["show", "renault"],
    ["check", "--coverage"],
])
def test_a_closed_pipe_is_not_an_error(cli, args):
    """`alliance search renault | head -1`: the reader goes away after one line."""
    import fcntl

    read_end, write_end = os.pipe()
    with contextlib.suppress(AttributeError, OSError):  # a small pipe, so the writer must block
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    proc = subprocess.Popen([sys.executable, "-m", "tui", *args], stdout=write_end, stderr=subprocess.PIPE,
                            cwd=cli.cwd, env=base_env(cli.cache))
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        first = reader.readline()
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert first.strip()
    err_text = err.decode("utf-8", "replace")
    assert "Traceback" not in err_text and "BrokenPipe" not in err_text and "Exception ignored" not in err_text
    assert proc.returncode == 0, "found something: the status says so even if the reader left early"
