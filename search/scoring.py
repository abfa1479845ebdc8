"""BM25F as Whoosh computes it, with each segment's field lengths read once.

Whoosh's BM25F scorer asks for a document's field length through five calls down to a
one-byte read of the lengths column, for every document it scores; a search at 10,000
articles scores thousands. Here the column is read whole, once per segment and field
(one byte per document: 45 KB at 10,000 articles), and the score is the same
expression on the same numbers, so every score is the same float as Whoosh's.
"""

from __future__ import annotations

from whoosh.scoring import BM25F, BM25FScorer

# Whoosh's on-disk names for a field's length column (whoosh.codec.whoosh3)
_LENGTHS_FIELD = "_{}_len"


class Lengths:
    """Field lengths per (segment, field), read whole on first use."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], list | None] = {}

    def of(self, searcher, fieldname: str) -> list | None:
        """The length of `fieldname` in each document of the leaf `searcher`'s segment
        (None where Whoosh would find none), or None when the segment cannot be read so."""
        reader = searcher.reader()
        try:
            key = (reader.segment().segment_id(), fieldname)
        except AttributeError:  # not one segment's reader
            return None
        if key not in self._cache:
            self._cache[key] = _read(reader, fieldname)
        return self._cache[key]


def _read(reader, fieldname: str) -> list | None:
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN
    from whoosh.util.numeric import byte_to_length

    try:  # Whoosh's own reader of the column, read whole rather than a byte per call
        column = reader._perdoc._cached_reader(_LENGTHS_FIELD.format(fieldname), LENGTHS_COLUMN)
        if column is None or column._fixedlen != 1:
            return None
        count = reader.doc_count_all()
        stored = min(column._count, count)
        raw = bytes(column._dbfile.get(column._basepos, stored)) if stored else b""
    except AttributeError:  # another codec: Whoosh's own scorer is used
        return None
    raw += bytes(count - len(raw))  # documents after the last stored length: the default, 0
    # Whoosh: `lbyte = reader[docnum]; if lbyte: return byte_to_length(lbyte)` (else None)
    table = [None, *(byte_to_length(b) for b in range(1, 256))]
    return [table[b] for b in raw]


class CachedBM25F(BM25F):
    """BM25F (Whoosh's defaults) whose scorers look a document's length part of the score
    up in a list per segment."""

    def __init__(self, B: float = 0.75, K1: float = 1.2) -> None:
        super().__init__(B=B, K1=K1)
        self.lengths = Lengths()
        self._norms: dict[tuple, list] = {}

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if type(scorer) is BM25FScorer:
            lengths = self.lengths.of(searcher, fieldname)
            if lengths is not None:
                scorer.__class__ = _ListScorer
                scorer.lengths = lengths
                scorer.norms = self._norms_of(lengths, scorer)
                scorer.dfl = lengths.__getitem__
        return scorer

    def _norms_of(self, lengths: list, scorer: BM25FScorer) -> list:
        """K1 * ((1 - B) + B * fl / avgfl) of each document (the part of bm25's denominator
        that depends on the document's length fl): 256 values at most, computed once each."""
        key = (id(lengths), scorer.avgfl, scorer.B, scorer.K1)
        if key not in self._norms:
            K1, B, avgfl = scorer.K1, scorer.B, scorer.avgfl
            table = {fl: (K1 * ((1 - B) + B * fl / avgfl) if fl is not None else None) for fl in set(lengths)}
            self._norms[key] = [table[fl] for fl in lengths]
        return self._norms[key]


class _ListScorer(BM25FScorer):
    """BM25FScorer with `norms` set: whoosh.scoring.bm25 written out, same operations."""

    lengths: list
    norms: list

    def score(self, matcher):
        tf = matcher.weight()
        return self.idf * ((tf * (self.K1 + 1)) / (tf + self.norms[matcher.id()]))
