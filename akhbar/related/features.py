"""What the related-articles engine keeps of an article: weighted terms and a MinHash.

Pure Python + numpy, no Django: the evaluation harness, the benchmark and the services all
turn text into features through these functions, so what is measured is what runs.

Bounded work whatever the input: text beyond ``MAX_CHARS`` is ignored (a 200,000-word paste
costs the same as a long feature), and only the ``MAX_TERMS`` heaviest terms are kept.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from akhbar.arabic import analyze, normalize
from akhbar.arabic.tokenize import WORD_RE

__all__ = [
    "MAX_CHARS",
    "MAX_TERMS",
    "NUM_PERM",
    "Features",
    "band_keys",
    "extract",
    "jaccard",
    "minhash",
    "shingles",
    "term_weights",
]

#: Title words say what the story is about more reliably than any body sentence.
TITLE_WEIGHT = 3.0
EXCERPT_WEIGHT = 1.5
#: Terms stored per article; the tail of a long article adds cost, not relevance.
MAX_TERMS = 48
#: Characters of body analysed (≈ 25,000 words); the rest of a giant paste is ignored.
MAX_CHARS = 150_000
#: Pseudo-term prefix for tags, so shared tags score through the same inverted index.
TAG_PREFIX = "#t:"
TAG_WEIGHT = 2.0

SHINGLE_SIZE = 3
NUM_PERM = 128
#: LSH banding for a 0.8 Jaccard threshold: P(candidate) ≈ 0.998 at 0.8, 0.27 at 0.5, 0.01
#: at 0.3; every candidate is then checked against the full signature.
BANDS, ROWS = 20, 6

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_rng = np.random.RandomState(1)  # fixed seed: signatures must match across processes/releases
_PERM_A = _rng.randint(1, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
_PERM_B = _rng.randint(0, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)

_PARAGRAPH_RE = re.compile(r"\n\s*\n|\n|</p>|<br\s*/?>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]+>")
_BLOCK_END_RE = re.compile(r"</(?:p|h[1-6]|li|blockquote|div|figcaption)>|<br\s*/?>", re.I)


def plain_text(body_html: str) -> str:
    """Text of an article body with one paragraph per line (paragraph breaks matter to
    shingles: they must not span two paragraphs, or reordering them would change the set)."""
    if not body_html:
        return ""
    text = _TAG_RE.sub(" ", _BLOCK_END_RE.sub("\n", body_html[: MAX_CHARS * 2]))
    return html.unescape(text)


@dataclass
class Features:
    """Everything the index and the duplicate detector need from one article."""

    terms: dict[str, float] = field(default_factory=dict)
    signature: bytes = b""

    @property
    def empty(self) -> bool:
        return not self.terms


def _is_content_term(term: str) -> bool:
    # Numbers (years, scores, prices) and one-letter leftovers match unrelated stories.
    return len(term) > 1 and not term.isdigit()


def term_weights(
    title: str, body: str, excerpt: str = "", tags: Iterable[int | str] = ()
) -> dict[str, float]:
    """Sub-linear, title-boosted term frequencies of the article's top ``MAX_TERMS`` terms.

    Weights are ``1 + log(tf)`` (a word repeated ten times is not ten times as topical); IDF is
    applied by the index at query time so stored weights never go stale as the archive grows.
    """
    counts: dict[str, float] = {}
    for text, weight in ((title, TITLE_WEIGHT), (excerpt, EXCERPT_WEIGHT), (body, 1.0)):
        if not text:
            continue
        for term in analyze(text[:MAX_CHARS]):
            if _is_content_term(term):
                counts[term] = counts.get(term, 0.0) + weight
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TERMS]
    weights = {term: round(1.0 + math.log(tf), 4) for term, tf in top if tf > 0}
    for tag in tags:
        weights[f"{TAG_PREFIX}{tag}"] = TAG_WEIGHT
    return weights


def paragraphs(body: str) -> list[str]:
    """Plain-text paragraphs of an HTML or plain body (markup dropped)."""
    return [
        p for p in (_TAG_RE.sub(" ", chunk).strip() for chunk in _PARAGRAPH_RE.split(body)) if p
    ]


def shingles(title: str, body: str) -> set[str]:
    """Word 3-grams of the normalised body, never spanning two paragraphs.

    Stop words are kept (they make rewrites distinguishable from mere same-topic stories),
    diacritics are folded by ``normalize`` and shingles stay inside paragraphs, so reordering
    paragraphs or retouching the tashkeel changes nothing. The headline is left out so a new
    headline on the same text is still a duplicate; it is used only when there is no body.
    """
    body = body[:MAX_CHARS]
    chunks = paragraphs(body) or ([title] if title else [])
    out: set[str] = set()
    for chunk in chunks:
        words = WORD_RE.findall(normalize(chunk))
        if len(words) < SHINGLE_SIZE:
            if words:
                out.add(" ".join(words))
            continue
        for i in range(len(words) - SHINGLE_SIZE + 1):
            out.add(" ".join(words[i : i + SHINGLE_SIZE]))
    return out


def _hash32(items: Iterable[str]) -> np.ndarray:
    # A stable hash (Python's hash() is salted per process): the 4-byte BLAKE2b digest read
    # as a little-endian uint32, all digests decoded by numpy at once (not int.from_bytes
    # per shingle, which was a third of the MinHash time).
    blake = hashlib.blake2b
    digests = b"".join([blake(s.encode("utf-8"), digest_size=4).digest() for s in items])
    return np.frombuffer(digests, dtype="<u4").astype(np.uint64)


def minhash(items: set[str]) -> bytes:
    """A ``NUM_PERM``-value MinHash signature as little-endian uint32 bytes (b"" if no items).

    Same universal hashing as datasketch's ``MinHash`` ((a·x + b) mod 2⁶¹−1, truncated to 32
    bits), vectorised over all shingles at once with numpy.
    """
    if not items:
        return b""
    hv = _hash32(items)
    values = (np.outer(hv, _PERM_A) + _PERM_B) % _MERSENNE & _MAX_HASH
    return values.min(axis=0).astype("<u4").tobytes()


def signature_array(signature: bytes) -> np.ndarray:
    return np.frombuffer(signature, dtype="<u4")


def jaccard(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures (0.0 when either is empty)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return float(np.mean(signature_array(a) == signature_array(b)))


def band_keys(signature: bytes) -> list[int]:
    """One signed 64-bit key per LSH band: equal keys ⇒ candidate near-duplicates."""
    if not signature:
        return []
    values = signature_array(signature)
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def extract(title: str, body: str, excerpt: str = "", tags: Iterable[int | str] = ()) -> Features:
    """Terms and MinHash signature of one article (either may be empty for junk input)."""
    title, body, excerpt = title or "", body or "", excerpt or ""
    return Features(
        terms=term_weights(title, body, excerpt, tags),
        signature=minhash(shingles(title, body)),
    )
