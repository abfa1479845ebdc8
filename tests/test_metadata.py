"""Article metadata: detected from the text, overridden by the sidecar, with dates marked as estimates."""

from facts.articles import read_article
from facts.corpus import Corpus
from facts.dates import DateError, PartialDate
from facts.metadata import Sidecar, detect

from .conftest import write


def test_detects_stated_date_title_and_byline():
    text = "My headline\n\nWritten by Daniel Andzhurov – February 08, 2022\n\nBody text here."
    meta = detect("x.txt", text, text)
    assert meta.title == "My headline"
    assert meta.date == PartialDate(2022, 2, 8) and not meta.date_estimated
    assert meta.author == "Daniel Andzhurov"
    assert "February 08, 2022" in meta.date_basis


def test_reuters_dateline_with_year_from_copyright_is_an_estimate():
    raw = "Headline\n\nPARIS, April 26 (Reuters) – Something happened.\n\n©2024 Thomson Reuters, all rights reserved."
    meta = detect("x.txt", raw.split("\n\n©")[0], raw)
    assert meta.publisher == "Reuters"
    assert meta.date == PartialDate(2024, 4, 26)
    assert meta.date_estimated and "©2024" in meta.date_basis
    assert meta.date_label == "~26 Apr 2024 (estimate)"


def test_other_date_forms_and_none():
    assert detect("x.txt", "T\n\n8 November 2022\n\nx", "").date == PartialDate(2022, 11, 8)
    assert detect("x.txt", "T\n\nPosted 2023-05-17 by staff\n\nx", "").date == PartialDate(2023, 5, 17)
    meta = detect("x.txt", "T\n\nNo date at all.", "")
    assert meta.date is None and meta.date_label == "unknown date"
    assert detect("x.txt", "T", "©2021 Some Media").date_label == "~2021 (estimate)"


def test_bundled_sidecar_fills_what_the_text_lacks():
    corpus = Corpus.open(None)
    one = corpus.article("001_eeb87b223eca0c5a.txt").meta
    assert one.publisher == "Auto Express" and one.date_estimated and one.date == PartialDate.parse("2024-11")
    assert "first anniversary" in one.date_basis
    two = corpus.article("002_2d0dbaa153dea599.txt").meta
    assert two.date == PartialDate(2024, 4, 26) and not two.date_estimated
    four = corpus.article("004_a208f5e158258118.txt").meta
    assert four.author == "Daniel Andzhurov" and four.publisher == "Auto Trendy"


def test_sidecar_problems_name_file_line_and_field(tmp_path):
    seeds = tmp_path / "seeds"
    write(seeds / "a.txt", "Headline\n\nJanuary 3, 2020\n\nBody.")
    write(seeds / "metadata.yaml", "a.txt:\n  publisher: Example\n  dat: 2020\n  date: 2020-13\nb.txt:\n  title: x\n")
    sidecar = Sidecar.load(seeds)
    assert [str(p) for p in sidecar.problems] == [
        "seeds/metadata.yaml:3: unknown field 'dat' for 'a.txt' (did you mean 'date'?)"
    ]
    meta, problems = sidecar.apply("a.txt", read_article(seeds / "a.txt")[0].meta)
    assert meta.publisher == "Example"
    assert meta.date == PartialDate(2020, 1, 3), "a bad override leaves the detected date"
    assert [str(p) for p in problems] == ["seeds/metadata.yaml:4: field 'date' of 'a.txt': month 13 is out of range in '2020-13'"]
    assert [str(p) for p in sidecar.check_names({"a.txt"})] == [
        "seeds/metadata.yaml:5: warning: no article named 'b.txt' (did you mean 'a.txt'?)"
    ]


def test_broken_sidecar_yaml_is_reported_and_detection_still_works(tmp_path):
    seeds = tmp_path / "seeds"
    write(seeds / "a.txt", "Headline\n\nJanuary 3, 2020\n\nBody.")
    write(seeds / "metadata.yaml", "a.txt: [unclosed\n")
    sidecar = Sidecar.load(seeds)
    assert len(sidecar.problems) == 1 and str(sidecar.problems[0]).startswith("seeds/metadata.yaml:")
    meta, _ = sidecar.apply("a.txt", read_article(seeds / "a.txt")[0].meta)
    assert meta.date == PartialDate(2020, 1, 3)


def test_partial_dates_parse_sort_and_reject():
    assert str(PartialDate.parse("2023-H2")) == "H2 2023"
    assert PartialDate.parse("H2 2023") == PartialDate.parse("2023-H2")
    assert PartialDate.parse(2026).iso == "2026"
    assert PartialDate.parse("2024-Q1") < PartialDate.parse("2024-04") < PartialDate.parse("2024-04-26")
    for bad in ("2023-H3", "2023-02-30", "soon", "23", True, 3.5):
        try:
            PartialDate.parse(bad)
        except DateError:
            continue
        raise AssertionError(f"{bad!r} was accepted")


def _meta(raw: str):
    from facts.boilerplate import clean

    return detect("some-file.txt", clean(raw).text, raw)


def test_headline_is_chosen_over_scraper_lines_captions_bullets_and_dates():
    cases = {
        "Currently reading: Toyota and Mazda form alliance\nTie-up covers EVs\n\nToyota and Mazda agreed.": "Toyota and Mazda form alliance",
        "News\nHyundai plans a new plant in Georgia\nHyundai plans to build it, it said.": "Hyundai plans a new plant in Georgia",
        "Get the latest tech news\nVW launches tie-up with Rivian\nThe firms share tech.": "VW launches tie-up with Rivian",
        "web analytics\nPhoto: Subaru\n\nSubaru may invest in EV venture\n\nSubaru's chief said so.": "Subaru may invest in EV venture",
        " date 2020-04-03 1 hour ago - Economy & Business\n\nGM and Honda team up on EVs\n\nJoann Muller\n\nGM said.": "GM and Honda team up on EVs",
        "MAY 21, 2022\nBy Jane Doe\n• A bullet point of the summary\nHyundai to build EV plant\nText.": "Hyundai to build EV plant",
        "Toyota and BYD join forces – Roadshow\n\nThe two will set up a venture.": "Toyota and BYD join forces",
        "Ford and VW expand their EV cooperation.\n\nThe Ford Motor Company and the Volkswagen Group are expanding.": "Ford and VW expand their EV cooperation.",
        "Volvo relaunches Polestar as EV brand [June 21, 2017] STOCKHOLM (Reuters) - Volvo said.": "Volvo relaunches Polestar as EV brand",
        "By Reuters News Service041\nBYD's new plant opens in Hungary\nBYD opened it.": "BYD's new plant opens in Hungary",
    }
    for raw, title in cases.items():
        meta = _meta(raw)
        assert meta.title == title, raw
        assert meta.origin["title"].startswith("headline")


def test_without_a_headline_the_title_is_the_first_sentence_shortened():
    raw = ("Volkswagen says it will invest up to $5bn in US electric vehicle maker Rivian to create a joint "
           "venture, increase its competitiveness and share technology. The tie-up comes as competition grows.")
    meta = _meta(raw)
    assert meta.title.startswith("Volkswagen says it will invest") and meta.title.endswith("…")
    assert len(meta.title) <= 91 and meta.origin["title"].startswith("first sentence")
    assert _meta("LAS VEGAS — If opposites attract, Sony and Honda may do well.").origin["title"].startswith("first")


def test_publication_date_from_stamp_date_line_byline_or_leading_date():
    cases = {
        " date 2024-10-15 October 14, 2024_ Stellantis has announced a partnership.": PartialDate(2024, 10, 15),
        " date 2020-04 (DETROIT) – GM is partnering with Honda.": PartialDate(2020, 4),
        "Hyundai to build EV plant\nGreen Car Congress\nMAY 21, 2022\nHyundai agreed with the State.": PartialDate(2022, 5, 21),
        "VW partners with Xpeng\n- ByStartupStory | November 12, 2025\nBeijing – VW has announced a deal.": PartialDate(2025, 11, 12),
        "27/07/2023 (China) - Volkswagen partnered with Xpeng to build new models.": PartialDate(2023, 7, 27),
        "Hyundai to build a plant\n\n5/21/2022 12:00:00 AM\nby Jane Doe, CNN\n\nGeorgia will be home to it.": PartialDate(2022, 5, 21),
        "Headline\n\nPublished: 3 March 2021\n\nText of the article.": PartialDate(2021, 3, 3),
    }
    for raw, date in cases.items():
        meta = _meta(raw)
        assert meta.date == date and not meta.date_estimated, raw
    assert _meta("Headline\n\n04/05/2021\n\nText.").date is None, "day and month could be swapped"


def test_event_caption_and_comment_dates_are_never_the_publication_date():
    traps = [
        # an event's date in the text
        "According to reports, Toyota and BYD set up a venture.\n\nThey signed the deal on November 7, 2019 in Beijing.",
        "VW partners with Xpeng\n\nVW joined hands with Xpeng.\n\nOn July 26, 2023, the group announced the deal.",
        "Kia plans second plant\n\nThe new rules were introduced on August 16, 2022, the report said.",
        # a photo caption's date
        "Banner Vehicles July 2019\n\nFord and VW expand ties.\n\nFord plans another model.",
        "Polestar goes electric\n\nA Volvo logo is seen at a dealer in Vienna, May 30, 2017. REUTERS/Heinz Bader\n\nVolvo said.",
        # a comment's date
        "Headline\n\nText one.\n\nText two.\n\nText three.\n\nComments\n\nJohn\nMarch 3, 2021 at 4:12 pm\nNice.",
    ]
    for raw in traps:
        meta = _meta(raw)
        assert meta.date is None, (raw, meta.date, meta.date_basis)


def test_a_dateline_with_a_full_date_dates_the_article():
    text = "Ampere opens a plant\n\nSEOUL, November 21, 2022 – Ampere said on Monday it would build cells.\n\nMore."
    meta = detect("x.txt", text, text)
    assert meta.date == PartialDate(2022, 11, 21) and not meta.date_estimated
    assert "SEOUL, November 21, 2022" in meta.date_basis
    state = "Title here\n\nDETROIT, Mich., 5 May 2024 — General Motors said it would cut costs.\n\nx"
    assert detect("x.txt", state, state).date == PartialDate(2024, 5, 5)


def test_an_event_date_or_a_place_in_a_sentence_is_not_a_dateline():
    for text in (
        "Title here\n\nSeoul, November 21, 2022 – the day the deal was signed.\n\nx",  # place not in capitals
        "Title here\n\nSEOUL, November 21, 2022 was the day the deal was signed.\n\nx",  # no dash after the date
        "Title here\n\nThe companies said the deal signed on November 7, 2019 – in Paris – holds.\n\nx",
        "Title here\n\nRenault said things. Then more things happened.\n\nPARIS, March 3, 2024 – later text\n\nx",
    ):
        assert detect("x.txt", text, text).date is None, text
