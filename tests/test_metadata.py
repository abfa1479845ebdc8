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
