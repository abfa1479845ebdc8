"""The Whoosh schema: articles and facts in one index, so one query finds both."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from .analysis import text_analyzer

# Bump when the schema, the analysis or the documents change: old indexes are rebuilt.
SCHEMA_VERSION = 13

# Full-text fields searched by plain words, with their weight.
TEXT_FIELDS = {"name": 6.0, "title": 3.0, "names": 1.5, "quote": 1.5, "body": 1.0, "meta": 1.0}
# Fields whose text is displayed, so highlight spans are computed for them.
DISPLAY_FIELDS = ("title", "body", "quote")


def make_schema() -> Schema:
    ana = text_analyzer()
    return Schema(
        uid=ID(stored=True, unique=True),  # "a:<file name>" or "f:<fact id>"
        doctype=ID(stored=True),  # "article" or "fact"
        kind=ID(stored=True),  # "article" or the fact's kind
        title=TEXT(analyzer=ana, chars=True, stored=True),  # article title / fact text
        body=TEXT(analyzer=ana, chars=True),  # article reading text
        quote=TEXT(analyzer=ana, chars=True),  # the quotes a fact cites, joined by "\n"
        name=TEXT(analyzer=ana),  # an entity's (or partnership's) own name and aliases
        names=TEXT(analyzer=ana),  # names and aliases of the entities a fact involves
        namekey=KEYWORD(commas=True),  # own names as facts.names.name_key forms: exact-name boost
        meta=TEXT(analyzer=ana),  # publisher, author, date of an article
        company=KEYWORD(commas=True),  # ids of the companies a fact involves or an article names
        entity=KEYWORD(commas=True),  # ids of every entity a fact involves or an article names
        source=KEYWORD(commas=True, stored=True),  # article file names
        status=KEYWORD(commas=True),
        year=KEYWORD(commas=True),
        payload=STORED,  # small dict for display (see documents.py)
    )
