"""Writing a segment's postings with each document's field lengths looked up once.

Whoosh's SegmentWriter asks the segment's length columns for every posting it writes (the
shortest and longest document of each block are kept for ranking): one method call, and for
a field without lengths a look at the disk, per posting. A build's segments hold millions of
postings, so `FlushOnce` reads each field's lengths into a table first; what is written is
the same, byte for byte.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import _lenfield
from whoosh.writing import SegmentWriter


class FieldLengths:
    """The length of each field in each document of a segment, as its reader gives them."""

    def __init__(self, reader) -> None:
        self.reader = reader
        self.count = reader.doc_count_all()
        self.tables: dict[str, list] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default=0):
        table = self.tables.get(fieldname)
        if table is None:
            table = self.tables[fieldname] = self._table(fieldname)
        return table[docnum]

    def _table(self, fieldname: str) -> list:
        reader = self.reader
        if not reader.has_column(_lenfield(fieldname)):  # a field without lengths: the default
            return [0] * self.count
        return [reader.doc_field_length(docnum, fieldname) for docnum in range(self.count)]


class FlushOnce:
    """SegmentWriter._flush_segment, with the field lengths read once (mixed into a writer)."""

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        self.fieldwriter.add_postings(self.schema, FieldLengths(pdr) if pdr else None, self.pool.iter_postings())
        self.fieldwriter.close()
        if pdr:
            pdr.close()


class Writer(FlushOnce, SegmentWriter):
    """Whoosh's SegmentWriter, writing postings with the field lengths read once."""
