"""Shared helpers of the benchmark: statistics, timing, child processes, paths."""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV_BIN = REPO / ".venv" / "bin"


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between closest ranks."""
    ordered = sorted(samples)
    if not ordered:
        return math.nan
    at = (len(ordered) - 1) * q / 100
    low, high = math.floor(at), math.ceil(at)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def summary(samples: Sequence[float]) -> dict:
    """Median, p95 and max of a list of samples, with their count."""
    if not samples:
        return {"n": 0, "median": None, "p95": None, "max": None}
    return {"n": len(samples), "median": percentile(samples, 50), "p95": percentile(samples, 95),
            "max": max(samples)}


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def repeat(fn: Callable[[], object], runs: int) -> list[float]:
    """Seconds of `runs` calls of `fn`."""
    return [timed(fn)[0] for _ in range(runs)]


class StageClock:
    """A progress callback (stage, done, total) noting when each stage is first and last reported.

    `stages()` gives each stage's own span and, as "before <stage>", the time since the
    previous stage ended: work no progress is reported for (reading files, loading YAML).
    """

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.marks: dict[str, list[float]] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        self.marks.setdefault(stage, [now, now])[1] = now

    def stages(self, finished: float | None = None) -> dict[str, float]:
        out, previous = {}, self.started
        for stage, (first, last) in self.marks.items():
            out[f"before {stage}"] = first - previous
            out[stage] = last - first
            previous = last
        out["after the last stage"] = (finished or time.perf_counter()) - previous
        return out


def slowest(stages: dict[str, float]) -> str:
    """The longest entry of StageClock.stages(), as text."""
    name, seconds = max(stages.items(), key=lambda item: item[1])
    return f"{name}: {seconds:.1f} s"


def self_peak_rss_mb() -> float:
    """This process's own peak resident set size, in MB.

    On Linux, VmHWM of /proc/self/status: ru_maxrss is no good there, as it keeps the peak of
    the process that spawned this one (Linux carries it over fork and exec), so a child of a
    400 MB bench reports 400 MB whatever it uses itself. Elsewhere ru_maxrss (KiB on Linux,
    bytes on macOS)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_json_child(script: str, args: Sequence[str], out: Path, env: dict, timeout: float) -> dict:
    """Run `python bench/<script> ... OUT` and return the JSON it wrote to OUT.

    The child's own stderr is passed through; a failure raises with its exit code.
    """
    command = [sys.executable, str(BENCH / script), *map(str, args), str(out)]
    done = subprocess.run(command, env=env, timeout=timeout, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"{script} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def dir_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6
