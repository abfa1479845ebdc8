"""The build's writer (field lengths read once per segment) writes the same index as Whoosh's own."""

from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from facts.articles import read_article
from facts.corpus import Corpus
from search.documents import article_doc
from search.flushing import Writer
from search.saved import WRITER_OPTIONS
from search.schema import make_schema

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _documents() -> list[dict]:
    corpus = Corpus.open(ROOT)
    docs = []
    for i, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        article, _ = read_article(path, corpus.sidecar)
        named = {"companies": ["renault", "nissan"][: i % 3], "entities": ["renault"] if i % 2 else []}
        docs.append(article_doc(article, f"{i:040x}", named, {"renault": "company", "nissan": "company"},
                                (i, len(article.text), i, i)))
    # a document with fields left empty and one with a word in every field
    docs.append({"uid": "f:empty", "doctype": "fact", "kind": "deal", "title": "", "text": ""})
    docs.append({"uid": "f:all", "doctype": "fact", "kind": "deal", "text": "battery " * 300, "name": "Alliance",
                 "namekey": "alliance", "company": "renault,nissan", "entity": "renault", "source": "x.txt",
                 "status": "active", "year": "2024", "title": "t"})
    return docs


def _files(folder: Path, make) -> dict[str, bytes]:
    ix = whoosh_index.create_in(str(folder), make_schema())
    writer = make(ix)
    for doc in _documents():
        writer.add_document(**doc)
    writer.commit()
    with ix.reader() as reader:  # one segment
        name = reader.segment().segment_id()
    return {p.name[len(name):]: p.read_bytes() for p in folder.iterdir() if p.name.startswith(name)}


def test_same_segment_files_as_whooshs_writer(tmp_path):
    (tmp_path / "plain").mkdir()
    (tmp_path / "ours").mkdir()
    plain = _files(tmp_path / "plain", lambda ix: SegmentWriter(ix, **WRITER_OPTIONS))
    ours = _files(tmp_path / "ours", lambda ix: Writer(ix, **WRITER_OPTIONS))
    assert any(name.endswith(".pst") for name in plain), sorted(plain)
    assert plain.keys() == ours.keys()
    for name in plain:
        assert plain[name] == ours[name], name


def test_lengths_kept_for_ranking(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    writer = Writer(ix, **WRITER_OPTIONS)
    for doc in _documents():
        writer.add_document(**doc)
    writer.commit()
    with ix.searcher() as searcher:
        info = searcher.reader().term_info("text", "batteri")
        assert info.max_length() >= 300 > info.min_length() > 0


def test_the_pool_counts_sizes_and_runs_as_whooshs(tmp_path):
    from whoosh.filedb.filestore import FileStorage
    from whoosh.writing import PostingPool

    from search.flushing import Pool

    items = [("text", f"w{i % 97}".encode(), i, 1.0, b"\x00" * (i % 5) or None) for i in range(5000)]
    for name in ("plain", "ours"):
        (tmp_path / name).mkdir()
    pools = [cls(FileStorage(str(tmp_path / name)), None, limitmb=0.05)
             for cls, name in ((PostingPool, "plain"), (Pool, "ours"))]
    sizes = []
    for pool in pools:
        for item in items:
            pool.add(item)
        sizes.append((pool.currentsize, len(pool.runs), pool.fieldnames))
    assert sizes[0] == sizes[1] and sizes[0][1] > 0
    assert list(pools[0].iter_postings()) == list(pools[1].iter_postings()) == sorted(items)


def test_the_writer_spilling_to_runs_writes_the_same_files(tmp_path):
    for name in ("plain", "ours"):
        (tmp_path / name).mkdir()
    plain = _files(tmp_path / "plain", lambda ix: SegmentWriter(ix, limitmb=0.05, **WRITER_OPTIONS))
    ours = _files(tmp_path / "ours", lambda ix: Writer(ix, limitmb=0.05, **WRITER_OPTIONS))
    assert plain == ours


def test_the_pools_runs_merge_as_whooshs_even_when_merged_in_steps(tmp_path):
    from whoosh.filedb.filestore import FileStorage
    from whoosh.writing import PostingPool

    from search.flushing import Pool

    items = [("name" if i % 3 else "text", f"wörd{i % 89}".encode(), i, i / 7, bytes([i % 256]) * (i % 4) or None)
             for i in range(12000)]
    got = []
    for cls, name in ((PostingPool, "plain"), (Pool, "ours")):
        (tmp_path / name).mkdir()
        pool = cls(FileStorage(str(tmp_path / name)), None, limitmb=0.1)
        for item in items:
            pool.add(item)
        assert len(pool.runs) > 4
        got.append(list(pool.items(maxfiles=3)))  # more runs than files: merged a few at a time first
        assert not list((tmp_path / name).iterdir()), "the run files are removed once read"
    assert got[0] == got[1] == sorted(items)


def _postings(folder: Path) -> dict:
    ix = whoosh_index.open_dir(str(folder))
    out = {}
    with ix.reader() as reader:
        for fieldname in reader.indexed_field_names():
            for term in reader.lexicon(fieldname):
                matcher, items = reader.postings(fieldname, term), []
                while matcher.is_active():
                    items.append((matcher.id(), matcher.weight(), matcher.value()))
                    matcher.next()
                out[fieldname, term] = items
    return out


def test_a_build_reads_back_the_postings_of_whooshs_own_format_and_writer(tmp_path):
    """Words at the same single position in many documents share one encoded value (pickled
    once per block): a smaller postings file, the same postings read back, with or without runs."""
    from whoosh.formats import Positions

    docs = [{"uid": f"f:{i}", "doctype": "fact", "kind": "deal", "title": str(i),
             "text": f"Renault battery plant {i} e-Power the {'Nissan ' * (i % 4)}Ampere"} for i in range(300)]
    for limitmb in (128, 0.02):
        built = {}
        for name in ("plain", "ours"):
            folder = tmp_path / f"{name}-{limitmb}"
            folder.mkdir()
            schema = make_schema()
            if name == "plain":
                schema["text"].format = Positions(field_boost=schema["text"].format.field_boost)
            ix = whoosh_index.create_in(str(folder), schema)
            writer = (SegmentWriter if name == "plain" else Writer)(ix, limitmb=limitmb, **WRITER_OPTIONS)
            for doc in docs:
                writer.add_document(**doc)
            writer.commit()
            built[name] = (_postings(folder), sum(p.stat().st_size for p in folder.glob("*.pst")))
        assert built["plain"][0] == built["ours"][0] and len(built["ours"][0]) > 300
        assert built["ours"][1] < built["plain"][1]
