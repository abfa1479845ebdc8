"""Turn articles and facts into index documents."""

from __future__ import annotations

import hashlib
import json

from facts.articles import Article
from facts.base import FactBase
from facts.kinds import ENTITY_KINDS
from facts.model import Fact
from facts.names import name_key

from .bodies import BODY_FIELD, Key, saved_body

ARTICLE = "article"
FACT = "fact"


def article_uid(name: str) -> str:
    return f"a:{name}"


def fact_uid(fact_id: str) -> str:
    return f"f:{fact_id}"


def article_doc(article: Article, sha1: str, named: dict[str, tuple[int, int, int]] | None = None,
                kinds: dict[str, str] | None = None, key: Key | None = None) -> dict:
    """The document of one article; `payload` holds what a result line shows.

    `text` holds every word the article is found by: title (twice: its words weigh more),
    reading text, publisher, author and date.

    `named` holds the entities the article names (facts.mentions.summary) and `kinds` their
    kinds: `company:` and `entity:` filters find the article through them. `key` is its
    file's key (bodies.file_key) when it was read: its reading text is saved with it.
    """
    meta = article.meta
    named, kinds = named or {}, kinds or {}
    return {
        "uid": article_uid(article.name),
        "doctype": ARTICLE,
        "kind": ARTICLE,
        "title": meta.title,
        "text": "\n".join(x for x in (meta.title, meta.title, article.text, meta.publisher, meta.author,
                                      str(meta.date or "")) if x),
        "source": article.name,
        "company": ",".join(sorted(e for e in named if kinds.get(e) == "company")),
        "entity": ",".join(sorted(named)),
        "year": str(meta.date.year) if meta.date else "",
        BODY_FIELD: saved_body(key, article.text),
        "payload": {
            "name": article.name,
            "title": meta.title,
            "publisher": meta.publisher,
            "author": meta.author,
            "date": meta.date.iso if meta.date else None,
            "date_label": meta.date_label,
            "date_estimated": meta.date_estimated,
            "url": meta.url,
            "sha1": sha1,
        },
    }


def fact_doc(fact: Fact, base: FactBase) -> dict:
    """The document of one fact: its text, quotes, the names it involves (its own first) and its sources."""
    involved = [ref for _field, ref in fact.subject_refs()]
    entities = sorted({r for r in involved if base.facts[r].kind in ENTITY_KINDS}
                      | ({fact.id} if fact.kind in ENTITY_KINDS else set()))
    named = [base.facts[r] for r in dict.fromkeys([fact.id, *involved]) if "name" in base.facts[r].values]
    years = sorted({str(s.reported.year) for s in fact.sources if s.reported})
    indexed = {
        "names": [n for f in named for n in (f.name, *f.aliases)],
        "name": "\n".join((fact.name, *fact.aliases)) if "name" in fact.values else "",
        "namekey": ",".join(name_key(n) for n in (fact.name, *fact.aliases)) if "name" in fact.values else "",
        "company": ",".join(sorted(base.companies_of(fact))),
        "entity": ",".join(entities),
        "status": str(fact.get("status") or ""),
        "year": ",".join(years),
    }
    payload = {
        "id": fact.id,
        "kind": fact.kind,
        "text": fact.text,
        "note": fact.note,
        "sources": [
            {
                "article": s.article,
                "quote": s.quote,
                "span": list(s.span) if s.span else None,
                "reported": s.reported.iso if s.reported else None,
                "reported_estimated": s.reported_estimated,
            }
            for s in fact.sources
        ],
    }
    return fact_document(payload, indexed)


def fact_document(payload: dict, indexed: dict) -> dict:
    """A fact's document from its payload and `indexed` (stored with it, so that an update can
    make the document again with its sources' spans moved, without the fact base)."""
    quotes = [s["quote"] for s in payload["sources"]]
    starts, at = [], 0
    for quote in quotes:
        starts.append(at)
        at += len(quote) + 1
    text = payload["text"]
    return {
        "uid": fact_uid(payload["id"]),
        "doctype": FACT,
        "kind": payload["kind"],
        "title": text,
        "text": "\n".join([text, text, *quotes, *indexed["names"]]),  # the text twice: it weighs more
        "name": indexed["name"],
        "namekey": indexed["namekey"],
        "company": indexed["company"],
        "entity": indexed["entity"],
        "source": ",".join(dict.fromkeys(s["article"] for s in payload["sources"])),
        "status": indexed["status"],
        "year": indexed["year"],
        "indexed": indexed,
        "payload": {**payload, "quote_starts": starts},
    }


def doc_hash(doc: dict) -> str:
    """A fingerprint of a document, to skip re-indexing facts that did not change."""
    data = json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(data.encode("utf-8")).hexdigest()
