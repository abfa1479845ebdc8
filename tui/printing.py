"""What the one-shot commands print. Rich only (no Textual); text is never parsed as markup."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from facts import profile
from facts.base import FactBase
from facts.describe import label
from facts.kinds import KINDS
from facts.model import Fact, Source
from facts.problems import WARNING, Problem
from facts.text import bare_quote, quote_marks, safe_for_terminal
from search.results import Hit, Results
from tui.labels import mentions_heading

MARK = Style(bold=True, underline=True, color="yellow")
DIM = Style(dim=True)
KIND = Style(color="cyan")
HEAD = Style(bold=True)
ERROR = Style(color="red", bold=True)
WARN = Style(color="yellow")


class _Console(Console):
    """Writes every piece of text through `safe_for_terminal`: no data can move the cursor,
    clear the screen, set the title or the clipboard. Rich's own control codes (a progress
    bar's cursor moves) are kept, and so are the styles it renders."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(safe_for_terminal(segment.text), segment.style)
            for segment in buffer
        )

    def on_broken_pipe(self) -> None:
        # Rich would exit with status 1 ("nothing found"); let the command end as it would
        # have (tui.cli.main handles the error: `alliance search x | head -1`).
        self.quiet = True
        raise BrokenPipeError


def console(stderr: bool = False) -> Console:
    """A console that colours only a terminal (and never with NO_COLOR set)."""
    return _Console(stderr=stderr, markup=False, highlight=False, emoji=False, soft_wrap=True)


def plain(text: str, style: Style | str = "") -> Text:
    """`text` taken literally and made terminal-safe before Rich sees it (Rich would drop a
    BEL or CR silently; a file name must be shown as the shell shows it)."""
    return Text(safe_for_terminal(text), style=style)


def marked(text: str, spans, base: Style | None = None) -> Text:
    """`text` with its spans highlighted; the text is taken literally."""
    out = Text(text, style=base or "")
    for start, end in spans:
        if 0 <= start < end <= len(text):
            out.stylize(MARK, start, end)
    return out


def article_label(meta: dict | None, name: str) -> str:
    """'Title · Publisher · date' for an article payload or metadata dict."""
    if not meta:
        return name
    parts = [meta.get("title") or name, meta.get("publisher"), meta.get("date_label")]
    return " · ".join(p for p in parts if p)


def _source_lines(hit: Hit, articles: dict[str, dict]) -> list[Text]:
    lines = []
    for i, source in enumerate(hit.payload.get("sources", [])):
        quote = source["quote"].strip()
        opening, closing = quote_marks(quote)
        line = Text("      " + opening)
        line.append_text(marked(" ".join(quote.split()), _flat_spans(quote, hit.quote_spans(i))))
        line.append(closing)
        lines.append(line)
        lines.append(plain(f"      {source['article']} · {article_label(articles.get(source['article']), source['article'])}", style=DIM))
    return lines


def _flat_spans(text: str, spans):
    """Spans of `text` re-aimed at its whitespace-collapsed form."""
    mapping, j, in_space = [], 0, False
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    for ch in stripped:
        mapping.append(j)
        if ch.isspace():
            if not in_space:
                j += 1
            in_space = True
        else:
            j += 1
            in_space = False
    mapping.append(j)
    out = []
    for s, e in spans:
        s, e = s - lead, e - lead
        if 0 <= s < e <= len(stripped):
            out.append((mapping[s], mapping[e]))
    return out


def print_results(out: Console, results: Results, articles: dict[str, dict]) -> None:
    for message in results.messages:
        out.print(plain(f"Note: {message}", style=WARN))
    if results.corrected_from:
        out.print(Text.assemble(("No results for ", ""), (f"“{safe_for_terminal(results.corrected_from)}”", HEAD),
                                ("; showing results for ", ""), (f"“{safe_for_terminal(results.searched)}”", HEAD), (".", "")))
    if not results.hits:
        out.print(plain(f"Nothing matches “{results.query}”.", style=HEAD))
        return
    shown = len(results.hits)
    more = f" (showing {shown})" if results.total > shown else ""
    out.print(plain(f"{results.count_label} for “{results.searched}”{more}", style=HEAD))
    partial_told = False
    for rank, hit in enumerate(results.hits, 1):
        if not hit.all_words and not partial_told:
            out.print(Text("   Matching some of the words:", style=DIM))
            partial_told = True
        head = plain(f"{rank:>3}. ")
        head.append(f"[{hit.kind}] ", style=KIND)
        if hit.is_fact:
            head.append_text(marked(hit.title, hit.spans.get("title", [])))
            out.print(head)
            if hit.payload.get("note"):
                out.print(plain(f"      Note: {hit.payload['note']}", style=WARN))
            for line in _source_lines(hit, articles):
                out.print(line)
        else:
            head.append_text(marked(hit.title, hit.spans.get("title", []), HEAD))
            out.print(head)
            line = Text("      ")
            line.append_text(marked(hit.snippet, hit.snippet_spans))
            out.print(line)
            out.print(plain(f"      {hit.id} · {article_label(hit.payload, hit.id)}", style=DIM))
            if also := hit.payload.get("also_in"):
                out.print(plain(f"      also in {len(also)} other article{'s' if len(also) != 1 else ''}: "
                                + ", ".join(also[:5]) + (" …" if len(also) > 5 else ""), style=DIM))
    if results.suggestion:
        out.print(plain(f"Did you mean: “{results.suggestion}”?", style=WARN))


# -- show ------------------------------------------------------------------------------------

def _citation(base: FactBase, source: Source) -> Text:
    meta = base.articles.get(source.article)
    when = meta.date_label if meta else (str(source.reported) if source.reported else "")
    name = safe_for_terminal(source.article)
    title = meta.title if meta else name
    quote = bare_quote(source.quote)
    return Text.assemble(("        “", DIM), (quote, ""), ("” ", DIM),
                         (f"— {title}, {when} [{name}]", DIM))


def print_fact_line(out: Console, base: FactBase, fact: Fact, bullet: str = "  - ", text: str | None = None) -> None:
    out.print(Text(bullet) + Text(fact.text if text is None else text))
    if fact.note:
        out.print(plain(f"        Note: {fact.note}", style=WARN))
    for link in base.links(fact):
        out.print(plain(f"        {link.relation}: {link.fact.text}", style=DIM))
    for source in fact.sources:
        out.print(_citation(base, source))


def print_entity(out: Console, base: FactBase, fact: Fact) -> None:
    """An entry: the entity, then each kind of fact about it, current state first and the
    history (superseded, ended, or past its target date) beneath it."""
    kind = KINDS[fact.kind].label.lower()
    head = Text(fact.name, style=Style(bold=True, underline=True))
    head.append(f"  ({kind}", style=DIM)
    if fact.get("type"):
        head.append(f" · {label(fact.get('type'))}", style=DIM)
    head.append(f" · id {fact.id})", style=DIM)
    out.print(head)
    if fact.aliases:
        out.print(Text("Also called: " + ", ".join(fact.aliases), style=DIM))
    if profile.has_estimates([fact, *base.about(fact.id)]):
        out.print(Text(profile.ESTIMATE_LEGEND, style=DIM))
    print_fact_line(out, base, fact, bullet="  ")
    for section in profile.sections(base, fact):
        out.print()
        out.print(plain(f"{section.title} ({len(section)})", style=HEAD))
        if section.history and section.current:
            out.print(Text("  Current:", style=HEAD))
        for item in section.current:
            print_fact_line(out, base, item)
        if section.history:
            out.print(Text(f"  History ({len(section.history)}), no longer current:", style=HEAD))
            for entry in section.history:
                print_fact_line(out, base, entry.fact, bullet="  · ", text=entry.text)


def print_timeline(out: Console, base: FactBase, entries: list, entity: Fact | None, since=None) -> None:
    """What happened, in date order, then the targets; each entry with its quote and source."""
    from facts.timeline import split

    happened, targets = split(entries)
    scope = f" of {entity.name}" if entity else " of everything"
    after = f" from {since} on" if since else ""
    out.print(Text(f"Timeline{scope}{after}: {len(happened)} dated, {len(targets)} target"
                   f"{'s' if len(targets) != 1 else ''}", style=HEAD))
    if not entries:
        out.print(Text("Nothing dated matches.", style=DIM))
        return
    if any(e.estimated or e.fact.sources[e.source].reported_estimated for e in entries):
        out.print(Text(profile.ESTIMATE_LEGEND, style=DIM))
    for title, group in (("What happened", happened),
                         ("Targets (dates in the future of the article that sets them)", targets)):
        if not group:
            continue
        out.print()
        out.print(Text(title, style=HEAD))
        for entry in group:
            line = Text(f"  {entry.date_label:<12}", style=HEAD)
            line.append(f"{entry.what:<14}", style=KIND)
            line.append(entry.fact.text)
            out.print(line)
            if entry.type == "target":
                set_on, estimated = entry.set_on
                if set_on is not None:
                    out.print(Text(f"                set {set_on.label(estimated)}", style=DIM))
            if entry.note:
                out.print(Text(f"                Note: {entry.note}", style=WARN))
            out.print(Text("      ") + _citation(base, entry.fact.sources[entry.source])[8:])


def print_mentions(out: Console, total: int, rows) -> None:
    """The articles that name an entity, newest first: the sentence, then title, date and file."""
    if not total:
        return
    out.print()
    out.print(Text(mentions_heading(total, len(rows)), style=HEAD))
    for row in rows:
        line = Text("  - “")
        line.append_text(marked(" ".join(row.sentence.split()), _flat_spans(row.sentence, [(row.start, row.end)])))
        line.append("”")
        if row.count > 1:
            line.append(f" ({row.count} times)", style=DIM)
        out.print(line)
        out.print(Text(f"        — {row.title}, {row.date_label} [{row.article}]", style=DIM))


# -- problems and progress -----------------------------------------------------------------

def print_problems(out: Console, problems: list[Problem]) -> None:
    for problem in problems:
        style = WARN if problem.severity == WARNING else ERROR
        out.print(plain(str(problem), style=style))  # may quote YAML as written


@contextlib.contextmanager
def progress_bar(err: Console) -> Iterator:
    """A progress callback drawing a bar on a terminal (silent otherwise)."""
    if not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def isatty() -> bool:
    return sys.stdout.isatty()


def print_suggestions(out: Console, name: str, title: str, suggestions: list) -> None:
    """`alliance suggest`: each suggestion with its kind, fields, quote and the facts it updates."""
    from facts.suggest.render import fields_line, label

    out.print(plain(f"{len(suggestions)} suggestion{'s' if len(suggestions) != 1 else ''} from {name}: {title}", HEAD))
    for number, s in enumerate(suggestions, 1):
        line = Text(f"{number:3}. ")
        line.append(label(s), style=KIND)
        line.append(plain(f"  {s.id}", DIM))
        out.print(line)
        out.print(plain("     " + fields_line(s)))
        out.print(plain(f'     "{" ".join(s.quote.split())}"', DIM))
        for why in s.why:
            out.print(plain("     " + why, WARN))
        if s.new:
            out.print(plain("     needs new: " + ", ".join(n.id for n in s.new), DIM))
