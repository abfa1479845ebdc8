"""Hostile corpus files never win: YAML bombs, huge or deep YAML, links out of the corpus,
unreadable folders, and one broken file burying its cause under knock-on problems.

The end-to-end cases run the real command in a subprocess with a memory cap, so that a
regression fails the test (MemoryError, timeout) instead of taking the machine down.
"""

from __future__ import annotations

import itertools
import os
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from facts.base import load
from facts.corpus import Corpus
from facts.problems import causes_first, error_summary
from facts.yamlfile import MAX_YAML_BYTES, YamlError, load_text

from .conftest import write
from .test_cli import base_env

ARTICLE = "001_eeb87b223eca0c5a.txt"


def bomb(levels: str = "abcdefghi") -> str:
    """The 'billion laughs' in YAML: 9 anchors, each a list of 9 aliases of the one before."""
    lines = ["xa: &xa [" + ", ".join(["lol"] * 9) + "]"]
    for previous, name in itertools.pairwise(levels):
        lines.append(f"x{name}: &x{name} [" + ", ".join([f"*x{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def run(corpus: Path, *args: str, cache: Path, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """`alliance <args> --corpus <corpus>` in a process limited to 2 GiB and 60 s."""
    command = args[0]
    return subprocess.run([*prefix, sys.executable, "-m", "tui", command, "--corpus", str(corpus), *args[1:]],
                          env=base_env(cache, NO_COLOR="1"), capture_output=True, text=True, encoding="utf-8",
                          timeout=60, preexec_fn=_limit_memory, cwd=cache)


@pytest.fixture
def cache(tmp_path) -> Path:
    path = tmp_path / "cache"
    path.mkdir()
    return path


def _no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-2000:]


# -- YAML -----------------------------------------------------------------------------------

def test_an_alias_is_refused_at_its_own_line():
    with pytest.raises(YamlError) as caught:
        load_text(bomb() + "companies: [*xi]\n")
    assert caught.value.line == 2  # the first alias, *xa on line 2
    assert caught.value.message == ("YAML aliases (*xa) are not allowed (the anchor &xa is on line 1); "
                                    "write the value out in full")


@pytest.mark.parametrize("text, line", [
    ("base: &b {type: automaker}\ncompanies:\n  - <<: *b\n    id: x\n", 3),  # merge keys are aliases too
    ("companies:\n  - id: x\n    aliases: *nowhere\n", 3),  # an alias of no anchor
])
def test_every_alias_is_refused(text, line):
    with pytest.raises(YamlError, match=r"YAML aliases \(\*\w+\) are not allowed") as caught:
        load_text(text)
    assert caught.value.line == line


def test_an_anchor_alone_is_harmless_and_allowed():
    assert load_text("companies:\n  - &first {id: x}\n") == {"companies": [{"id": "x"}]}


@pytest.mark.parametrize("depth", [100, 100_000])
@pytest.mark.parametrize("shape", ["[{}]", "{{a: {}}}", "block"])
def test_deep_nesting_is_refused_not_a_recursion_error(shape, depth):
    if shape == "block":
        text = "companies:\n" + "".join(" " * (2 * i) + "-\n" for i in range(1, min(depth, 5000)))
    else:
        opening, closing = shape.split("{}")
        text = "companies: " + opening * depth + closing * depth
    with pytest.raises(YamlError, match=r"nested more than 64 levels deep|exceeded maximum nesting depth") as caught:
        load_text(text)
    assert caught.value.line == (65 if shape == "block" else 1)  # where the 65th level opens
    if depth == 100:  # under libyaml's own limit: ours is the one that counts
        assert "nested more than 64 levels deep" in caught.value.message


def test_nesting_a_fact_file_needs_is_fine():
    assert load_text("a: " + "[" * 60 + "1" + "]" * 60) is not None


# -- fact files and the sidecar, end to end -------------------------------------------------

FIELD_BOMB = ("companies:\n  - id: bomb-co\n    name: Bomb Co\n    type: automaker\n    aliases: *xi\n"
              "    sources: [{article: 001_eeb87b223eca0c5a.txt, quote: Nissan}]\n")


@pytest.mark.parametrize("where, text, message", [
    ("facts/bomb.yaml", bomb() + "companies: [*xi]\n", "facts/bomb.yaml:2: YAML aliases (*xa) are not allowed"),
    ("facts/bomb.yaml", "events: []\n" + bomb() + FIELD_BOMB, "facts/bomb.yaml:3: YAML aliases (*xa) are not allowed"),
    ("seeds/metadata.yaml", bomb() + f"{ARTICLE}: {{title: *xi}}\n",
     "seeds/metadata.yaml:2: YAML aliases (*xa) are not allowed"),
], ids=["section", "field", "sidecar"])
def test_an_alias_bomb_is_one_message_and_the_rest_loads(corpus_dir, cache, where, text, message):
    expected = len(load(Corpus.open(corpus_dir)).facts)
    write(corpus_dir / where, text)
    loaded = load(Corpus.open(corpus_dir))
    assert [str(p) for p in loaded.errors][:1] and str(loaded.errors[0]).startswith(message)
    assert len(loaded.errors) == 1 and len(loaded.facts) == expected

    proc = run(corpus_dir, "check", cache=cache)
    _no_traceback(proc)
    assert proc.returncode == 2 and proc.stdout.startswith(message), proc.stdout[:500]  # errors come first
    assert f"{expected} facts" in proc.stdout

    proc = run(corpus_dir, "search", "AmpR Small", cache=cache)
    _no_traceback(proc)
    assert proc.returncode == 0 and "AmpR Small" in proc.stdout
    assert f"warning: the corpus has 1 problem (first: {message}" in proc.stderr


def test_a_fact_file_over_the_limit_is_refused_without_being_read(corpus_dir, cache):
    big = corpus_dir / "facts" / "big.yaml"
    with open(big, "wb") as handle:  # 50 MB, sparse: the size is what counts
        handle.truncate(50_000_000)
    sidecar = corpus_dir / "seeds" / "metadata.yaml"
    with open(sidecar, "ab") as handle:
        handle.truncate(MAX_YAML_BYTES + 1)
    loaded = load(Corpus.open(corpus_dir))
    messages = [str(p) for p in loaded.errors]
    assert "facts/big.yaml: too large (47.7 MiB; YAML files are limited to 2.0 MiB)" in messages
    assert "seeds/metadata.yaml: too large (2.0 MiB; YAML files are limited to 2.0 MiB)" in messages
    assert len(loaded.facts) > 100
    proc = run(corpus_dir, "check", cache=cache)
    _no_traceback(proc)
    assert proc.returncode == 2 and "facts/big.yaml: too large (47.7 MiB" in proc.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_never_opened(corpus_dir, cache):
    os.mkfifo(corpus_dir / "facts" / "pipe.yaml")
    os.mkfifo(corpus_dir / "seeds" / "pipe.txt")
    proc = run(corpus_dir, "check", cache=cache)  # opening either for reading would block for ever
    _no_traceback(proc)
    assert "facts/pipe.yaml: warning: not read: not a regular file" in proc.stdout
    assert "seeds/pipe.txt: warning: not read: not a regular file" in proc.stdout
    assert proc.returncode == 0


# -- one broken file: the cause first, what follows from it in one line ----------------------

def _break_companies(corpus: Path) -> None:
    path = corpus / "facts" / "companies.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[11] = lines[11].rstrip("\n") + " : : [\n"
    write(path, "".join(lines))


def test_a_yaml_error_is_the_cause_of_what_refers_into_its_file(corpus_dir):
    _break_companies(corpus_dir)
    loaded = load(Corpus.open(corpus_dir))
    own, following = causes_first(loaded.errors)
    assert [str(p) for p in own] == [
        "facts/companies.yaml:12: YAML syntax error: mapping values are not allowed in this context"]
    cause = "facts in facts/companies.yaml, which could not be read"
    assert len(loaded.errors) > 50 and {p.cause for p in loaded.errors[1:]} == {cause}
    files = len({p.file for p in loaded.errors[1:]})
    assert following == [f"… and {len(loaded.errors) - 1} facts in {files} files are left out because they "
                         f"depend on {cause}"]
    assert error_summary(loaded.problems).startswith(
        "1 problem (first: facts/companies.yaml:12: YAML syntax error: mapping values are not allowed in this "
        f"context), which leaves out {len(loaded.errors) - 1} more facts")
    # a direct reference names the file; a fact that refers to a fact left out says so
    messages = [p.message for p in loaded.errors]
    assert any(re.fullmatch(r"party '[a-z0-9-]+' is in facts/companies.yaml, which could not be read, "
                            r"so partnership '[a-z0-9-]+' is left out", m) for m in messages)


def test_check_leads_with_the_cause_and_verbose_lists_the_rest(corpus_dir, cache):
    _break_companies(corpus_dir)
    proc = run(corpus_dir, "check", cache=cache)
    _no_traceback(proc)
    lines = proc.stdout.splitlines()
    assert proc.returncode == 2
    assert lines[0] == "facts/companies.yaml:12: YAML syntax error: mapping values are not allowed in this context"
    assert re.fullmatch(r"… and (\d+) facts in (\d+) files are left out because they depend on facts in "
                        r"facts/companies.yaml, which could not be read \(--verbose lists them\)", lines[1])
    left_out = int(re.match(r"… and (\d+)", lines[1]).group(1))
    assert len(lines) == 3 and re.search(rf": 1 error \({left_out} more facts left out because of it\), ", lines[2])

    verbose = run(corpus_dir, "check", "--verbose", cache=cache)
    assert verbose.returncode == 2 and len(verbose.stdout.splitlines()) == left_out + 3
    assert "is in facts/companies.yaml, which could not be read, so" in verbose.stdout

    proc = run(corpus_dir, "search", "AmpR Small", cache=cache)
    assert ("warning: the corpus has 1 problem (first: facts/companies.yaml:12: YAML syntax error: "
            f"mapping values are not allowed in this context), which leaves out {left_out} more facts; "
            "run 'alliance check' for all.") in " ".join(proc.stderr.split())


def test_an_unreadable_article_is_the_cause_of_the_facts_citing_only_it(corpus_dir):
    write(corpus_dir / "seeds" / ARTICLE, b"\x00\x01binary")
    loaded = load(Corpus.open(corpus_dir))
    own, following = causes_first(loaded.errors)
    assert [p.file for p in own] == [f"seeds/{ARTICLE}"]
    assert following and all(f"seeds/{ARTICLE}, which could not be read" in line for line in following)


# -- symbolic links and folders ---------------------------------------------------------------

def test_links_out_of_the_corpus_are_not_followed(corpus_dir, cache, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\nzanzibarsecret\n", encoding="utf-8")
    assert run(corpus_dir, "index", cache=cache).returncode == 0  # the links come in an update
    (corpus_dir / "seeds" / "994_passwd.txt").symlink_to(secret)
    (corpus_dir / "facts" / "passwd.yaml").symlink_to(secret)
    (corpus_dir / "seeds" / "metadata.yaml").unlink()
    (corpus_dir / "seeds" / "metadata.yaml").symlink_to(secret)
    corpus = Corpus.open(corpus_dir)
    loaded = load(corpus)
    warnings = [str(p) for p in loaded.problems]
    for name in ("seeds/994_passwd.txt", "facts/passwd.yaml", "seeds/metadata.yaml"):
        assert f"{name}: warning: not read: a symbolic link to {secret}, outside the corpus" in warnings
    assert "994_passwd.txt" not in loaded.articles
    with pytest.raises(Exception, match="outside the corpus"):
        corpus.article("994_passwd.txt")

    proc = run(corpus_dir, "search", "zanzibarsecret", cache=cache)
    _no_traceback(proc)
    assert proc.returncode == 1 and "root:x" not in proc.stdout + proc.stderr
    proc = run(corpus_dir, "check", cache=cache)
    assert "seeds/994_passwd.txt: warning: not read: a symbolic link to" in proc.stdout


def test_links_within_the_corpus_are_followed(corpus_dir, cache):
    (corpus_dir / "kept").mkdir()
    shutil.move(corpus_dir / "seeds" / ARTICLE, corpus_dir / "kept" / ARTICLE)
    (corpus_dir / "seeds" / ARTICLE).symlink_to(Path("..") / "kept" / ARTICLE)
    shutil.move(corpus_dir / "facts" / "people.yaml", corpus_dir / "kept" / "people.yaml")
    (corpus_dir / "facts" / "people.yaml").symlink_to(corpus_dir / "kept" / "people.yaml")
    loaded = load(Corpus.open(corpus_dir))
    assert loaded.problems == [] and ARTICLE in loaded.articles and "makoto-uchida" in loaded.facts.facts
    proc = run(corpus_dir, "search", "AmpR Small", cache=cache)
    assert proc.returncode == 0 and ARTICLE in proc.stdout


def test_loops_folders_and_links_to_folders_get_a_message(corpus_dir, cache):
    seeds, facts = corpus_dir / "seeds", corpus_dir / "facts"
    (seeds / "loop.txt").symlink_to("loop.txt")
    (seeds / "folder.txt").symlink_to(Path("..") / "facts")
    (seeds / "old").mkdir()
    (facts / "loop.yaml").symlink_to("loop.yaml")
    (facts / "again").symlink_to(Path(".."))  # would walk the corpus for ever
    (facts / "more").mkdir()
    write(facts / "more" / "x.yaml", "companies:\n  - id: [\n")
    messages = [str(p) for p in load(Corpus.open(corpus_dir)).problems]
    assert "seeds/loop.txt: warning: not read: a symbolic link that loops" in messages
    assert "facts/loop.yaml: warning: not read: a symbolic link that loops" in messages
    assert ("seeds/folder.txt: warning: not read: a symbolic link to a folder (links to folders are not followed)"
            in messages)
    assert ("facts/again: warning: not read: a symbolic link to a folder (links to folders are not followed)"
            in messages)
    assert ("seeds/old: warning: not read: a folder (files are read from seeds/ itself, not from sub-folders)"
            in messages)
    assert any(m.startswith("facts/more/x.yaml:3: YAML syntax error") for m in messages)  # sub-folders of facts/ are read
    proc = run(corpus_dir, "search", "AmpR Small", cache=cache)
    _no_traceback(proc)
    assert proc.returncode == 0


def test_seeds_that_is_a_file_is_one_clear_problem(corpus_dir, cache):
    shutil.rmtree(corpus_dir / "seeds")
    write(corpus_dir / "seeds", "not a folder")
    proc = run(corpus_dir, "check", cache=cache)
    _no_traceback(proc)
    lines = proc.stdout.splitlines()
    assert proc.returncode == 2 and lines[0] == "seeds: not a folder: the corpus has no articles"
    assert len(lines) == 3 and lines[1].startswith("… and ") and lines[1].endswith(
        "are left out because they depend on articles, and the corpus has none that can be read (--verbose lists them)")


def _without_file_permissions() -> tuple[str, ...] | None:
    """A prefix that runs a command without the power to read what its mode forbids, or None."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = (setpriv, "--bounding-set", "-dac_override,-dac_read_search")
    probe = subprocess.run([*prefix, sys.executable, "-c", "pass"], capture_output=True)
    return prefix if probe.returncode == 0 else None


@pytest.mark.parametrize("target, message", [
    ("seeds", "seeds: cannot read the folder: Permission denied"),
    ("facts/companies.yaml", "facts/companies.yaml: cannot read: Permission denied"),
    (f"seeds/{ARTICLE}", f"seeds/{ARTICLE}: cannot read: Permission denied"),
])
def test_unreadable_files_and_folders_are_messages_not_tracebacks(corpus_dir, cache, target, message):
    prefix = _without_file_permissions()
    if prefix is None:
        pytest.skip("cannot drop the permission to read anything (root without setpriv)")
    path = corpus_dir / target
    path.chmod(0)
    try:
        for command in ("check", "index"):
            proc = run(corpus_dir, command, cache=cache, prefix=prefix)
            _no_traceback(proc)
            assert message in proc.stdout + proc.stderr, (proc.stdout[:800], proc.stderr[-800:])
        assert run(corpus_dir, "check", cache=cache, prefix=prefix).returncode == 2
    finally:
        path.chmod(0o755)


def test_a_huge_field_is_refused_with_its_line(corpus_dir):
    write(corpus_dir / "facts" / "long.yaml", (
        "companies:\n"
        "  - id: long-name\n"
        f"    name: {'N' * 5000}\n"
        "    type: automaker\n"
        f"    aliases: [ok, {'A' * 3000}]\n"
        f"    sources: [{{article: {ARTICLE}, quote: {'Q' * 2500}}}]\n"))
    messages = [str(p) for p in load(Corpus.open(corpus_dir)).errors]
    assert messages == [
        "facts/long.yaml:3: 'name' of company 'long-name' is 5,000 characters long; the limit is 2,000",
        "facts/long.yaml:5: an item of 'aliases' of company 'long-name' is 3,000 characters long; the limit is 2,000",
        "facts/long.yaml:6: 'quote' of a source of company 'long-name' is 2,500 characters long; the limit is 2,000",
    ]


def test_references_into_a_file_that_cannot_be_read_at_all_follow_from_it(corpus_dir):
    path = corpus_dir / "facts" / "companies.yaml"
    with open(path, "ab") as handle:  # too large to read: its ids are not known
        handle.truncate(MAX_YAML_BYTES + 1)
    loaded = load(Corpus.open(corpus_dir))
    own, following = causes_first(loaded.errors)
    assert [str(p) for p in own] == ["facts/companies.yaml: too large (2.0 MiB; YAML files are limited to 2.0 MiB)"]
    assert len(following) == 1 and following[0].endswith(
        "are left out because they depend on facts that may be in facts/companies.yaml, which could not be read")


def test_thousands_of_disagreeing_facts_cost_a_few_warnings_not_one_per_pair(corpus_dir):
    stakes = "".join(
        f"  - id: hostile-stake-{i}\n    holder: renault-group\n    target: nissan\n    percent: {i % 1000 + 0.5}\n"
        f"    status: current\n    sources: [{{article: 003_3476ec60bf69c91f.txt, quote: \"stake to 15%\"}}]\n"
        for i in range(3000))
    write(corpus_dir / "facts" / "many.yaml", "stakes:\n" + stakes)
    loaded = load(Corpus.open(corpus_dir))
    assert len([f for f in loaded.facts.facts if f.startswith("hostile-stake-")]) == 3000
    disagree = [p for p in loaded.problems if p.file == "facts/many.yaml"]
    assert 20 <= len(disagree) <= 21, len(disagree)  # 4.5 million pairs; 20 shown and one line for the rest
    assert disagree[-1].message.startswith("… and more stake facts about the same thing as")


def test_the_library_folder_follows_the_same_rules(corpus_dir, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("zanzibarsecret\n", encoding="utf-8")
    library = tmp_path / "library"
    (library / "seeds").mkdir(parents=True)
    (library / "facts").mkdir()
    (library / "seeds" / "900_leak.txt").symlink_to(secret)
    write(library / "facts" / "bomb.yaml", bomb() + "companies: [*xi]\n")
    loaded = load(Corpus.open(corpus_dir, library=library))
    messages = [str(p) for p in loaded.problems]
    assert f"library/seeds/900_leak.txt: warning: not read: a symbolic link to {secret}, outside the corpus" in messages
    assert any(m.startswith("library/facts/bomb.yaml:2: YAML aliases (*xa) are not allowed") for m in messages)
    assert "900_leak.txt" not in loaded.articles
