"""The results table: one row per metric, one column per corpus, and the targets.

Every time is stored in seconds and every size in MB; a row knows where its value is
in a corpus's results, how to print it and, if it has one, its target.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from queries import CATEGORIES

BUNDLED = "bundled"


@dataclass(frozen=True)
class Target:
    """A goal for a row: `text` for the table, `ok(value, corpus_label)` to check it."""

    text: str
    ok: Callable[[object, str], bool]


def at_most(limit: float, key: str | None = None) -> Callable[[object, str], bool]:
    """A check that the value (or its `key`, for summaries) is at most `limit`."""
    def ok(value, _label: str) -> bool:
        number = value[key] if key else value
        return number is not None and number <= limit
    return ok


def cli_ok(value, label: str) -> bool:
    return value is not None and value <= 0.3


@dataclass(frozen=True)
class Row:
    """One metric: a label, a dotted path into a corpus's results, a format and a target."""

    label: str
    path: str
    unit: str  # s, ms, mb, ratio, spread (median / p95 / max in ms), spread2 (median / p95), text
    target: Target | None = None


NO_FTS_EQUIVALENT = ("typo",)  # FTS5 cannot correct typos: its time is for finding nothing


def _query_rows() -> list[Row]:
    rows = []
    for cat in CATEGORIES:
        comparable = cat not in NO_FTS_EQUIVALENT
        rows += [
            Row(f"query {cat}: med / p95 / max", f"queries.{cat}", "spread"),
            Row(f"  FTS5 {cat}: med / p95" + ("" if comparable else " (0 hits: no correction)"),
                f"fts.queries.{cat}", "spread2"),
            Row(f"  {cat}: our p95 ÷ FTS5 p95" + ("" if comparable else " (no target)"), f"fts.ratio.{cat}",
                "ratio", (Target("≤ 10×", at_most(10.0)) if cat == "phrase" else Target("≤ 5×", at_most(5.0)))
                if comparable else None),
        ]
    return rows


SECTIONS: list[tuple[str, list[Row]]] = [
    ("Corpus", [
        Row("articles / facts", "corpus.summary", "text"),
    ]),
    ("a. Full index build (subprocess)", [
        Row("ensure(rebuild=True)", "build.seconds", "s", Target("≤ 60 s", at_most(60.0))),
        Row("whole process (with imports)", "build.process_seconds", "s"),
        Row("slowest stage", "build.slowest_stage", "text"),
        Row("index size on disk", "build.index_mb", "mb"),
    ]),
    ("b. Incremental update (Report.seconds)", [
        Row("one article added", "incremental.added.seconds", "s"),
        Row("one article changed", "incremental.changed.seconds", "s", Target("≤ 0.5 s", at_most(0.5))),
        Row("  new word found after the change", "incremental.changed.found", "text"),
        Row("  slowest stage of the change (kb.ensure)", "incremental.changed.slowest_stage", "text"),
        Row("one article removed", "incremental.removed.seconds", "s"),
        Row("one cited article changed (its quotes move)", "incremental.cited_changed.seconds", "s",
            Target("≤ 0.5 s", at_most(0.5))),
        Row("  and changed back", "incremental.cited_restored.seconds", "s"),
        Row("nothing changed: start-up check, median", "incremental.check.median", "ms",
            Target("≤ 30 ms", at_most(0.03))),
        Row("nothing changed: kb.ensure() wall, median", "incremental.kb_ensure.median", "ms"),
        Row("Indexer.is_current(), median", "incremental.is_current.median", "ms"),
    ]),
    ("c. Index open", [
        Row("KnowledgeBase + ensure() + engine(), median", "open.median", "ms"),
    ]),
    ("d/e. Query latency, kb.search(q, limit=20), warm", [
        *_query_rows(),
        Row("highlight spans, top 10 hits: med / p95", "highlight.spans", "spread2"),
        Row("  whole search, limit=10: med / p95", "highlight.search", "spread2"),
        Row("FTS5 build (insert + commit, in memory)", "fts.build_seconds", "s"),
    ]),
    ("f. One-shot command (process wall, median of 10)", [
        Row("alliance search battery", "cli.alliance.median", "s",
            Target("≤ 0.3 s", cli_ok)),
        Row("rg -i battery seeds/", "cli.grep.median", "s"),
    ]),
    ("g/h/i. App, headless 80x24 (subprocess, 5 runs)", [
        Row("cold start → first paint, median", "app.first_paint.median", "s", Target("≤ 0.6 s", at_most(0.6))),
        Row("cold start → panes filled, median", "app.panes_filled.median", "s"),
        Row("keystroke → results: med / p95 / max", "app.keystroke", "spread"),
        Row("  of which the search (Results.seconds)", "app.keystroke_search", "spread"),
        Row("  keystroke p95 ÷ FTS5 plain p95", "app.keystroke_to_fts", "ratio", Target("≤ 3×", at_most(3.0))),
        Row("  keystrokes that timed out (10 s)", "app.timeouts", "text"),
        Row("UI freeze while typing (longest gap between 10 ms ticks, worst run)", "app.ui_freeze.max", "ms"),
        Row("  UI freeze ÷ FTS5 plain p95 (the worst of the runs)", "app.freeze_to_fts", "ratio",
            Target("≤ 1×", at_most(1.0))),
        Row("  the median run's longest gap ÷ FTS5 plain p95", "app.freeze_median_to_fts", "ratio"),
        Row("typed fast (a key / 30 ms): key echo while searching", "app.echo_searching", "spread",
            Target("p95 ≤ 16 ms", at_most(0.016, "p95"))),
        Row("  of which this process was running", "app.echo_searching_cpu", "spread"),
        Row("  key echo, every key", "app.echo", "spread", Target("p95 ≤ 16 ms", at_most(0.016, "p95"))),
        Row("  UI freeze while typing fast", "app.fast_ui_freeze.max", "ms"),
        Row("UI freeze, running part (CPU of the app process in a gap): waiting / fast", "app.freeze_cpu", "text"),
        Row("app peak RSS after typing (app + search process)", "app.peak_rss_mb", "mb",
            Target("≤ 200 MB", at_most(200.0))),
        Row("  of which the app / the search process", "app.rss_split", "text"),
        Row("build peak RSS", "build.peak_rss_mb", "mb", Target("≤ 250 MB", at_most(250.0))),
    ]),
]


def lookup(result: dict, path: str):
    """The value at a dotted path, or None (an "error" on the way is returned as text)."""
    node = result
    for part in path.split("."):
        if isinstance(node, dict) and "error" in node and part not in node:
            return f"error: {node['error']}"[:40]
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value * 1000:.1f}"


def render(value, unit: str) -> str:
    """A value as printed in the table."""
    if value is None:
        return "–"
    if isinstance(value, str) or unit == "text":
        return str(value)
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value * 1000:.1f} ms"
    if unit == "mb":
        return f"{value:.0f} MB"
    if unit == "ratio":
        return f"{value:.1f}×"
    if unit == "spread" and value.get("n") == 0:
        return "none (each search ended before the next key)"
    if unit == "spread":
        return f"{_ms(value['median'])} / {_ms(value['p95'])} / {_ms(value['max'])} ms"
    if unit == "spread2":
        return f"{_ms(value['median'])} / {_ms(value['p95'])} ms"
    raise ValueError(unit)


def check(row: Row, value, label: str) -> bool | None:
    """Whether a value meets its row's target (None: no target or no value)."""
    if row.target is None or value is None or isinstance(value, str):
        return None
    if isinstance(value, dict) and value.get("n") == 0:  # nothing to judge (no key came during a search)
        return None
    return row.target.ok(value, label)


def cell(row: Row, value, label: str) -> str:
    verdict = check(row, value, label)
    mark = "" if verdict is None else (" ✓" if verdict else " ✗")
    return render(value, row.unit) + mark


def table(corpora: dict[str, dict]) -> str:
    """The whole table as text: sections of rows, a column per corpus, then the target."""
    labels = list(corpora)
    lines: list[list[str]] = [["metric", *(_column_title(label) for label in labels), "target"]]
    for title, rows in SECTIONS:
        lines.append([f"[{title}]", *[""] * len(labels), ""])
        for row in rows:
            cells = [cell(row, lookup(corpora[label], row.path), label) for label in labels]
            lines.append([row.label, *cells, row.target.text if row.target else ""])
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip())
        if n == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def _column_title(label: str) -> str:
    return label if label == BUNDLED else f"{int(label):,} articles"


def verdicts(corpora: dict[str, dict]) -> list[dict]:
    """Every (row, corpus) with a target: its value and whether it is met."""
    out = []
    for _title, rows in SECTIONS:
        for row in rows:
            if row.target is None:
                continue
            for label, result in corpora.items():
                value = lookup(result, row.path)
                out.append({"metric": row.label.strip(), "corpus": label, "target": row.target.text,
                            "value": value, "shown": render(value, row.unit), "ok": check(row, value, label)})
    return out


def failures(corpora: dict[str, dict]) -> list[str]:
    """Lines naming each target that is missed."""
    return [f"{v['corpus']}: {v['metric']} = {v['shown']} (target {v['target']})"
            for v in verdicts(corpora) if v["ok"] is False]
