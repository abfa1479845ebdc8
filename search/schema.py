"""The Whoosh schema: articles and facts in one index, so one query finds both.

Every word a document can be found by is in one field, `text`: a plain word reads one
posting list, not one per field. A title is in it twice, so its words weigh more in the
ranking itself (which lets Whoosh skip the documents that cannot rank); an entity's own
name is also in a small field of its own, whose matches lift a hit (search/boost.py).
The rest are filters and display.
No field keeps character offsets: highlights are found by analysing again the text of
the few hits shown (highlight.py), which costs less than storing them for every word. An
article's reading text is saved in a column (bodies.py), so that a snippet need not read
and clean the file again.
"""

from __future__ import annotations

from whoosh.columns import CompressedBytesColumn, PickleColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from .analysis import TextPositions, text_analyzer
from .bodies import BODY_FIELD

# Bump when the schema, the analysis or the documents change: old indexes are rebuilt.
SCHEMA_VERSION = 20

# The field plain words, phrases and expansions search.
TEXT_FIELD = "text"
# Small fields whose matches lift a document that matches anyway, with their weight
# (the `text` field counts 1).
BOOST_FIELDS = {"name": 6.0}


def make_schema() -> Schema:
    ana = text_analyzer()
    return Schema(
        uid=ID(stored=True, unique=True),  # "a:<file name>" or "f:<fact id>"
        doctype=ID(stored=True),  # "article" or "fact"
        kind=ID(stored=True),  # "article" or the fact's kind
        # article: title (twice), reading text, publisher, author, date; fact: text (twice), quotes, names
        text=_text(ana),
        title=STORED,  # article title / fact text, as shown
        name=TEXT(analyzer=ana, phrase=False),  # an entity's (or partnership's) own name and aliases
        namekey=KEYWORD(commas=True),  # own names as facts.names.name_key forms: exact-name boost
        company=KEYWORD(commas=True),  # ids of the companies a fact involves or an article names
        entity=KEYWORD(commas=True),  # ids of every entity a fact involves or an article names
        source=KEYWORD(commas=True, stored=True),  # article file names
        status=KEYWORD(commas=True),
        year=KEYWORD(commas=True),
        payload=STORED,  # small dict for display (see documents.py)
        indexed=STORED,  # a fact's names and filters: what an update makes its document again from
        # an article's (file key, reading text), compressed, read for the hits given a snippet only
        **{BODY_FIELD: COLUMN(PickleColumn(CompressedBytesColumn()))},
    )


def _text(ana) -> TEXT:
    """The `text` field: Whoosh's TEXT, with postings made by TextPositions (the same ones, faster)."""
    field = TEXT(analyzer=ana)
    field.format = TextPositions(field_boost=field.format.field_boost)
    return field
