"""The benchmark suite: index build, updates, queries against FTS5, the CLI and the app.

    python bench/run.py [--bundled] [--articles N ...] [--seed S] [--out FILE] [--keep] [--reuse-index]

For each corpus (the bundled one, and generated ones of N articles, cached under
bench/corpora/<N>-<seed>/) it measures, in a fresh temporary index folder and cache:
(a) a full build in a subprocess, (b) incremental updates, (c) opening the index,
(d) query latency by category, (e) the same queries on SQLite FTS5, (f) one-shot
`alliance search` against `rg`, (g-h) the app's cold start and typing latency in a
headless subprocess, (i) peak memory. It prints a table with the targets and writes
JSON (merged with an earlier file of the same commit, so columns accumulate).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import BENCH, REPO, VENV_BIN, dir_size_mb, repeat, run_json_child, summary, write_json

CORPORA = BENCH / "corpora"
CLI_RUNS = 10
APP_RUNS = 5
OPEN_RUNS = 10
WORD = "battery"  # the one-shot command's query, and rg's pattern
TYPED = ["ampere battery chemistry", "nissan partnership"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- environment ----------------------------------------------------------------------------


def ensure_project_python() -> None:
    """Re-run under the project's venv when the alliance packages are not importable here."""
    try:
        import search.kb  # noqa: F401
    except ImportError:
        python = VENV_BIN / "python"
        if python.exists() and Path(sys.prefix).resolve() != VENV_BIN.parent.resolve():
            os.execv(str(python), [str(python), *sys.argv])
        raise


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
    return done.stdout.strip()


def cache_bytecode() -> str:
    """Compile the project's modules once, as a user's first run does, so that every timed
    process reads cached bytecode as a user's later runs do. Where PYTHONDONTWRITEBYTECODE is
    set (this machine sets it), nothing else would ever write it, and each process would compile
    our ~40 modules from source again (~60 ms of the one-shot command)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    packages = [str(REPO / name) for name in ("facts", "search", "tui")]
    done = subprocess.run([sys.executable, "-m", "compileall", "-q", *packages], env=env, check=False,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode:
        return f"not cached (compileall failed: {done.stderr.decode(errors='replace')[-200:]})"
    return "cached (compiled once before the runs, as a user's first run does)"


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((line.split()[1] for line in _read("/proc/meminfo").splitlines() if line.startswith("MemTotal")), "0")
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gb": round(int(mem) / 1048576, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "load_average_at_start": os.getloadavg()}


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


# -- corpora ----------------------------------------------------------------------------------


def generator_stamp(articles: int, seed: int) -> str:
    """What a cached corpus was made from: size, seed, the generator and the bundled facts."""
    digest = hashlib.sha1(f"{articles}:{seed}".encode())
    for path in [BENCH / "gen.py", BENCH / "words.txt", *sorted((REPO / "facts").glob("*.yaml"))]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def generated_corpus(articles: int, seed: int) -> Path:
    """bench/corpora/<N>-<seed>/, generated unless an up-to-date copy is there."""
    import gen
    import incremental

    root = CORPORA / f"{articles}-{seed}"
    stamp = generator_stamp(articles, seed)
    stamp_file = root / ".generator"
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        incremental.remove_probe(root)
        return root
    log(f"generating {articles} articles (seed {seed}) ...")
    building = CORPORA / f".building-{articles}-{seed}"
    gen.generate(building, articles, seed)
    (building / ".generator").write_text(stamp)
    shutil.rmtree(root, ignore_errors=True)
    shutil.rmtree(saved_index(root), ignore_errors=True)
    os.replace(building, root)
    return root


def bundled_copy(work: Path) -> Path:
    """A copy of the bundled corpus (the updates benchmark adds a file to it)."""
    from facts.corpus import bundled_root

    root = bundled_root()
    dest = work / "corpus"
    shutil.copytree(root / "seeds", dest / "seeds")
    (dest / "facts").mkdir()
    for path in (root / "facts").glob("*.yaml"):
        shutil.copy2(path, dest / "facts" / path.name)
    return dest


INDEX_HOME: Path | None = None  # --index-home


def saved_index(corpus: Path) -> Path:
    """Where --reuse-index keeps a generated corpus's index (beside it, or in --index-home)."""
    return (INDEX_HOME or corpus.parent) / (corpus.name + ".index")


# -- the measurements ----------------------------------------------------------------------------


def measure_build(corpus: Path, index: Path, env: dict, work: Path) -> dict:
    """(a) A full build in a child process: its wall time, stages and peak RSS."""
    started = time.perf_counter()
    result = run_json_child("child_build.py", [corpus, index], work / "build.json", env, timeout=7200)
    result["process_seconds"] = time.perf_counter() - started
    result["index_mb"] = dir_size_mb(index)
    return result


def reusable_index(corpus: Path) -> Path | None:
    """The saved index of a corpus if it is there and current."""
    from facts.corpus import Corpus
    from search.kb import KnowledgeBase

    path = saved_index(corpus)
    if path.is_dir() and KnowledgeBase(Corpus.open(corpus), path).is_current():
        return path
    return None


def measure_open(corpus: Path, index: Path) -> dict:
    """(c) KnowledgeBase + ensure() (nothing changed) + first engine(), median of 10."""
    from facts.corpus import Corpus
    from search.kb import KnowledgeBase

    def open_once() -> None:
        kb = KnowledgeBase(Corpus.open(corpus), index)
        kb.ensure()
        kb.engine()
        kb.close()

    return summary(repeat(open_once, OPEN_RUNS))


def measure_fts(kb, ours: dict) -> dict:
    """(e) The same documents and queries on SQLite FTS5; our p95 as a multiple of FTS5's."""
    from fts import FtsIndex, documents
    from queries import CATEGORIES, time_queries

    rows = list(documents(kb))
    index = FtsIndex()
    out: dict = {"documents": len(rows), "build_seconds": index.build(rows), "queries": {}, "ratio": {}}
    for category, queries in CATEGORIES.items():
        timing = time_queries(index.search, queries)
        out["queries"][category] = timing
        if ours.get(category, {}).get("p95") and timing["p95"]:
            out["ratio"][category] = ours[category]["p95"] / timing["p95"]
    out["note"] = ("FTS5 has no spelling correction (typos run as typed and find nothing); filters are "
                   "WHERE clauses on unindexed columns; malformed queries run as alliance reads them")
    index.close()
    return out


def time_process(command: list[str], env: dict, runs: int = CLI_RUNS) -> dict:
    """Wall time of a whole process (stdout to a pipe), median of `runs` after a warm-up."""
    def once() -> subprocess.CompletedProcess:
        return subprocess.run(command, env=env, capture_output=True, timeout=600)

    first = once()
    result = summary(repeat(once, runs))
    result.update(command=" ".join(command), exit=first.returncode, output_lines=first.stdout.count(b"\n"))
    if first.returncode not in (0, 1):
        result["stderr"] = first.stderr.decode(errors="replace")[-500:]
    return result


def measure_cli(corpus: Path, index: Path, env: dict) -> dict:
    """(f) `alliance search WORD` as one process, and rg (or grep) over the same files."""
    alliance = VENV_BIN / "alliance"
    command = [str(alliance)] if alliance.exists() else [sys.executable, "-m", "tui"]
    # --no-library: the index was built for the corpus alone (with the user's library it would be rebuilt)
    out = {"alliance": time_process([*command, "search", WORD, "--corpus", str(corpus), "--index-dir", str(index),
                                     "--no-library"], env)}
    rg = shutil.which("rg")
    grep = [rg, "-i", WORD] if rg else ["grep", "-ri", WORD]
    out["grep"] = time_process([*grep, str(corpus / "seeds")], env)
    out["grep"]["tool"] = "rg" if rg else "grep -ri (ripgrep is not installed)"
    return out


def measure_app(corpus: Path, index: Path, env: dict, work: Path) -> dict:
    """(g, h, i) Cold start, typing latency, UI freeze and peak RSS of the app, 5 fresh processes."""
    runs = []
    for n in range(APP_RUNS):
        out = work / f"app-{n}.json"
        runs.append(run_json_child("child_app.py", [time.time(), corpus, index, json.dumps(TYPED)],
                                   out, env, timeout=1800))
    keystrokes = [s for run in runs for s in run["latencies"]]
    searches = [s for run in runs for s in run["search_seconds"]]
    return {
        "first_paint": summary([r["first_paint"] for r in runs if r["first_paint"] is not None]),
        "panes_filled": summary([r["panes_filled"] for r in runs if r["panes_filled"] is not None]),
        "imported": summary([r["imported"] for r in runs]),
        "keystroke": summary(keystrokes),
        "keystroke_search": summary(searches),
        "timeouts": sum(r["timeouts"] for r in runs),
        "ui_freeze": summary([r["ui_freeze"] for r in runs]),
        "ui_freeze_cpu": summary([r["ui_freeze_cpu"] for r in runs]),
        "fast_ui_freeze": summary([r["fast_ui_freeze"] for r in runs]),
        "fast_ui_freeze_cpu": summary([r["fast_ui_freeze_cpu"] for r in runs]),
        "echo": summary([e for r in runs for e in r["echoes"]]),
        "echo_searching": summary([e for r in runs for e, b in zip(r["echoes"], r["echo_busy"], strict=True) if b]),
        "echo_searching_cpu": summary([e for r in runs for e, b in zip(r["echoes_cpu"], r["echo_busy"], strict=True)
                                       if b]),
        "echo_while_searching_share": sum(b for r in runs for b in r["echo_busy"]) / max(1, sum(len(r["echoes"]) for r in runs)),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "app_rss_mb": max(r["app_rss_mb"] for r in runs),
        "search_process_rss_mb": max(r["search_process_rss_mb"] for r in runs),
        "freeze_cpu": " / ".join(f"{max(r[k] for r in runs) * 1000:.1f} ms" for k in ("ui_freeze_cpu", "fast_ui_freeze_cpu")),
        "rss_split": " / ".join(f"{max(r[k] for r in runs):.0f} MB" for k in ("app_rss_mb", "search_process_rss_mb")),
        "search_process": [r["search_process"] for r in runs],
        "typed": TYPED,
        "runs": runs,
    }


def measure_incremental(corpus: Path, index: Path, work: Path) -> dict:
    """(b) Updates after one article is added, changed and removed, and a cited one changed and
    put back, on copies of the corpus and of the index."""
    import incremental

    from facts.corpus import Corpus
    from search.kb import KnowledgeBase

    corpus_copy, index_copy = incremental.copies(corpus, index, work)
    kb = KnowledgeBase(Corpus.open(corpus_copy), index_copy)
    try:
        return incremental.measure(kb)
    finally:
        kb.close()


def phase(results: dict, key: str, label: str, fn: Callable[[], object]) -> None:
    """Run one measurement; record its result, or the error that stopped it."""
    log(f"  {label} ...")
    started = time.perf_counter()
    try:
        results[key] = fn()
    except Exception as exc:  # one broken phase must not lose the others
        results[key] = {"error": f"{type(exc).__name__}: {exc}"}
        log(f"  {label} FAILED: {results[key]['error']}")
    log(f"  {label}: {time.perf_counter() - started:.1f} s")


def measure_corpus(corpus: Path, label: str, args, work: Path, env: dict) -> dict:
    """Every measurement on one corpus."""
    import queries

    from facts.corpus import Corpus
    from search.kb import KnowledgeBase

    results: dict = {"corpus": {"path": str(corpus)}}
    index = reusable_index(corpus) if args.reuse_index and label != "bundled" else None
    if index is not None:
        results["build"] = {"skipped": f"reused {index}"}
        log(f"  reusing the index at {index}")
    else:
        index = work / "index"
        phase(results, "build", "a. full build", lambda: measure_build(corpus, index, env, work))
        if args.reuse_index and label != "bundled" and "error" not in results["build"]:
            shutil.rmtree(saved_index(corpus), ignore_errors=True)
            shutil.copytree(index, saved_index(corpus))
    kb = KnowledgeBase(Corpus.open(corpus), index)
    kb.ensure()
    counts = kb.manifest.get("counts", {})
    results["corpus"].update(counts, summary=f"{counts.get('articles', 0):,} / {counts.get('facts', 0):,}")
    def run(key: str, label: str, fn: Callable[[], object]) -> None:
        if not args.only or key in args.only:
            phase(results, key, label, fn)

    run("open", "c. index open", lambda: measure_open(corpus, index))
    run("queries", "d. queries", lambda: queries.measure_ours(kb))
    run("highlight", "d. highlight", lambda: queries.measure_highlight(kb))
    run("fts", "e. FTS5", lambda: measure_fts(kb, results.get("queries", {})))
    kb.close()
    run("cli", "f. one-shot CLI", lambda: measure_cli(corpus, index, env))
    run("app", "g/h. app", lambda: measure_app(corpus, index, env, work))
    run("incremental", "b. updates", lambda: measure_incremental(corpus, index, work))
    app, fts = results.get("app", {}), results.get("fts", {}).get("queries", {}).get("plain", {})
    if app.get("keystroke", {}).get("p95") and fts.get("p95"):
        app["keystroke_to_fts"] = app["keystroke"]["p95"] / fts["p95"]
        app["freeze_to_fts"] = app["ui_freeze"]["max"] / fts["p95"]  # the worst run judged
        app["freeze_median_to_fts"] = app["ui_freeze"]["median"] / fts["p95"]
    return results


# -- the run ----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, action="append", default=[], metavar="N",
                        help="a generated corpus of N articles (repeatable)")
    parser.add_argument("--bundled", action="store_true", help="the bundled 5-article corpus")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated corpora (default 1)")
    parser.add_argument("--out", type=Path, help="JSON file (default bench/out/results-<commit>.json)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (indexes, child output)")
    parser.add_argument("--reuse-index", action="store_true",
                        help="keep each generated corpus's index beside it and skip the build when it is current")
    parser.add_argument("--index-home", type=Path, metavar="DIR",
                        help="with --reuse-index, keep the indexes in DIR rather than beside the corpora "
                             "(a branch whose index format differs builds its own)")
    parser.add_argument("--only", action="append", default=[], metavar="PHASE",
                        choices=["open", "queries", "highlight", "fts", "cli", "app", "incremental"],
                        help="run only this phase (repeatable; fts needs queries); the build runs when needed")
    args = parser.parse_args(argv)
    if not args.bundled and not args.articles:
        parser.error("nothing to measure: give --bundled and/or --articles N")
    if args.index_home is not None and not args.reuse_index:
        parser.error("--index-home goes with --reuse-index")
    return args


def merged(path: Path, doc: dict) -> tuple[dict, list[str]]:
    """`doc` with the corpora of an earlier file of the same commit and tree state added."""
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return doc, []
    if (old.get("commit"), old.get("dirty")) != (doc["commit"], doc["dirty"]):
        return doc, []
    earlier = [label for label in old.get("corpora", {}) if label not in doc["corpora"]]
    corpora = {**old.get("corpora", {}), **doc["corpora"]}
    ordered = dict(sorted(corpora.items(), key=lambda item: -1 if item[0] == "bundled" else int(item[0])))
    return {**doc, "corpora": ordered}, earlier


def main(argv: list[str] | None = None) -> int:
    ensure_project_python()
    args = parse_args(argv)
    global INDEX_HOME
    INDEX_HOME = args.index_home
    if INDEX_HOME is not None:
        INDEX_HOME.mkdir(parents=True, exist_ok=True)
    import report

    started = time.perf_counter()
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    work_root = Path(tempfile.mkdtemp(prefix="alliance-bench-"))
    env = {**os.environ, "ALLIANCE_CACHE_DIR": str(work_root / "cache"), "NO_COLOR": "1"}
    os.environ["ALLIANCE_CACHE_DIR"] = env["ALLIANCE_CACHE_DIR"]  # never the user's cache
    changed = git("status", "--porcelain").splitlines()
    doc = {"commit": commit, "dirty": bool(changed), "changed_files": changed, "machine": machine(),
           "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "argv": sys.argv[1:], "corpora": {}}
    doc["machine"]["bytecode"] = cache_bytecode()
    try:
        specs = (["bundled"] if args.bundled else []) + [str(n) for n in args.articles]
        for label in specs:
            log(f"[{label}]")
            work = work_root / label
            work.mkdir(parents=True)
            corpus = bundled_copy(work) if label == "bundled" else generated_corpus(int(label), args.seed)
            doc["corpora"][label] = measure_corpus(corpus, label, args, work, env)
    finally:
        if args.keep:
            log(f"kept {work_root}")
        else:
            shutil.rmtree(work_root, ignore_errors=True)
    doc["seconds"] = time.perf_counter() - started
    doc["machine"]["load_average_at_end"] = os.getloadavg()
    out = args.out or BENCH / "out" / f"results-{commit}.json"
    doc, earlier = merged(out, doc)
    doc["targets"] = report.verdicts(doc["corpora"])
    write_json(out, doc)
    print(f"alliance benchmark · commit {commit}{' (dirty tree)' if doc['dirty'] else ''} · "
          f"{doc['machine']['nproc']} cores · Python {doc['machine']['python']} · {doc['timestamp']}")
    print(f"bytecode: {doc['machine']['bytecode']}")
    if earlier:
        print(f"(columns {', '.join(earlier)} are from an earlier run of the same commit in {out})")
    print(report.table(doc["corpora"]))
    missed = report.failures(doc["corpora"])
    print("\nTargets missed:" if missed else "\nAll targets met.")
    for line in missed:
        print(f"  {line}")
    print(f"\nResults: {out} · this run took {doc['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
