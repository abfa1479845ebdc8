"""`alliance add`, `articles` and `read`, run as processes against a library in a temporary folder.

URLs are served by a local HTTP server in a thread: the tests never use the network.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from facts.duplicates import COPY, EXCERPT, REWRITE, DuplicateIndex, sketch

from .conftest import ROOT
from .test_cli import base_env, no_traceback

AMPR = "001_eeb87b223eca0c5a.txt"

PAGE = """<!DOCTYPE html>
<html><head><title>Renault and Nissan sign new deal | Motor Daily</title>
<meta property="og:title" content="Renault and Nissan sign a new alliance deal">
<meta property="og:site_name" content="Motor Daily">
<meta name="author" content="Jane Doe">
<link rel="canonical" href="https://motordaily.example/renault-nissan-deal">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Renault and Nissan sign a new alliance deal","datePublished":"2024-03-05",
"author":{"@type":"Person","name":"Jane Doe"},"publisher":{"@type":"Organization","name":"Motor Daily"}}</script>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/ev">EV</a></nav>
<article><h1>Renault and Nissan sign a new alliance deal</h1>
<p>Renault Group and Nissan agreed on Tuesday to rebalance their cross-shareholding, ending two decades
in which the French carmaker held a controlling stake in its Japanese partner.</p>
<p>Under the deal, Renault will transfer 28.4 percent of Nissan shares into a French trust, and both
companies will hold 15 percent of each other. Nissan will invest in Ampere, Renault's electric vehicle unit.</p>
<p>The two companies said they would work together on new projects in Latin America, India and Europe.</p>
</article>
<footer>© 2024 Motor Daily. All rights reserved.</footer>
</body></html>
"""

NAV_ONLY = "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>"


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def _send(self, code: int, ctype: str, body: bytes, length: int | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/page.html":
            self._send(200, "text/html; charset=utf-8", PAGE.encode())
        elif path == "/story.txt":
            self._send(200, "text/plain; charset=iso-8859-1",
                       "Citroën and Renault: a story in plain text about the Alliance and its future.\n".encode("latin-1"))
        elif path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/page.html")
            self.end_headers()
        elif path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif path == "/file.pdf":
            self._send(200, "application/pdf", b"%PDF-1.4 not a page")
        elif path == "/huge":
            self._send(200, "text/html", b"<html>", length=50 * 1024 * 1024)
        elif path == "/slow":
            time.sleep(3)
            self._send(200, "text/html", PAGE.encode())
        elif path == "/menu":
            self._send(200, "text/html", NAV_ONLY.encode())
        else:
            self._send(404, "text/html", b"<html><body>Not found</body></html>")


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def alliance(tmp_path):
    """Runs the command with a library and a cache of this test's own."""
    library, cache = tmp_path / "library", tmp_path / "cache"

    def run(*args: str, stdin: bytes | None = None, timeout: float = 90) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, "-m", "tui", *args], cwd=tmp_path, input=stdin,
                              env=base_env(cache, ALLIANCE_LIBRARY_DIR=str(library)),
                              capture_output=True, timeout=timeout)
        proc.stdout, proc.stderr = proc.stdout.decode(), proc.stderr.decode()
        no_traceback(proc)
        return proc

    run.library = library
    return run


def _articles(alliance) -> dict[str, dict]:
    proc = alliance("articles", "--json")
    assert proc.returncode == 0, proc.stderr
    return {r["name"]: r for r in json.loads(proc.stdout)}


def _no_temp_files(library: Path) -> None:
    assert not [p for p in library.rglob(".tmp-*")], list(library.rglob("*"))


def test_text_markdown_and_saved_page_are_added_and_found(alliance, tmp_path):
    before = _tree_hash(ROOT / "seeds")
    (tmp_path / "note.txt").write_text("Ampere and Qualcomm\n\nAmpere will use Qualcomm chips in its "
                                       "software-defined vehicle, the companies said on Monday.\n")
    (tmp_path / "memo.md").write_text("# Twingo plans\n\nThe new Twingo electric car will cost under "
                                      "20,000 euros, Renault said.\n")
    (tmp_path / "page.html").write_text(PAGE)
    proc = alliance("add", "note.txt", "memo.md", "page.html")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Added “Renault and Nissan sign a new alliance deal” as 007_" in out
    assert "Motor Daily · 5 Mar 2024" in out and "by Jane Doe" in out
    assert "Names: Renault Group, Nissan, Ampere" in out
    assert "Added “Ampere and Qualcomm” as 005_" in out and "date unknown" in out
    assert "3 articles added to" in out
    seeds = alliance.library / "seeds"
    names = sorted(p.name for p in seeds.iterdir())
    assert [n[-3:] for n in names] == ["txt", ".md", "txt", "aml"]  # note.txt, memo.md, page text, metadata.yaml
    page_name = next(n for n in names if n.startswith("007_"))
    assert (alliance.library / "pages" / (page_name[:-4] + ".html")).read_text() == PAGE
    text = (seeds / page_name).read_text()
    assert text.startswith("Renault and Nissan sign a new alliance deal\n") and "Home" not in text
    _no_temp_files(alliance.library)

    listed = _articles(alliance)
    page = listed[page_name]
    assert page["origin"] == "library" and listed[AMPR]["origin"] == "bundled"
    assert (page["publisher"], page["author"], page["date"], page["date_estimated"]) == \
        ("Motor Daily", "Jane Doe", "2024-03-05", False)
    assert page["url"] == "https://motordaily.example/renault-nissan-deal"
    assert page["words"] > 50 and page["duplicate_of"] is None

    found = alliance("search", "--json", "cross-shareholding trust")
    assert page_name in [r["id"] for r in json.loads(found.stdout)["results"]]
    assert alliance("search", "--no-library", "cross-shareholding trust").returncode == 1
    assert _tree_hash(ROOT / "seeds") == before  # the bundled corpus is never written

    again = alliance("add", "page.html")
    assert again.returncode == 2
    assert f"not added: page.html: already there as {page_name}" in again.stderr


def test_read_by_name_number_and_title(alliance, tmp_path):
    (tmp_path / "page.html").write_text(PAGE)
    assert alliance("add", "page.html").returncode == 0
    name = next(p.name for p in (alliance.library / "seeds").glob("005_*.txt"))
    for query in ([name], ["5"], ["005"], ["cross", "alliance", "deal"][1:], ["sign", "new", "alliance"]):
        proc = alliance("read", "--json", *query)
        assert proc.returncode == 0, (query, proc.stdout)
        data = json.loads(proc.stdout)
        assert data["name"] == name
    assert set(data) >= {"name", "title", "publisher", "author", "date", "date_estimated", "url", "text",
                         "duplicate_of", "mentions"}
    assert data["text"].startswith("Renault and Nissan sign") and data["duplicate_of"] is None
    assert {"renault-group", "nissan", "ampere"} <= {m["id"] for m in data["mentions"]}
    plain = alliance("read", name)
    assert plain.stdout.startswith("Renault and Nissan sign a new alliance deal\nMotor Daily · 5 Mar 2024")
    assert alliance("read", "no such words anywhere").returncode == 1
    ambiguous = alliance("read", "renault")
    assert ambiguous.returncode == 2 and "could be:" in ambiguous.stdout


def test_urls_from_a_local_server(alliance, server):
    proc = alliance("add", "--timeout", "1", f"{server}/page.html", f"{server}/moved", f"{server}/story.txt",
                    f"{server}/missing", f"{server}/file.pdf", f"{server}/huge", f"{server}/slow",
                    f"{server}/loop", f"{server}/menu", "ftp://example.com/x", "http://127.0.0.1:1/refused")
    assert proc.returncode == 2
    err = proc.stderr
    assert "Added “Renault and Nissan sign a new alliance deal”" in proc.stdout
    assert f"not added: {server}/moved: already there as 005_" in err  # the redirect reached the same page
    assert "Added “Citroën and Renault: a story in plain text" in proc.stdout  # latin-1 decoded by its header
    assert f"not added: {server}/missing: the server answered HTTP 404" in err
    assert f"not added: {server}/file.pdf: not a web page or text (the server sent application/pdf)" in err
    assert f"not added: {server}/huge: too large (50.0 MiB; the limit is 2 MiB)" in err
    assert f"not added: {server}/slow: no answer within 1 s" in err
    assert f"not added: {server}/loop: too many redirects" in err
    assert f"not added: {server}/menu: the page has no article text" in err
    assert "not added: ftp://example.com/x: only http:// and https:// addresses can be fetched" in err
    assert "not added: http://127.0.0.1:1/refused: the connection was refused" in err
    assert "2 articles added to" in proc.stdout and "9 not added" in proc.stdout
    listed = _articles(alliance)
    page = next(r for r in listed.values() if r["title"].startswith("Renault and Nissan sign"))
    assert page["url"] == "https://motordaily.example/renault-nissan-deal"
    _no_temp_files(alliance.library)


def test_a_folder_with_bad_files_and_stdin(alliance, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a-good.txt").write_text("Nissan e-Power\n\nNissan will bring its e-Power hybrid system to Europe.\n")
    (folder / "b-latin1.txt").write_bytes("Citroën ë-C3 costs less than 25 000 €.\n".encode("cp1252"))
    (folder / "c-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00" * 50)
    (folder / "d-huge.txt").write_bytes(b"word " * 500_000)
    (folder / "e-empty.md").write_text("  \n")
    (folder / "f-ignored.pdf").write_bytes(b"%PDF")
    sidecar = alliance.library / "seeds" / "metadata.yaml"
    proc = alliance("add", str(folder), "missing.txt")
    assert proc.returncode == 2
    err = proc.stderr
    assert "b-latin1.txt: line 1: not valid UTF-8 (byte 0xeb at offset 5)" in err
    assert "c-binary.txt: looks like a binary file" in err
    assert "d-huge.txt: too large (2.4 MiB; the limit is 2 MiB)" in err
    assert "e-empty.md: empty file" in err
    assert "not added: missing.txt: no such file" in err
    assert "1 article added to" in proc.stdout and "5 not added" in proc.stdout
    assert len(list((alliance.library / "seeds").glob("*.txt"))) == 1
    assert not sidecar.exists()  # text files carry their metadata in the text
    _no_temp_files(alliance.library)

    piped = alliance("add", "-", stdin=PAGE.encode())
    assert piped.returncode == 0, piped.stderr
    assert "Added “Renault and Nissan sign a new alliance deal”" in piped.stdout
    assert "Motor Daily" in sidecar.read_text()
    assert alliance("add", "-", stdin=b"\x00\x01binary").returncode == 2


def test_copies_excerpts_and_rewrites(alliance, tmp_path):
    bundled = (ROOT / "seeds" / AMPR).read_text()
    (tmp_path / "copy.txt").write_text(bundled.upper())  # same words: an exact copy
    lines = bundled.split("\n")
    (tmp_path / "excerpt.txt").write_text("\n".join(lines[: len(lines) * 2 // 3]))
    refused = alliance("add", "copy.txt")
    assert refused.returncode == 2
    assert f"not added: copy.txt: already there as {AMPR}" in refused.stderr
    added = alliance("add", "excerpt.txt")
    assert added.returncode == 0, added.stderr
    assert f"Looks like an excerpt of {AMPR}" in added.stdout
    listed = _articles(alliance)
    excerpt = next(r for r in listed.values() if r["origin"] == "library")
    assert excerpt["duplicate_of"] == AMPR and excerpt["duplicate_kind"] == EXCERPT
    assert listed[AMPR]["copies"] == [excerpt["name"]]
    text = alliance("articles").stdout
    assert f"an excerpt of {AMPR}" in text and "1 duplicate of others" in text
    found = json.loads(alliance("search", "--json", "--kind", "article", "AmpR Small").stdout)["results"]
    ids = [r["id"] for r in found]
    assert len({AMPR, excerpt["name"]} & set(ids)) == 1  # the story is shown once
    shown = next(r for r in found if r["id"] in (AMPR, excerpt["name"]))
    assert set(shown["also_in"]) == {AMPR, excerpt["name"]} - {shown["id"]}
    assert "also in 1 other article" in alliance("search", "--kind", "article", "AmpR Small").stdout


def _words(n: int, seed: int) -> list[str]:
    import random

    rng = random.Random(seed)
    return [rng.choice(["alpha", "beta", "gamma", "delta", "renault", "nissan", "ampere", "battery", "platform", "cost"])
            + str(rng.randrange(400)) for _ in range(n)]


def test_the_copies_index_finds_the_same_pairs_built_or_grown():
    story = _words(600, 1)
    texts = {
        "a.txt": " ".join(story),
        "b.txt": " ".join(story[100:400]),  # excerpt of a
        "c.txt": " ".join(story[:250] + _words(60, 2) + story[250:550]),  # rewrite of a
        "d.txt": " ".join(_words(500, 3)),  # unrelated
        "e.txt": " ".join(story).upper(),  # copy of a
    }
    sketches = {n: sketch(t) for n, t in texts.items()}

    def order(name):
        return name

    built = DuplicateIndex.build(sketches, order)
    grown = DuplicateIndex()
    for name in ("d.txt", "c.txt", "a.txt", "e.txt", "b.txt"):
        grown.add(name, sketches[name], order)
    for index in (built, grown):
        assert {n: (m.name, m.how) for n in texts if (m := index.duplicate_of(n))} == {
            "b.txt": ("a.txt", EXCERPT), "c.txt": ("a.txt", REWRITE), "e.txt": ("a.txt", COPY)}
        assert index.words("a.txt") == 600
    grown.remove("a.txt")
    assert grown.duplicate_of("b.txt").name == "e.txt" and grown.duplicate_of("e.txt").name == "c.txt"
    grown.compact()
    assert [(m.name, m.how) for m in grown.find(sketches["a.txt"], order)] == [
        ("e.txt", COPY), ("c.txt", REWRITE), ("b.txt", EXCERPT)]  # what it duplicates first


def test_a_hand_dropped_library_file_named_like_a_bundled_one_is_left_out(tmp_path):
    from facts.corpus import Corpus
    from search.kb import KnowledgeBase
    from search.store import index_dir_for

    from .conftest import copy_corpus, write

    corpus = copy_corpus(tmp_path / "corpus")
    library = tmp_path / "library"
    write(library / "seeds" / AMPR, "A different text that happens to have a bundled article's name.\n")
    write(library / "seeds" / "bad.txt", b"caf\xe9 au lait\n")
    write(library / "seeds" / "good.txt", "Good news\n\nMitsubishi Motors will sell rebadged Renault cars.\n")
    kb = KnowledgeBase(Corpus.open(corpus, library), tmp_path / "index")
    report = kb.ensure()
    problems = {str(p) for p in report.problems}
    assert f"library/seeds/{AMPR}: warning: left out: an article in the corpus corpus has the same name; " \
           "rename it" in problems
    assert any(p.startswith("library/seeds/bad.txt:1: not valid UTF-8") for p in problems), problems
    assert kb.corpus.origin("good.txt") == "library" and kb.corpus.origin(AMPR) == "corpus"
    assert kb.article(AMPR).title == "Nissan will build its own Renault Twingo EV"
    assert [h.id for h in kb.search("rebadged", kind="article").hits] == ["good.txt"]
    (library / "seeds" / "good.txt").unlink()
    assert kb.ensure().action == "update"
    assert kb.search("rebadged").hits == [] and kb.duplicates.words("good.txt") is None
    assert index_dir_for(corpus) != index_dir_for(corpus, library)
    kb.close()


def test_a_broken_sidecar_stops_a_page_and_leaves_nothing_half_written(alliance, tmp_path):
    sidecar = alliance.library / "seeds" / "metadata.yaml"
    sidecar.parent.mkdir(parents=True)
    sidecar.write_text("005_x.txt:\n  title: [unclosed\n")
    before = sidecar.read_bytes()
    (tmp_path / "page.html").write_text(PAGE)
    (tmp_path / "note.txt").write_text("Nissan e-Power\n\nNissan will bring its e-Power hybrid system to Europe.\n")
    proc = alliance("add", "page.html", "note.txt")
    assert proc.returncode == 2
    assert "not added: page.html: the library's seeds/metadata.yaml cannot be read (line " in proc.stderr
    assert "Added “Nissan e-Power”" in proc.stdout
    assert sidecar.read_bytes() == before
    assert [p.name[-4:] for p in (alliance.library / "seeds").iterdir() if p.name != "metadata.yaml"] == [".txt"]
    assert not list((alliance.library / "pages").iterdir())
    _no_temp_files(alliance.library)
