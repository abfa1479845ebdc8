"""A segment writer that does Whoosh's per-posting work in fewer steps.

Whoosh's SegmentWriter asks the segment's length columns for every posting it writes (the
shortest and longest document of each block are kept for ranking): one method call, and for
a field without lengths a look at the disk, per posting. A build's segments hold millions of
postings, so `FlushOnce` reads each field's lengths into a table first; what is written is
the same, byte for byte. Its pool of postings (`Pool`) takes each one without Whoosh's
type checks, which cost more than keeping it, and writes the sorted runs it keeps on disk
(a large build's postings do not fit its memory limit) and reads them back thousands of
postings at a time rather than one by one.
"""

from __future__ import annotations

import marshal
import struct
from itertools import islice

from whoosh.codec.whoosh3 import _lenfield
from whoosh.writing import PostingPool, SegmentWriter


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


class Pool(PostingPool):
    """Whoosh's PostingPool, whose `add` counts a posting's size (what decides when the pool is
    written to a run file) as Whoosh's does, without checking its types: the writer makes them."""

    def add(self, item) -> None:
        # item = (fieldname, term bytes, docnum, weight, value bytes); Whoosh's estimate of its size
        self.fieldnames.add(item[0])
        self.currentsize += _POSTING_SIZE + len(item[0]) + 2 * len(item[1]) + len(item[4] or "")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def _write_run(self, f, items) -> None:
        items = iter(items)
        while chunk := list(islice(items, _RUN_CHUNK)):
            data = marshal.dumps(chunk)
            f.write(_CHUNK_HEADER.pack(len(data)))
            f.write(data)
        f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while header := f.read(_CHUNK_HEADER.size):
                (size,) = _CHUNK_HEADER.unpack(header)
                yield from marshal.loads(f.read(size))
        finally:
            f.close()
            self._remove_run(path)


# Postings written to (and read back from) a run file at a time, and the size before each lot.
_RUN_CHUNK = 4096
_CHUNK_HEADER = struct.Struct("<I")
# What PostingPool.add counts for a posting besides its strings' lengths (tuple, strings, int, float).
_POSTING_SIZE = 28 + 4 * 5 + 21 + 26 + 18 + 16 + 21


class Writer(FlushOnce, SegmentWriter):
    """Whoosh's SegmentWriter, writing postings with the field lengths read once, into a `Pool`."""

    def __init__(self, ix, limitmb: int = 128, **kwargs) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = Pool(self._tempstorage, self.newsegment, limitmb=limitmb)
