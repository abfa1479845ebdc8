"""Bad article files get a clear message naming the file; the rest of the corpus still loads."""

import hashlib

import pytest

from facts.articles import MAX_ARTICLE_BYTES, ArticleError, read_article
from facts.base import load
from facts.corpus import Corpus, CorpusError

from .conftest import ROOT, write

SHARED_SHA256 = {
    "000_70c07016745e2cd6.txt": "205f58e472810fc2a27051be7060de4c8f68f4e208a2017936a8117f4b50917f",
    "001_eeb87b223eca0c5a.txt": "c7c4ed3e33d595caa86431d3889b572995690b88b9939f394838d4ef3dfa9c75",
    "002_2d0dbaa153dea599.txt": "95457d53223573c72dd41341b6116246be9e98a9b886fbdbc43109da7429e3ce",
    "003_3476ec60bf69c91f.txt": "e2225f5bd1eaed8d9a010d87cb689ba0bb129bc287c438e8c21ec63c3c27f2a4",
    "004_a208f5e158258118.txt": "583ac04d886239001844588880b898e0dac209764cc001e76f853422ff5429b3",
}


def test_bundled_articles_are_the_shared_seeds_byte_for_byte():
    ours = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "seeds").glob("*.txt")}
    assert ours == SHARED_SHA256
    shared = ROOT.parent / "shared" / "seeds"
    if shared.is_dir():  # inside the workplace, compare with the originals too
        for name in SHARED_SHA256:
            assert (ROOT / "seeds" / name).read_bytes() == (shared / name).read_bytes()


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "empty file"),
    (b"   \n\n  ", "empty file"),
    (b"Title\x00\x01\x02binary", "binary"),
    (b"Title\n\nCaf\xe9 in Latin-1", "not valid UTF-8"),
    (bytes(range(1, 32)) * 40, "binary"),
    (b"Search\nConnect with us\n", "no article text left"),
])
def test_unusable_files_raise_clear_errors(tmp_path, data, expected):
    path = write(tmp_path / "bad.txt", data)
    with pytest.raises(ArticleError) as info:
        read_article(path)
    assert expected in info.value.message


def test_non_utf8_error_names_the_line(tmp_path):
    path = write(tmp_path / "bad.txt", b"Title\n\nline two\ncaf\xe9\n")
    with pytest.raises(ArticleError) as info:
        read_article(path)
    assert info.value.line == 4 and "iconv" in info.value.message


def test_too_large_file(tmp_path):
    path = write(tmp_path / "big.txt", b"word " * (MAX_ARTICLE_BYTES // 5 + 10))
    with pytest.raises(ArticleError, match="too large"):
        read_article(path)


def test_bom_and_crlf_are_accepted(tmp_path):
    path = write(tmp_path / "ok.txt", "\ufeffHeadline\r\n\r\nBody text.\r\n".encode())
    article, _ = read_article(path)
    assert article.title == "Headline" and "\r" not in article.raw


def test_bad_files_are_reported_and_good_ones_load(corpus_dir):
    seeds = corpus_dir / "seeds"
    write(seeds / "100_latin1.txt", b"Caf\xe9 news\n\nBody.")
    write(seeds / "101_empty.txt", b"")
    write(seeds / "102_binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    write(seeds / "103_new.txt", "Brand new article\n\nMarch 3, 2025\n\nNissan and Honda talk.")
    write(seeds / "notes.docx", b"PK\x03\x04")
    before = {p.name: p.read_bytes() for p in seeds.iterdir()}
    loaded = load(Corpus.open(corpus_dir))
    messages = [str(p) for p in loaded.problems]
    assert any(m.startswith("seeds/100_latin1.txt:1: not valid UTF-8") for m in messages)
    assert "seeds/101_empty.txt: empty file" in messages
    assert any(m.startswith("seeds/102_binary.txt: looks like a binary file") for m in messages)
    assert any(m.startswith("seeds/notes.docx: warning: not read") for m in messages)
    assert set(loaded.articles) == {p.name for p in (ROOT / "seeds").glob("*.txt")} | {"103_new.txt"}
    assert not loaded.errors or all(not str(e).startswith("facts/") for e in loaded.errors)
    assert {p.name: p.read_bytes() for p in seeds.iterdir()} == before, "the corpus is never written to"


def test_control_sequences_in_an_article_are_stripped(tmp_path):
    path = write(tmp_path / "evil.txt", "Head\x1b[2Jline\n\nBody \x1b]52;c;AAAA\x07 [bold]x[/bold]")
    article, _ = read_article(path)
    assert "\x1b" not in article.raw and "\x07" not in article.raw
    assert "[bold]x[/bold]" in article.text


def test_not_a_corpus(tmp_path):
    with pytest.raises(CorpusError, match="no such folder"):
        Corpus.open(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="not a corpus"):
        Corpus.open(tmp_path / "empty")
    write(tmp_path / "file", "x")
    with pytest.raises(CorpusError, match="not a folder"):
        Corpus.open(tmp_path / "file")


def _controls_plain(text: str) -> int:
    return sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\x1b")


def test_control_characters_counted_as_one_by_one():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from facts.articles import CONTROLS

    every = "".join(map(chr, range(0, 0x300)))
    for text in (every, every * 40, "\t\n\r\x1b" * 3000, ""):
        assert len(CONTROLS.findall(text, 0, 8192)) == _controls_plain(text)
    assert _controls_plain(every) == 28

    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet=st.characters(max_codepoint=0x40), max_size=9000))
    def check(text):
        assert len(CONTROLS.findall(text, 0, 8192)) == _controls_plain(text)

    check()
