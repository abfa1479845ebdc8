"""The quick YAML reader gives exactly what the full loader gives: values, types, lines, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from facts import yamlfile
from facts.yamlfile import Located, LocatedList, YamlError, load_text, load_text_fully

ROOT = Path(__file__).resolve().parent.parent


def _same(a: object, b: object, where: str = "") -> None:
    assert type(a) is type(b), where
    if isinstance(a, Located):
        assert (a.line, a.key_lines, list(a)) == (b.line, b.key_lines, list(b)), where
        for key in a:
            _same(a[key], b[key], f"{where}/{key}")
    elif isinstance(a, LocatedList):
        assert (a.line, a.item_lines, len(a)) == (b.line, b.item_lines, len(b)), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


def _outcome(load, text: str) -> tuple:
    try:
        return ("value", load(text))
    except YamlError as exc:
        return ("error", exc.message, exc.line)


PLAIN = [
    "",
    "# only a comment\n",
    "just text\n",
    "- 1\n- -2\n- 0x1f\n- 1_000\n- 3.5\n- .inf\n- -.NaN_no\n- 1e3\n- 6.02e+23\n",
    "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: False\ng: ~\nh: null\ni:\nj: ''\nk: \"\"\n",
    "when: 2024-03-01\nstamp: 2001-12-14t21:59:43.10-05:00\nnot: 2024-3-1x\nquoted: '2024-03-01'\n",
    "n: '12'\nm: \"3.5\"\nbig: 123456789012345678901234567890\noctal: 0o17\nold: 017\nsexa: 190:20:30\n",
    "text: |\n  two\n  lines\nfolded: >\n  one\n  line\nkeep: |+\n  x\n\nstrip: >-\n  y\n",
    "flow: {a: 1, b: [x, 'y', \"z\"]}\nempty: {}\nnone: []\n",
    "- id: f1\n  sources:\n    - article: a.txt\n      quote: \"Renault, Nissan: «alliance» – 2023\"\n  tags: [ev, battery]\n",
    "1: one\n2.5: two\nfalse: three\n'quoted key': 4\n",
    "anchor: &a plain\nother: value\n",
    "? explicit key\n: its value\n",
    "%YAML 1.1\n---\na: 1\n...\n",
    "---\n- 日本\n- Škoda\n- \"\\u00e9\\t\\x41\"\n- 'it''s'\n",
]

UNUSUAL = [
    "a: !!str 12\n",
    "a: !custom x\n",
    "base: &b {x: 1}\ncopy: *b\n",
    "<<: {a: 1}\nb: 2\n",
    "'<<': 1\n",
    "a: 1\na: 2\n",
    "? [a, b]\n: complex\n",
    "? 2024-01-01\n: date key\n",
    "? ~\n: null key\n",
    "--- 1\n--- 2\n",
    "a: [1, 2\n",
    "a: b: c\n",
    "- x\nkey: y\n",
    "val: =\n",
    "bad: 2024-13-45\n",
    "[" * 70 + "]" * 70 + "\n",
    "a:\n" + "".join(" " * (2 * i) + f"- k{i}:\n" for i in range(1, 70)),
]


@pytest.mark.parametrize("text", PLAIN + UNUSUAL)
def test_same_as_the_full_loader(text: str) -> None:
    quick, full = _outcome(load_text, text), _outcome(load_text_fully, text)
    assert quick[0] == full[0]
    if quick[0] == "value":
        _same(quick[1], full[1])
    else:
        assert quick == full


@pytest.mark.parametrize("text", PLAIN)
def test_plain_yaml_is_read_quickly(text: str) -> None:
    """The quick reader takes plain files itself (else nothing is gained)."""
    _same(yamlfile._quick(text), load_text_fully(text))


@pytest.mark.parametrize("text", UNUSUAL)
def test_unusual_yaml_goes_to_the_full_loader(text: str) -> None:
    with pytest.raises(yamlfile._Unusual):
        yamlfile._quick(text)


def test_refusals_keep_their_messages() -> None:
    with pytest.raises(YamlError) as alias:
        load_text("base: &b [1]\ncopy: *b\n")
    assert alias.value.line == 2 and "aliases (*b)" in alias.value.message and "line 1" in alias.value.message
    with pytest.raises(YamlError) as twice:
        load_text("a: 1\nb: 2\na: 3\n")
    assert twice.value.line == 3 and "first on line 1" in twice.value.message
    with pytest.raises(YamlError) as deep:
        load_text("[" * 100 + "]" * 100)
    assert deep.value.line == 1 and "64 levels" in deep.value.message


@pytest.mark.parametrize("value", ["2024-13-45", "2024-02-30", "2001-12-14t21:59:43.10-25:00"])
def test_a_date_that_does_not_exist_is_an_error_with_its_line(value: str) -> None:
    """It looked like a date to YAML, and used to crash every command that read the file."""
    with pytest.raises(YamlError) as error:
        load_text(f"- id: x\n  date: {value}\n")
    assert error.value.line == 2 and value in error.value.message and "not a real date" in error.value.message


def test_every_bundled_yaml_file_reads_the_same() -> None:
    files = sorted((ROOT / "facts").glob("*.yaml")) + sorted((ROOT / "seeds").glob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        _same(yamlfile._quick(text), load_text_fully(text), path.name)
