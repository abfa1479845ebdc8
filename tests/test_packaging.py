"""A plain install (the wheel) is a working command with its bundled corpus, independent of the repo."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

AMPR = "001_eeb87b223eca0c5a.txt"
PACKAGES = ("facts", "search", "tui")


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "--disable-pip-version-check", "-q", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (built,) = out.glob("alliance-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """The wheel installed into a folder of its own; (site folder, environment, working folder)."""
    base = tmp_path_factory.mktemp("installed")
    site = base / "site"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index",
                           "--disable-pip-version-check", "-q", "--target", str(site), str(wheel)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    cwd = base / "elsewhere"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR")}
    env.update(PYTHONPATH=str(site), ALLIANCE_CACHE_DIR=str(base / "cache"), PYTHONDONTWRITEBYTECODE="1")
    return site, env, cwd


def run(installed, *args: str) -> subprocess.CompletedProcess:
    _site, env, cwd = installed
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def test_the_wheel_holds_the_code_and_the_corpus(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    articles = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert len(articles) == 5
    for name in articles:
        assert f"seeds/{name}" in names, name
    assert "seeds/metadata.yaml" in names
    fact_files = sorted(p.name for p in (ROOT / "facts").glob("*.yaml"))
    assert len(fact_files) >= 10
    for name in fact_files:
        assert f"facts/{name}" in names, name
    for package in PACKAGES:
        assert f"{package}/__init__.py" in names
        for module in (ROOT / package).glob("*.py"):
            assert f"{package}/{module.name}" in names, module
    assert "tui/__main__.py" in names
    assert not [n for n in names if n.startswith(("tests/", ".venv/", "bench/", ".git/"))]
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "alliance = tui.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    # the corpus in the wheel is byte for byte the bundled one
    with zipfile.ZipFile(wheel) as zf:
        for name in articles:
            assert zf.read(f"seeds/{name}") == (ROOT / "seeds" / name).read_bytes()


def test_the_installed_code_is_used_not_the_repo(installed):
    site = installed[0]
    proc = run(installed, "-c", "import facts, search, tui, facts.corpus as c; "
                                "print(facts.__file__); print(search.__file__); print(tui.__file__); "
                                "print(c.bundled_root())")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    for line in lines[:3]:
        assert Path(line).resolve().is_relative_to(site.resolve()), line
    assert Path(lines[3]).resolve() == site.resolve()
    assert not Path(lines[0]).resolve().is_relative_to(ROOT)


def test_the_installed_command_searches_and_shows(installed):
    site = installed[0]
    before = tree_digest(site)
    proc = run(installed, "-m", "tui", "search", "AmpR Small")
    assert proc.returncode == 0, proc.stderr
    assert "1. [platform] AmpR Small" in proc.stdout and AMPR in proc.stdout
    assert "Traceback" not in proc.stderr

    proc = run(installed, "-m", "tui", "show", "nissan")
    assert proc.returncode == 0, proc.stderr
    assert "Makoto Uchida: CEO of Nissan" in proc.stdout and f"[{AMPR}]" in proc.stdout

    proc = run(installed, "-m", "tui", "check")
    assert proc.returncode == 0 and " 0 errors" in proc.stdout

    proc = run(installed, "-m", "tui", "index")
    assert proc.returncode == 0 and "up to date" in proc.stdout
    index_line = proc.stdout.strip().splitlines()[-1]
    index_dir = Path(index_line.split("Index: ", 1)[1])
    assert index_dir.is_relative_to(Path(installed[1]["ALLIANCE_CACHE_DIR"]))
    assert tree_digest(site) == before, "the installed package (and its corpus) is never written to"
    assert list(installed[2].iterdir()) == []


def test_the_console_script(installed):
    site, env, cwd = installed
    script = site / "bin" / "alliance"
    assert script.is_file()
    proc = subprocess.run([sys.executable, str(script), "--version"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("alliance ")


def test_ci_runs_the_readme_test_command_and_the_layer_contracts():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert f"    {ci}\n" in readme, "the README's test command and .ci/run are the same"
    assert "lint-imports" in ci and "ruff check" in ci


def test_the_layer_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "2 kept, 0 broken" in done.stdout
