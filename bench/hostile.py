"""Hostile corpora: run `alliance check` and `alliance search` on copies of the bundled
corpus with one hostile file each, and print time, exit status and the first lines.

    .venv/bin/python bench/hostile.py [OUT_DIR] [--only TEXT] [--timeout S] [--code DIR]

Each run is limited to 3 GiB of memory and `--timeout` seconds (default 60), so a
regression (an alias bomb expanding, a FIFO blocking) shows as MemoryError or "timeout"
instead of taking the machine down. `--code DIR` runs another checkout's code (for a
before/after table) on the same corpora. The permission cases need root and `setpriv`:
they drop the capability to read past file modes rather than switching user.
Run by hand; the same cases are tests in tests/test_hostile_files.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARTICLE = "001_eeb87b223eca0c5a.txt"


def bomb() -> str:
    lines = ["xa: &xa [" + ", ".join(["lol"] * 9) + "]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"x{name}: &x{name} [" + ", ".join([f"*x{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _copy(out: Path, name: str) -> Path:
    root = out / name
    if root.exists():
        subprocess.run(["chmod", "-R", "u+rwx", str(root)], check=False)
        shutil.rmtree(root)
    shutil.copytree(REPO / "seeds", root / "seeds")
    (root / "facts").mkdir()
    for path in (REPO / "facts").glob("*.yaml"):
        shutil.copy2(path, root / "facts" / path.name)
    return root


def _big(path: Path, size: int) -> None:
    record = ("  - id: big-{i}\n    name: Big {i}\n    type: automaker\n    sources:\n"
              f"      - article: {ARTICLE}\n        quote: \"Nissan\"\n")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("companies:\n")
        i = 0
        while handle.tell() < size:
            handle.write(record.format(i=i))
            i += 1


def _syntax_error(root: Path) -> None:
    path = root / "facts" / "companies.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[11] = lines[11].rstrip("\n") + " : : [\n"
    path.write_text("".join(lines), encoding="utf-8")


def cases(out: Path) -> dict[str, tuple[Path, bool]]:
    """label -> (corpus, needs dropped read permissions)."""
    made: dict[str, tuple[Path, bool]] = {}

    def case(label: str, name: str, make, restricted: bool = False) -> None:
        root = _copy(out, name)
        make(root)
        made[label] = (root, restricted)

    field_bomb = ("companies:\n  - id: bomb-co\n    name: Bomb Co\n    type: automaker\n    aliases: *xi\n"
                  f"    sources: [{{article: {ARTICLE}, quote: Nissan}}]\n")
    case("alias bomb in a section", "bomb-section",
         lambda r: (r / "facts/bomb.yaml").write_text(bomb() + "companies: [*xi]\n"))
    case("alias bomb in a field", "bomb-field",
         lambda r: (r / "facts/bomb.yaml").write_text("events: []\n" + bomb() + field_bomb))
    case("alias bomb in metadata.yaml", "bomb-sidecar",
         lambda r: (r / "seeds/metadata.yaml").write_text(bomb() + f"{ARTICLE}: {{title: *xi}}\n"))
    case("50 MB fact file", "big", lambda r: _big(r / "facts/big.yaml", 50_000_000))
    case("100,000-deep nesting", "deep",
         lambda r: (r / "facts/deep.yaml").write_text("companies: " + "[" * 100_000 + "]" * 100_000 + "\n"))
    case("YAML syntax error in companies.yaml:12", "syntax", _syntax_error)
    case("seeds/994_passwd.txt -> /etc/passwd", "passwd",
         lambda r: (r / "seeds/994_passwd.txt").symlink_to("/etc/passwd"))
    case("facts/passwd.yaml -> /etc/passwd", "fact-link",
         lambda r: (r / "facts/passwd.yaml").symlink_to("/etc/passwd"))
    case("link loop seeds/loop.txt + facts/sub -> ..", "loop",
         lambda r: ((r / "seeds/loop.txt").symlink_to("loop.txt"), (r / "facts/sub").symlink_to("..")))
    case("seeds/share.txt -> /usr/share (a folder)", "dir-link",
         lambda r: (r / "seeds/share.txt").symlink_to("/usr/share"))
    case("seeds/zero.txt -> /dev/zero", "zero", lambda r: (r / "seeds/zero.txt").symlink_to("/dev/zero"))
    case("FIFO facts/pipe.yaml", "fifo", lambda r: os.mkfifo(r / "facts/pipe.yaml"))
    case("seeds is a file", "seeds-file",
         lambda r: (shutil.rmtree(r / "seeds"), (r / "seeds").write_text("x")))
    case("seeds chmod 000", "seeds-000", lambda r: os.chmod(r / "seeds", 0), restricted=True)
    case("facts/companies.yaml chmod 000", "facts-000",
         lambda r: os.chmod(r / "facts/companies.yaml", 0), restricted=True)
    return made


def run(args: list[str], cache: Path, code: Path | None, restricted: bool, timeout: float):
    env = dict(os.environ, ALLIANCE_CACHE_DIR=str(cache), NO_COLOR="1")
    if code is not None:
        env["PYTHONPATH"] = str(code)
    command = ["bash", "-c", 'ulimit -v 3000000; exec "$@"', "-", sys.executable, "-m", "tui", *args]
    if restricted:
        command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *command]
    started = time.perf_counter()
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env,
                              cwd=str(code or REPO))
        status, output = str(proc.returncode), proc.stdout + proc.stderr
    except subprocess.TimeoutExpired:
        status, output = "timeout", ""
    return time.perf_counter() - started, status, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, help="where to make the corpora (default: a temporary folder)")
    parser.add_argument("--only", help="only the cases whose label contains this")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--code", type=Path, help="a checkout whose code to run (default: this one)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="alliance-hostile-"))
    out.mkdir(parents=True, exist_ok=True)
    can_restrict = os.geteuid() == 0 and shutil.which("setpriv") is not None
    for label, (root, restricted) in cases(out).items():
        if args.only and args.only not in label:
            continue
        if restricted and not can_restrict:
            print(f"## {label}: skipped (needs root and setpriv)")
            continue
        cache = out / "cache" / root.name
        cache.mkdir(parents=True, exist_ok=True)
        for command in (["check"], ["search", "root"]):
            seconds, status, output = run([command[0], "--corpus", str(root), *command[1:]], cache,
                                          args.code, restricted, args.timeout)
            lines = [line for line in output.splitlines() if line.strip()]
            print(f"## {label} :: {command[0]}: {seconds:.1f} s, exit {status}, {len(lines)} lines"
                  f"{', TRACEBACK' if 'Traceback' in output else ''}")
            for line in lines[:2] + (lines[-1:] if len(lines) > 2 else []):
                print(f"   {line[:200]}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
