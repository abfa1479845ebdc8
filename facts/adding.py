"""Adding articles to the user's library: text files, saved web pages, URLs and standard input.

Each source becomes a `Prepared` article (clean UTF-8 text, metadata, the original page)
or an `AddError` saying why not; `Library.write` stores one atomically: the page in
`pages/`, the text in `seeds/`, the metadata in `seeds/metadata.yaml`, each written to a
temporary file and renamed, and removed again if a later step fails.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .articles import MAX_ARTICLE_BYTES, ArticleError, decode
from .boilerplate import clean
from .corpus import FACTS, SEEDS
from .metadata import SIDECAR
from .text import one_line, sanitize

PAGES = "pages"
LOCK = ".lock"
TEXT_SUFFIXES = (".txt", ".text", ".md")
PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
PAGE_TYPES = ("text/html", "application/xhtml+xml")
URL_TIMEOUT = 20.0
MAX_REDIRECTS = 5
_PREFIX = re.compile(r"^(\d+)_")


class AddError(Exception):
    """A source that cannot be added; the message says why."""


def too_large(size: int, limit: int) -> str:
    """'too large (2.4 MiB; the limit is 2 MiB)', in bytes when MiB would not show the difference."""
    shown = f"{size / 1048576:.1f} MiB"
    if shown == f"{limit / 1048576:.1f} MiB":
        return f"too large ({size:,} bytes; the limit is {limit:,} bytes)"
    return f"too large ({shown}; the limit is {limit / 1048576:g} MiB)"


@dataclass
class Prepared:
    """An article ready to be written: its text, metadata for the sidecar and original page."""

    source: str  # as the user named it (path, URL or '-')
    text: str
    suffix: str = ".txt"
    meta: dict = field(default_factory=dict)  # title, publisher, date, author, url
    page: bytes | None = None  # the original HTML


def _text_article(source: str, data: bytes, suffix: str) -> Prepared:
    try:
        text = sanitize(decode(data))
    except ArticleError as exc:
        raise AddError((f"line {exc.line}: " if exc.line else "") + exc.message) from None
    if not clean(text).text.strip():
        raise AddError("no article text left once page boilerplate is removed")
    return Prepared(source, text if text.endswith("\n") else text + "\n", suffix)


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head


def page_article(source: str, data: bytes, url: str | None = None, charset: str | None = None) -> Prepared:
    """The main text and metadata of a web page, read by trafilatura (imported here, not at start)."""
    if b"\x00" in data[:8192]:
        raise AddError("looks like a binary file (it contains NUL bytes), not a web page")
    import trafilatura

    content: bytes | str = data
    if charset:
        try:
            content = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            content = data  # trafilatura guesses from the page itself
    try:
        doc = trafilatura.bare_extraction(content, url=url, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=True)
    except Exception as exc:  # a page trafilatura cannot parse is a bad page, not a crash
        raise AddError(f"the page could not be read ({type(exc).__name__})") from None
    body = sanitize(getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not body or not clean(body).text.strip():
        raise AddError("the page has no article text (only navigation, or nothing trafilatura recognises as an article)")
    meta: dict = {}
    for key, attr in (("title", "title"), ("publisher", "sitename"), ("author", "author"), ("url", "url"),
                      ("date", "date")):
        value = getattr(doc, attr, None)
        if value:
            meta[key] = one_line(sanitize(str(value)), 300)
    if "publisher" not in meta and getattr(doc, "hostname", None):
        meta["publisher"] = one_line(sanitize(str(doc.hostname)), 100)
    if url and "url" not in meta:
        meta["url"] = url
    title = meta.get("title")
    if title and body.split("\n", 1)[0].strip() != title:
        body = f"{title}\n\n{body}"
    if "date" in meta:
        meta["date_basis"] = "from the page's metadata (read by trafilatura)"
    return Prepared(source, body + "\n", ".txt", meta, data)


def read_file(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> Prepared:
    """A text file or a saved web page."""
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES + PAGE_SUFFIXES:
        raise AddError(f"articles are {', '.join(TEXT_SUFFIXES + PAGE_SUFFIXES)} files")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise AddError(too_large(size, max_bytes))
        data = path.read_bytes()
    except OSError as exc:
        raise AddError(f"cannot read: {exc.strerror or exc}") from None
    if suffix in PAGE_SUFFIXES:
        return page_article(str(path), data)
    return _text_article(str(path), data, ".md" if suffix == ".md" else ".txt")


def read_stdin(stream, max_bytes: int = MAX_ARTICLE_BYTES) -> Prepared:
    """Standard input: a web page if it looks like one, else text."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise AddError(f"too large (more than the limit of {max_bytes / 1048576:g} MiB)")
    if _looks_like_html(data):
        return page_article("-", data)
    return _text_article("-", data, ".txt")


def fetch_url(url: str, timeout: float = URL_TIMEOUT, max_bytes: int = MAX_ARTICLE_BYTES) -> Prepared:
    """A web page (or plain text) fetched over http or https, with a timeout and a size cap."""
    import socket
    import urllib.error
    import urllib.parse
    import urllib.request

    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddError("only http:// and https:// addresses can be fetched")

    class Redirects(urllib.request.HTTPRedirectHandler):
        max_redirections = MAX_REDIRECTS

        def redirect_request(self, req, fp, code, msg, headers, newurl):
            if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
                raise AddError(f"redirected to a non-web address ({one_line(newurl, 80)})")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    opener = urllib.request.build_opener(Redirects)
    request = urllib.request.Request(url, headers={"User-Agent": "alliance (article reader)",
                                                   "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9"})
    try:
        with opener.open(request, timeout=timeout) as response:
            final = response.geturl()
            ctype = response.headers.get_content_type()
            charset = response.headers.get_content_charset()
            if ctype not in (*PAGE_TYPES, "text/plain"):
                raise AddError(f"not a web page or text (the server sent {one_line(ctype, 60)})")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise AddError(too_large(int(length), max_bytes))
            data = response.read(max_bytes + 1)
    except AddError:
        raise
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            raise AddError(f"too many redirects (more than {MAX_REDIRECTS})") from None
        raise AddError(f"the server answered HTTP {exc.code} {one_line(str(exc.reason), 60)}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, socket.gaierror):
            raise AddError(f"cannot find the host {parts.hostname!r} (check the address or the network)") from None
        if isinstance(reason, TimeoutError):
            raise AddError(f"no answer within {timeout:g} s") from None
        if isinstance(reason, ConnectionRefusedError):
            raise AddError("the connection was refused") from None
        raise AddError(f"cannot fetch: {one_line(str(reason), 120)}") from None
    except TimeoutError:
        raise AddError(f"no answer within {timeout:g} s") from None
    except (OSError, ValueError) as exc:  # reset connections, malformed answers
        raise AddError(f"cannot fetch: {one_line(str(exc) or type(exc).__name__, 120)}") from None
    if len(data) > max_bytes:
        raise AddError(f"too large (more than the limit of {max_bytes / 1048576:g} MiB)")
    if ctype == "text/plain":
        if charset:
            try:
                data = data.decode(charset).encode("utf-8")
            except (LookupError, UnicodeDecodeError):
                raise AddError(f"the text is not valid {charset}") from None
        prepared = _text_article(url, data, ".txt")
        prepared.meta["url"] = final
        return prepared
    return page_article(url, data, final, charset)


def expand(sources: list[str]) -> Iterator[tuple[str, str]]:
    """(kind, source) for each argument; a folder gives each article file in it, sorted."""
    for source in sources:
        if source == "-":
            yield "stdin", source
        elif re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", source):
            yield "url", source
        elif Path(source).is_dir():
            found = sorted(p for p in Path(source).iterdir()
                           if p.is_file() and not p.name.startswith(".")
                           and p.suffix.lower() in TEXT_SUFFIXES + PAGE_SUFFIXES and p.name != SIDECAR)
            if not found:
                yield "empty", source
            for path in found:
                yield "file", str(path)
        else:
            yield "file", source


def prepare(kind: str, source: str, stdin=None, timeout: float = URL_TIMEOUT) -> Prepared:
    """Read one source; raises AddError."""
    if kind == "stdin":
        return read_stdin(stdin)
    if kind == "url":
        return fetch_url(source, timeout)
    if kind == "empty":
        raise AddError("the folder has no .txt, .md or .html files")
    path = Path(source)
    if not path.exists():
        raise AddError("no such file")
    return read_file(path)


class Library:
    """The user's library folder (a corpus folder): where `alliance add` writes."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.seeds_dir = self.root / SEEDS
        self.pages_dir = self.root / PAGES

    def ensure(self) -> None:
        for folder in (self.seeds_dir, self.root / FACTS, self.pages_dir):
            folder.mkdir(parents=True, exist_ok=True)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the library's lock: two `alliance add` at once never pick one name or lose an entry."""
        self.ensure()
        with open(self.root / LOCK, "a+") as handle:
            try:
                import fcntl
            except ImportError:  # pragma: no cover - not on POSIX
                yield
                return
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def add(self, prepared: Prepared, taken: set[str]) -> str:
        """Store an article under a new name (returned); raises AddError or OSError, leaving nothing."""
        with self.locked():
            name = self.new_name(prepared, taken)
            self.write(name, prepared)
        return name

    def new_name(self, prepared: Prepared, taken: set[str]) -> str:
        """A name that continues the numbering of every article in `taken` and never clashes."""
        numbers = [int(m.group(1)) for n in taken if (m := _PREFIX.match(n))]
        number = max(numbers, default=-1) + 1
        digest = hashlib.blake2b(prepared.text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
        while True:
            name = f"{number:03d}_{digest}{prepared.suffix}"
            if name not in taken and not (self.seeds_dir / name).exists():
                return name
            number += 1

    def write(self, name: str, prepared: Prepared) -> Path:
        """Store an article atomically: page, text, then its metadata; nothing is left if one fails."""
        self.ensure()
        written: list[Path] = []
        try:
            if prepared.page is not None:
                written.append(_write_atomic(self.pages_dir / (Path(name).stem + ".html"), prepared.page))
            written.append(_write_atomic(self.seeds_dir / name, prepared.text.encode("utf-8")))
            if prepared.meta:
                self._add_metadata(name, prepared.meta)
        except BaseException:
            for path in written:
                with contextlib.suppress(OSError):
                    path.unlink()
            raise
        return self.seeds_dir / name

    def _add_metadata(self, name: str, meta: dict) -> None:
        """Append the article's entry to `seeds/metadata.yaml` (comments and other entries kept)."""
        import yaml

        from .yamlfile import YamlError, load_file

        path = self.seeds_dir / SIDECAR
        try:
            old = path.read_bytes().decode("utf-8")
            load_file(path)
        except FileNotFoundError:
            old = "# Metadata of the articles added with `alliance add` (edit freely).\n"
        except (UnicodeDecodeError, YamlError) as exc:
            where = f" (line {exc.line})" if getattr(exc, "line", None) else ""
            raise AddError(f"the library's {SEEDS}/{SIDECAR} cannot be read{where}: fix it, then add again") from None
        entry = yaml.safe_dump({name: {k: v for k, v in meta.items() if v}}, allow_unicode=True,
                               sort_keys=False, width=1000)
        if old and not old.endswith("\n"):
            old += "\n"
        _write_atomic(path, (old + entry).encode("utf-8"))


def _write_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to a hidden temporary file beside `path` (the scans skip it), then rename."""
    tmp = path.with_name(f".tmp-{os.getpid()}-{secrets.token_hex(4)}-{path.name}")
    try:
        with open(tmp, "xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path
