"""Shared fixtures: copies of the bundled corpus and real indexes in temporary folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from facts.corpus import bundled_root

ROOT = bundled_root()


def pytest_configure(config):
    """Before any fixture (module-scoped ones too): an empty library, never the user's."""
    import tempfile

    config._alliance_library = tempfile.mkdtemp(prefix="alliance-test-library-")
    os.environ["ALLIANCE_LIBRARY_DIR"] = config._alliance_library


def pytest_unconfigure(config):
    if folder := getattr(config, "_alliance_library", None):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_user_cache(tmp_path_factory, monkeypatch):
    """No test may touch the user's cache: point it at a temporary folder."""
    monkeypatch.setenv("ALLIANCE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(autouse=True)
def _no_user_library(tmp_path_factory, monkeypatch):
    """No test may see the user's library: point it at an empty folder of the test's own."""
    monkeypatch.setenv("ALLIANCE_LIBRARY_DIR", str(tmp_path_factory.mktemp("library")))


def copy_corpus(dest: Path) -> Path:
    """A copy of the bundled corpus (articles, sidecar and facts YAML) at `dest`."""
    (dest / "facts").mkdir(parents=True)
    shutil.copytree(ROOT / "seeds", dest / "seeds")
    for path in (ROOT / "facts").glob("*.yaml"):
        shutil.copy2(path, dest / "facts" / path.name)
    return dest


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    return copy_corpus(tmp_path / "corpus")


@pytest.fixture(scope="session")
def shared_kb(tmp_path_factory):
    """A knowledge base on a copy of the bundled corpus, indexed once for read-only tests."""
    from search.kb import KnowledgeBase

    base = tmp_path_factory.mktemp("shared")
    corpus = copy_corpus(base / "corpus")
    kb = KnowledgeBase.open(corpus, base / "index")
    kb.ensure()
    yield kb
    kb.close()


@pytest.fixture
def kb(corpus_dir, tmp_path):
    """A knowledge base of its own, for tests that change the corpus."""
    from search.kb import KnowledgeBase

    kb = KnowledgeBase.open(corpus_dir, tmp_path / "index")
    kb.ensure()
    yield kb
    kb.close()


def write(path: Path, text: str | bytes) -> Path:
    """Write a file and push its mtime forward, so a change is seen even within one tick."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    return path
