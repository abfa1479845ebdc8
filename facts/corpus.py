"""A corpus folder: `seeds/` (articles and their metadata sidecar) and `facts/` (YAML)."""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path

from .articles import Article, ArticleError, list_article_files, read_article
from .files import corpus_roots, list_files, refusal
from .metadata import Sidecar
from .problems import Problem

SEEDS = "seeds"
FACTS = "facts"
FACT_SUFFIXES = (".yaml", ".yml")


def bundled_root() -> Path:
    """The corpus that ships with the package (the repo root, or site-packages when installed)."""
    return Path(__file__).resolve().parent.parent


class CorpusError(Exception):
    """A folder that is not a corpus."""


class Corpus:
    """Files of one corpus. Reads on demand and never writes."""

    def __init__(self, root: Path, cache_size: int = 64) -> None:
        self.root = Path(root).resolve()
        self.seeds_dir = self.root / SEEDS
        self.facts_dir = self.root / FACTS
        self._sidecar: Sidecar | None = None
        self._cache: OrderedDict[str, Article] = OrderedDict()
        self._cache_size = cache_size

    @classmethod
    def open(cls, root: Path | str | None = None) -> Corpus:
        """The corpus at `root` (the bundled one when None); CorpusError if it is not one."""
        path = Path(root).expanduser() if root is not None else bundled_root()
        try:
            if not path.exists():
                raise CorpusError(f"{path}: no such folder")
            if not path.is_dir():
                raise CorpusError(f"{path}: not a folder")
            is_corpus = (path / SEEDS).is_dir() or (path / FACTS).is_dir()
        except OSError as exc:
            raise CorpusError(f"{path}: cannot read: {exc.strerror or exc}") from None
        if not is_corpus:
            raise CorpusError(
                f"{path}: not a corpus (expected a '{SEEDS}/' folder of articles "
                f"and a '{FACTS}/' folder of YAML facts)"
            )
        return cls(path)

    @property
    def is_bundled(self) -> bool:
        return self.root == bundled_root()

    @property
    def roots(self) -> tuple[str, ...]:
        """Where the corpus's files may be: symbolic links out of these are not followed."""
        return corpus_roots(self.root, self.seeds_dir, self.facts_dir)

    def rel(self, path: Path) -> str:
        """`path` relative to the corpus root, for messages (a link keeps its own name)."""
        for candidate in (Path(path), Path(path).resolve()):
            try:
                return candidate.relative_to(self.root).as_posix()
            except ValueError:
                continue
        return str(path)

    def refresh(self) -> None:
        """Forget what was read, so changed files are read again."""
        self._sidecar = None
        self._cache.clear()

    @property
    def sidecar(self) -> Sidecar:
        if self._sidecar is None:
            self._sidecar = Sidecar.load(self.seeds_dir, SEEDS, self.roots)
        return self._sidecar

    def article_files(self) -> tuple[list[Path], list[Problem]]:
        return list_article_files(self.seeds_dir, SEEDS, self.roots)

    def fact_listing(self) -> tuple[list[Path], list[Problem]]:
        """The YAML files under `facts/` (sub-folders included, links only within the corpus),
        sorted, and a warning for each one passed over."""
        if not os.path.isdir(self.facts_dir):
            return [], []
        return list_files(self.facts_dir, FACTS, self.roots, _is_fact_file, recursive=True)

    def fact_files(self) -> list[Path]:
        """The YAML files under `facts/`, sorted (sub-folders included)."""
        return self.fact_listing()[0]

    def read_facts(self) -> tuple[list, list[Problem]]:
        """The facts of every fact file, each checked on its own, and the problems found."""
        from .loader import read_fact_files

        files, problems = self.fact_listing()
        facts, read_problems = read_fact_files(files, self.rel)
        return facts, problems + read_problems

    def article(self, name: str) -> Article:
        """Read one article by file name (cached); raises ArticleError."""
        if name in self._cache:
            self._cache.move_to_end(name)
            return self._cache[name]
        path = self.seeds_dir / name
        if "/" in name or "\\" in name or name.startswith(".") or not os.path.lexists(path):
            raise ArticleError("no such article")
        why = refusal(path, self.roots)
        if why is not None:
            raise ArticleError(why)
        article, _ = read_article(path, self.sidecar)
        self._cache[name] = article
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return article

    def read_all(self) -> tuple[dict[str, Article], list[Problem]]:
        """Every readable article, and a problem for each one that is not."""
        files, problems = self.article_files()
        problems = list(problems) + list(self.sidecar.problems)
        articles: dict[str, Article] = {}
        for path in files:
            try:
                article, extra = read_article(path, self.sidecar)
            except ArticleError as exc:
                problems.append(Problem(f"{SEEDS}/{path.name}", exc.line, exc.message))
                continue
            problems.extend(extra)
            articles[path.name] = article
        problems.extend(self.sidecar.check_names({p.name for p in files}))
        return articles, problems


def _is_fact_file(name: str) -> bool:
    return Path(name).suffix.lower() in FACT_SUFFIXES
