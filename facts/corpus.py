"""A corpus folder: `seeds/` (articles and their metadata sidecar) and `facts/` (YAML)."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from .articles import Article, ArticleError, list_article_files, read_article
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
        if not path.exists():
            raise CorpusError(f"{path}: no such folder")
        if not path.is_dir():
            raise CorpusError(f"{path}: not a folder")
        if not (path / SEEDS).is_dir() and not (path / FACTS).is_dir():
            raise CorpusError(
                f"{path}: not a corpus (expected a '{SEEDS}/' folder of articles "
                f"and a '{FACTS}/' folder of YAML facts)"
            )
        return cls(path)

    @property
    def is_bundled(self) -> bool:
        return self.root == bundled_root()

    def rel(self, path: Path) -> str:
        """`path` relative to the corpus root, for messages."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def refresh(self) -> None:
        """Forget what was read, so changed files are read again."""
        self._sidecar = None
        self._cache.clear()

    @property
    def sidecar(self) -> Sidecar:
        if self._sidecar is None:
            self._sidecar = Sidecar.load(self.seeds_dir, SEEDS)
        return self._sidecar

    def article_files(self) -> tuple[list[Path], list[Problem]]:
        return list_article_files(self.seeds_dir, SEEDS)

    def fact_files(self) -> list[Path]:
        """The YAML files under `facts/`, sorted (sub-folders included)."""
        if not self.facts_dir.is_dir():
            return []
        return sorted(
            p for p in self.facts_dir.rglob("*")
            if p.is_file() and p.suffix.lower() in FACT_SUFFIXES and not p.name.startswith(".")
        )

    def article(self, name: str) -> Article:
        """Read one article by file name (cached); raises ArticleError."""
        if name in self._cache:
            self._cache.move_to_end(name)
            return self._cache[name]
        path = self.seeds_dir / name
        if "/" in name or "\\" in name or not path.is_file():
            raise ArticleError("no such article")
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
