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


def _kept(raw: str) -> list[str]:
    return [line for line in clean(raw).text.split("\n") if line]


# Short lines of the kinds scrapers leave in pages (written for these tests or cut from the
# development set in bench/devset), each between two paragraphs of an article.
@pytest.mark.parametrize("line", [
    "5 min read", "Reading time: 4 minutes", "3 hours ago", "Updated 2 days ago",
    "Photo: Jane Roe/Getty Images", "(Photo, courtesy of Kia)", "[Images: Rivian, Volkswagen]",
    "A Volvo logo is seen at a dealership in Vienna, May 30, 2017. REUTERS/Heinz Bader",
    "The factory near West Point. (Photo courtesy of Kia)",
    "Early conceptual rendering of the battery cell plant in Tennessee.",
    "(Mr. He, left, and Mr. Brandstätter, pictured together. Photo from Weibo.)",
    "Sign up for daily news updates from Example on email. Or follow us on Google News!",
    "Become an Example insider. Get the latest news by subscribing to our newsletter.",
    "Start and end each day with the latest news delivered straight to your inbox.",
    "See also: Ford scales down its VW partnership", "Related: 10 joint ventures that made cars",
    "In related news, see: “Subaru could offer a plug-in hybrid”", "Read more: BYD opens a plant",
    "Continue reading…", "Or read this on BBC News", "Source: Read Full Article", "Source – Autocar",
    "#hybrid #ev", "Tags: Toyota, BYD", "full article...", "|||||||", "%MINIFYHTML4d18ae34%",
    "Your email address will not be published. Required fields are marked *",
    "You must be login to post a comment.", "What's Your Reaction?", "Inline Feedbacks",
    "Subscribe to Example World to continue reading", "Already a member?", "Categories:   Technology",
    '<image>data:image/s3,"s3://crabby-images/8a3c2/8a3c282b6e1549edde80af2e3e38feb56fc13599" alt="like"</image>', "![a car](https://example.com/car.jpg)",
    "https://www.example.com/articles/ford-jv-begins-battery-production/",
])
def test_scraper_lines_are_removed(line):
    raw = f"Headline here\n\nFirst paragraph of the story.\n\n{line}\n\nSecond paragraph of the story.\n"
    assert _kept(raw) == ["Headline here", "First paragraph of the story.", "Second paragraph of the story."]


@pytest.mark.parametrize("line", [
    "This move is seen as Stellantis' strategy to cement its foothold in China.",
    "Read more about the deal in the statement the two companies issued on Friday.",
    "Photos of the prototype were not released, the company said.",
    "Customers who subscribe to the service pay monthly, Rivian said.",
    "The source of the funds is a loan from the state bank.",
    "Related companies in the group will share the platform.",
    "Comments from analysts were mixed after the announcement.",
    "Volkswagen is seen at a crossroads, analysts say, after weak sales in China.",
    "Toyota has been working with Mazda since 2015 on hybrid systems.",
])
def test_body_lines_that_look_like_boilerplate_are_kept(line):
    raw = f"Headline here\n\nFirst paragraph of the story.\n\n{line}\n\nSecond paragraph of the story.\n"
    assert line in _kept(raw)


def test_scraper_labels_at_the_start_of_a_line_are_cut_off_and_mapped():
    raw = " date 2024-10-15 Stellantis has announced a partnership.\n\nCurrently reading: Toyota and Mazda team up\n"
    cleaned = clean(raw)
    assert cleaned.text == "Stellantis has announced a partnership.\n\nToyota and Mazda team up"
    start = raw.index("Stellantis")
    assert cleaned.to_clean(start) == 0 and cleaned.to_raw(0) == start
    assert cleaned.to_clean(raw.index("2024")) is None
    later = "Body.\n\nBody two.\n\nBody three.\n\nBody four.\n\nBody five.\n\ndate 2024-10-15 is in the text.\n"
    assert "date 2024-10-15 is in the text." in clean(later).text, "only the head of a page carries labels"


def test_read_our_review_teasers_are_removed():
    raw = "\n".join([
        "Headline here", "", "First paragraph of the story.", "", "Read our review", "Car review",
        "BMW's first electric SUV…", "", "Second paragraph of the story.",
    ])
    assert _kept(raw) == ["Headline here", "First paragraph of the story.", "Second paragraph of the story."]


def test_related_block_with_separators_and_summaries_is_removed():
    raw = "\n".join([
        "Headline here", "First paragraph of the story.", "RELATED CONTENT", "-",
        "Electrically Improving Powertrains", "Downsized engines can lack performance.", "-",
        "On Fuel Cells and Lucid Air", "A skateboard for fuel cells and what drivers think.", "-",
        "On Ford Maverick and GM's Factory Footprint",
    ])
    assert _kept(raw) == ["Headline here", "First paragraph of the story."]


def test_section_labels_under_the_headline_go_but_a_headline_ending_in_news_stays():
    raw = "Ford Shares Good News\nInternational Passenger Cars Vehicle News\nGM\n\nFord said so on Monday."
    assert _kept(raw) == ["Ford Shares Good News", "Ford said so on Monday."]
    assert _kept("Ford & VW\n\nThe two said so.") == ["Ford & VW", "The two said so."]


def test_a_late_subheading_named_discussion_does_not_end_the_article():
    raw = "Headline\n\nOne.\n\nTwo.\n\nDiscussion\n\nThree, the article goes on."
    assert _kept(raw)[-1] == "Three, the article goes on."


def test_comment_section_late_in_a_page_is_removed_with_its_dates():
    raw = "\n".join([
        "Headline here", "", "First paragraph of the story.", "", "Second paragraph of the story.", "",
        "Third paragraph.", "", "Comments", "", "John Smith", "March 3, 2021 at 4:12 pm",
        "Great article, thanks!", "", "Reply",
    ])
    assert _kept(raw) == [
        "Headline here", "First paragraph of the story.", "Second paragraph of the story.", "Third paragraph.",
    ]


def test_author_box_after_the_last_paragraph_is_removed():
    raw = "\n".join([
        "Headline here", "", "First paragraph of the story.", "", "Second paragraph of the story.", "",
        "Kevin Williams", "Kevin Williams", "", "Kevin has been obsessed with cars since he could walk.",
    ])
    assert _kept(raw) == ["Headline here", "First paragraph of the story.", "Second paragraph of the story."]
    raw = "Headline\n\nFirst paragraph.\n\nBecome an insider by subscribing to our newsletter.\n\nChris grew up around cars."
    assert _kept(raw) == ["Headline", "First paragraph."]
    ends = "Headline\n\nFirst paragraph.\n\nSecond paragraph.\n\nToyota is a partner of Mazda, he said."
    assert _kept(ends)[-1] == "Toyota is a partner of Mazda, he said.", "a last sentence is not a bio"


def test_a_long_repeated_headline_is_removed_but_a_repeated_sentence_is_kept():
    title = "Ford, SK On Make Significant Construction Progress at BlueOval SK Battery Park, On-Plan to Train Staff"
    raw = f"{title}\n-\n{title}\nFord and SK On have broken ground.\n\nFord and SK On have broken ground."
    assert _kept(raw) == [title, "Ford and SK On have broken ground.", "Ford and SK On have broken ground."]


def test_repeated_headline_and_bullet_copy_are_removed():
    raw = "Honda partners with GM\n\n  • Honda partners with GM\n\nHonda partners with GM\n\nGM and Honda said."
    assert _kept(raw) == ["Honda partners with GM", "GM and Honda said."]


@pytest.mark.parametrize("raw", [
    "!" * 2_000_000 + "a",
    "(" + "photo " * 10 + "x" * 2_000_000,
    "#a " * 600_000,
    "By " + "A" * 2_000_000,
    " date 2024-01-01 " + "May 1, " * 250_000,
    "Read more\n" * 200_000,
])
def test_cleaning_a_pathological_2_mib_text_is_linear(raw):
    # Quadratic backtracking on 2 MiB would take hours; a linear pass takes about a second.
    import time

    from facts.metadata import detect

    started = time.perf_counter()
    cleaned = clean(raw)
    detect("x.txt", cleaned.text, raw)
    assert time.perf_counter() - started < 30
