"""Untrusted text is made safe; quotes match with whitespace, quote marks and dashes folded."""

import json
import os

from facts.text import (
    QuoteFinder,
    has_undecodable,
    json_text,
    normalize,
    one_line,
    safe_for_terminal,
    sanitize,
)


def test_sanitize_strips_terminal_sequences():
    nasty = (
        "Title\x1b[31m red\x1b[0m\n"
        "\x1b]0;pwned title\x07after osc\n"
        "\x1b]52;c;ZXZpbA==\x1b\\clipboard\n"
        "\x1bP+q544e\x1b\\dcs\n"
        "bell\x07 back\x08space nul\x00 del\x7f c1\x9b2J bidi\u202eevil\n"
        "crlf\r\nline\rend"
    )
    clean = sanitize(nasty)
    assert "\x1b" not in clean and "\x07" not in clean and "\x9b" not in clean
    assert "\u202e" not in clean and "\x00" not in clean and "\r" not in clean
    assert "Title red" in clean
    assert "after osc" in clean and "pwned" not in clean
    assert "clipboard" in clean and "ZXZpbA" not in clean
    assert clean.endswith("crlf\nline\nend")


def test_sanitize_keeps_ordinary_text_and_markup_characters():
    text = "Scénic – “quoted” [bold]not markup[/bold] [@click=app.quit]x\tTab"
    assert sanitize(text) == text


def test_safe_for_terminal_shows_every_control_as_a_visible_escape():
    name = "101_name_\x1b]52;c;SGVsbG8=\x07\x1b[2J_\x9b31m.txt"
    assert safe_for_terminal(name) == "101_name_\\x1b]52;c;SGVsbG8=\\x07\\x1b[2J_\\u009b31m.txt"
    undecodable = os.fsdecode(b"102_bad_\x9b.txt")  # a byte that is not UTF-8, as os.listdir gives it
    assert has_undecodable(undecodable) and not has_undecodable(name)
    assert safe_for_terminal(undecodable) == "102_bad_\\x9b.txt"
    assert safe_for_terminal("a\u202eb\x00c\x7fd\re") == "a\\u202eb\\x00c\\x7fd\\x0de"
    text = "Scénic – “quoted” [bold]x[/bold]\tTab\nline"
    assert safe_for_terminal(text) == text
    for nasty in (name, undecodable):
        safe = safe_for_terminal(nasty)
        safe.encode("utf-8")  # always valid UTF-8
        assert safe_for_terminal(safe) == safe


def test_json_text_escapes_controls_and_surrogates_and_keeps_other_text():
    data = {"name": "101_\x1b[2J_\x9b.txt", "query": os.fsdecode(b"ren\xe9ault"), "title": "Scénic “E-Tech”\u2028"}
    text = json_text(data, indent=2)
    assert json.loads(text) == data
    text.encode("utf-8")
    assert "\\u001b" in text and "\\u009b" in text and "\\udce9" in text and "\\u2028" in text
    assert "Scénic “E-Tech”" in text
    assert not any(0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF or (ord(c) < 0x20 and c != "\n") for c in text)


def test_quote_finder_folds_whitespace_quotes_and_dashes():
    text = "Ampere is based in France \u2013 where else? \u2013 and\n\nsaid \u201cSDV\u201d came up. Nissan\u2019s stake."
    finder = QuoteFinder(text)
    start, end = finder.find('France - where   else? - and said "SDV"')
    assert text[start:end] == "France \u2013 where else? \u2013 and\n\nsaid \u201cSDV\u201d"
    assert finder.find("Nissan's stake") is not None
    assert finder.find("nissan's stake") is None  # case still matters
    assert finder.find("") is None
    assert finder.find("not in the text") is None


def test_normalize_and_one_line():
    assert normalize("  a \n\t b  ") == "a b"
    assert one_line("a\n b   c") == "a b c"
    assert one_line("abcdefghij", 5) == "abcd…"
