"""Untrusted text is made safe; quotes match with whitespace, quote marks and dashes folded."""

from facts.text import QuoteFinder, normalize, one_line, sanitize


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
