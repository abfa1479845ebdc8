"""A corpus folder: `seeds/` (articles and their metadata sidecar) and `facts/` (YAML)."""

from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .articles import Article, ArticleError, list_article_names, read_article
from .files import SIDECAR, corpus_roots, list_files, refusal
from .problems import WARNING, Problem

if TYPE_CHECKING:
    from .metadata import ArticleMeta, Sidecar

SEEDS = "seeds"
FACTS = "facts"
FACT_SUFFIXES = (".yaml", ".yml")


def bundled_root() -> Path:
    """The corpus that ships with the package (the repo root, or site-packages when installed)."""
    return Path(__file__).resolve().parent.parent


class CorpusError(Exception):
    """A folder that is not a corpus."""


BUNDLED, CORPUS, LIBRARY = "bundled", "corpus", "library"


@dataclass(frozen=True)
class Folder:
    """One folder of a corpus: `label` prefixes its files' names in messages ('' for the primary)."""

    root: Path
    origin: str  # BUNDLED, CORPUS or LIBRARY
    label: str = ""

    @property
    def seeds_dir(self) -> Path:
        return self.root / SEEDS

    @property
    def facts_dir(self) -> Path:
        return self.root / FACTS

    @property
    def rel_seeds(self) -> str:
        return f"{self.label}/{SEEDS}" if self.label else SEEDS

    @property
    def rel_facts(self) -> str:
        return f"{self.label}/{FACTS}" if self.label else FACTS


class Corpus:
    """The files of a corpus: a primary folder (the bundled corpus or `--corpus DIR`) and
    optionally the user's library. Article names are unique across folders: a library
    article named like a primary one is left out, with a problem. Reads only, never writes.
    """

    def __init__(self, root: Path, cache_size: int = 64, library: Path | None = None) -> None:
        self.root = Path(root).resolve()
        self.seeds_dir = self.root / SEEDS
        self.facts_dir = self.root / FACTS
        primary = Folder(self.root, BUNDLED if self.root == bundled_root() else CORPUS)
        self.folders: list[Folder] = [primary]
        self.library: Path | None = None
        if library is not None:
            self.library = Path(library).expanduser().resolve()
            if self.library != self.root:
                self.folders.append(Folder(self.library, LIBRARY, LIBRARY))
        self._sidecar: MultiSidecar | None = None
        self._where: dict[str, int] | None = None  # article name -> index of its folder
        self._cache: OrderedDict[str, Article] = OrderedDict()
        self._cache_size = cache_size

    @classmethod
    def open(cls, root: Path | str | None = None, library: Path | str | None = None) -> Corpus:
        """The corpus at `root` (the bundled one when None) plus the library folder `library`
        (none when None; it need not exist yet). CorpusError if `root` is not a corpus."""
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
        if library is not None and Path(library).expanduser().exists() and not Path(library).expanduser().is_dir():
            raise CorpusError(f"{library}: the library is not a folder")
        return cls(path, library=Path(library) if library is not None else None)

    @property
    def is_bundled(self) -> bool:
        return self.root == bundled_root()

    @property
    def roots(self) -> list[Path]:
        return [f.root for f in self.folders]

    @property
    def link_roots(self) -> tuple[str, ...]:
        """Where the corpus's files may be: symbolic links out of these are not followed."""
        return corpus_roots(*(p for f in self.folders for p in (f.root, f.seeds_dir, f.facts_dir)))

    @property
    def key(self) -> str:
        """What identifies this corpus (its folders), for the index."""
        return "\n".join(str(r) for r in self.roots)

    def rel(self, path: Path) -> str:
        """`path` relative to its folder, prefixed with the folder's label, for messages
        (a link keeps its own name)."""
        # resolved only when needed: a start names every fact file
        for candidate in (how(Path(path)) for how in (Path.absolute, Path.resolve)):
            for folder in reversed(self.folders):  # the library may live inside the primary folder
                try:
                    inner = candidate.relative_to(folder.root).as_posix()
                except ValueError:
                    continue
                return f"{folder.label}/{inner}" if folder.label else inner
        return str(path)

    def abspath(self, rel: str) -> Path:
        """The file that `rel` (as made by `rel()`) names."""
        for folder in self.folders[1:]:
            if rel.startswith(folder.label + "/"):
                return folder.root / rel[len(folder.label) + 1:]
        return self.root / rel

    def refresh(self) -> None:
        """Forget what was read, so changed files are read again."""
        self._sidecar = None
        self._where = None
        self._cache.clear()

    @property
    def sidecar(self) -> MultiSidecar:
        if self._sidecar is None:
            from .metadata import Sidecar

            self._sidecar = MultiSidecar(
                [Sidecar.load(f.seeds_dir, f.rel_seeds, self.link_roots) for f in self.folders], self._folder_index)
        return self._sidecar

    def sidecar_paths(self) -> list[Path]:
        return [f.seeds_dir / SIDECAR for f in self.folders]

    def article_files(self) -> tuple[list[Path], list[Problem]]:
        """Every article file of every folder (first folder first), and the files passed over."""
        names, problems = self.article_names()
        return [self.listed_path(name) for name in names], problems

    def listed_path(self, name: str) -> Path:
        """The file of an article `article_names` listed."""
        return self.folders[self._where[name]].seeds_dir / name

    def article_names(self) -> tuple[list[str], list[Problem]]:
        """`article_files` by name, sorted (`article_path` gives a name's file)."""
        names: list[str] = []
        problems: list[Problem] = []
        where: dict[str, int] = {}
        for i, folder in enumerate(self.folders):
            if i and not folder.seeds_dir.is_dir():
                continue  # an empty library
            found, passed = list_article_names(folder.seeds_dir, folder.rel_seeds, self.link_roots)
            problems.extend(passed)
            for name in found:
                if name in where:
                    other = self.folders[where[name]]
                    problems.append(Problem(
                        f"{folder.rel_seeds}/{name}", None,
                        f"left out: an article in the {other.origin} corpus has the same name; rename it",
                        WARNING))
                    continue
                where[name] = i
                names.append(name)
        names.sort()
        self._where = where
        return names, problems

    def _folder_index(self, name: str) -> int | None:
        if self._where is None:
            self.article_names()
        return self._where.get(name)

    def article_path(self, name: str) -> Path | None:
        """The file of the article called `name`, or None."""
        if "/" in name or "\\" in name or name in ("", ".", ".."):
            return None
        index = self._folder_index(name)
        if index is None:
            for i, folder in enumerate(self.folders):  # added since the folders were listed
                if (folder.seeds_dir / name).is_file() and not any(
                        (f.seeds_dir / name).is_file() for f in self.folders[:i]):
                    self._where[name] = index = i
                    break
            else:
                return None
        return self.folders[index].seeds_dir / name

    def order_key(self, name: str) -> tuple[int, str]:
        """How articles sort: primary folder first, then by name (the earlier is the original)."""
        index = self._folder_index(name)
        return (len(self.folders) if index is None else index, name)

    def origin(self, name: str) -> str | None:
        """'bundled', 'corpus' or 'library': where the article lives (None if there is none)."""
        index = self._folder_index(name)
        return None if index is None else self.folders[index].origin

    def fact_listing(self) -> tuple[list[Path], list[Problem]]:
        """The YAML files under each folder's `facts/` (sub-folders included, links only within
        the corpus), sorted, and a warning for each one passed over."""
        files: list[Path] = []
        problems: list[Problem] = []
        for folder in self.folders:
            if os.path.isdir(folder.facts_dir):
                found, passed = list_files(folder.facts_dir, folder.rel_facts, self.link_roots, _is_fact_file,
                                           recursive=True)
                files.extend(found)
                problems.extend(passed)
        return files, problems

    def fact_files(self) -> list[Path]:
        """The YAML files under each folder's `facts/`, sorted (sub-folders included)."""
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
        path = self.article_path(name)
        if path is None or name.startswith(".") or not os.path.lexists(path):
            raise ArticleError("no such article")
        why = refusal(path, self.link_roots)
        if why is not None:
            raise ArticleError(why)
        article, _ = read_article(path, self.sidecar)
        self._cache[name] = article
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return article

    def problem_file(self, name: str) -> str:
        """How messages name the article file `name` (prefixed with its folder's label)."""
        index = self._folder_index(name)
        return f"{self.folders[index or 0].rel_seeds}/{name}"

    def read_all(self) -> tuple[dict[str, Article], list[Problem]]:
        """Every readable article, and a problem for each one that is not."""
        files, problems = self.article_files()
        problems = list(problems) + list(self.sidecar.problems)
        articles: dict[str, Article] = {}
        for path in files:
            try:
                article, extra = read_article(path, self.sidecar)
            except ArticleError as exc:
                problems.append(Problem(self.problem_file(path.name), exc.line, exc.message))
                continue
            problems.extend(extra)
            articles[path.name] = article
        problems.extend(self.sidecar.check_names({p.name for p in files}))
        return articles, problems


class MultiSidecar:
    """The metadata sidecars of all folders, each applying to its own folder's articles."""

    def __init__(self, sidecars: list[Sidecar], folder_of) -> None:
        self.sidecars = sidecars
        self.folder_of = folder_of
        self.problems = [p for s in sidecars for p in s.problems]
        self._entries: dict | None = None

    @property
    def entries(self) -> dict:
        """Each article's entry, from its own folder's sidecar."""
        if self._entries is not None:
            return self._entries
        out: dict = {}
        for i, sidecar in enumerate(self.sidecars):
            for name, entry in sidecar.entries.items():
                if self.folder_of(name) == i:
                    out[name] = entry
        self._entries = out
        return out

    def apply(self, name: str, meta: ArticleMeta):
        index = self.folder_of(name)
        return self.sidecars[index or 0].apply(name, meta)

    def check_names(self, names: set[str]) -> list[Problem]:
        out: list[Problem] = []
        for i, sidecar in enumerate(self.sidecars):
            out.extend(sidecar.check_names({n for n in names if self.folder_of(n) == i}))
        return out


def _is_fact_file(name: str) -> bool:
    return Path(name).suffix.lower() in FACT_SUFFIXES
