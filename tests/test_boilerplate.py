"""Boilerplate rules: general patterns, checked on the bundled articles and on unseen pages."""

from pathlib import Path

import pytest

from facts.articles import read_article
from facts.boilerplate import clean

from .conftest import ROOT

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _article(prefix: str):
    path = next(p for p in SEEDS if p.name.startswith(prefix))
    return read_article(path)[0]


@pytest.mark.parametrize("line", [
    "Connect with us", "top of page", "bottom of page", "Search", "Hi, what are you looking for?",
    "Related Posts", "Read also", "You May Also Like", "Source link -87",
])
def test_bundled_boilerplate_lines_are_gone_from_reading_text(line):
    texts = [_article(p.name[:3]).text for p in SEEDS]
    assert all(line not in text.split("\n") for text in texts)
    raws = [_article(p.name[:3]).raw for p in SEEDS]
    assert any(line in raw for raw in raws), "the raw text keeps it"


def test_reuters_copyright_and_wordmark_removed_but_report_credit_kept():
    article = _article("002")
    assert "Thomson Reuters shall not be liable" not in article.text
    assert "\nReuters\n" not in f"\n{article.text}\n"
    assert "(Report by Gilles Guillaume, edited by Jean-Stéphane Brosse)" in article.text
    # "Read also" is only a link marker: the paragraph after it is the article going on.
    assert "Relations between Europe and China, its largest economic partner" in article.text


def test_teasers_after_you_may_also_like_are_removed():
    article = _article("003")
    assert "scary fast" not in article.text
    assert "Introduction In today" not in article.text
    assert article.text.endswith("as it paves its path forward.")


def test_unseen_page_with_other_boilerplate():
    raw = "\n".join([
        "Skip to content", "Menu", "", "Carmakers rethink batteries", "", "By Jane Doe", "",
        "LFP cells are cheaper than NMC cells.", "", "Share on Twitter", "",
        "Read more", "Battery prices fall again", "",
        "The shift will take years, analysts said.", "",
        "Recommended for you", "Why EV sales slowed in Q3...", "Ten charging myths busted…", "",
        "Copyright 2025 Example Media. All rights reserved.",
    ])
    text = clean(raw).text
    assert text.split("\n\n") == [
        "Carmakers rethink batteries", "By Jane Doe", "LFP cells are cheaper than NMC cells.",
        "The shift will take years, analysts said.",
    ]


def test_related_block_ends_at_real_paragraph():
    raw = "Title\n\nFirst.\n\nRelated\nA linked headline\n\nThe article goes on with a full sentence here.\n"
    assert "The article goes on" in clean(raw).text
    assert "A linked headline" not in clean(raw).text


def test_a_sentence_mentioning_read_more_is_content():
    raw = "Title\n\nRead more about batteries in the article from last week.\n"
    assert "Read more about batteries" in clean(raw).text


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_offsets_map_both_ways(path: Path):
    article = read_article(path)[0]
    cleaned = article.cleaned
    for clean_start, raw_start, length in cleaned.segments:
        assert cleaned.text[clean_start:clean_start + length] == article.raw[raw_start:raw_start + length]
        assert cleaned.to_raw(clean_start) == raw_start
        assert cleaned.to_clean(raw_start) == clean_start
    for raw_start, raw_end, _reason in cleaned.removed:
        if article.raw[raw_start:raw_end].strip():
            assert cleaned.to_clean(raw_start + 1) is None


def test_span_across_removed_line_does_not_map():
    raw = "Para one ends here.\nSearch\nPara two starts here."
    cleaned = clean(raw)
    start = raw.index("ends")
    end = raw.index("two") + 3
    assert cleaned.span_to_clean(start, end) is None
    inside = raw.index("Para two"), raw.index("Para two") + len("Para two")
    a, b = cleaned.span_to_clean(*inside)
    assert cleaned.text[a:b] == "Para two"
