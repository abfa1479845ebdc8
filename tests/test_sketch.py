"""The duplicates sketch, made with each distinct word's checksum taken once, is the plain one."""

import hashlib
import zlib
from array import array
from pathlib import Path

from facts.duplicates import _ID_MASK, _SAMPLE_MASK, _WORD, ID_BITS, SHINGLE_WORDS, Sketch, sketch

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _plain(text: str) -> Sketch:
    words = _WORD.findall(text.lower())
    digest = hashlib.blake2b(" ".join(words).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
    ids = [zlib.crc32(w.encode("utf-8", "surrogatepass")) for w in words]
    hashes = {hash(t) & ~_ID_MASK & ((1 << 64) - 1)
              for t in zip(*(ids[i:] for i in range(SHINGLE_WORDS)), strict=False)}
    return Sketch(digest, array("Q", sorted(h for h in hashes if not (h >> ID_BITS) & _SAMPLE_MASK)), len(words))


def test_sketch_is_the_plain_one_on_every_bundled_article_and_odd_text():
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    assert texts
    texts += ["", "one", "a a a a a a a a a a", "Renault Renault NISSAN renault " * 200, "\ud800 lone surrogate x y z w"]
    for text in texts:
        got, want = sketch(text), _plain(text)
        assert got == want, text[:60]
    assert len(sketch(texts[0]).samples) > 0
