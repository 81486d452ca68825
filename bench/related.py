"""Related-articles speed at archive scale: ``.venv/bin/python bench/related.py [--n 100000]``.

Synthetic articles are generated deterministically from the vocabulary of the evaluation
texts (tests/related_quality/data): each picks a sub-story and draws title and body words from
that story's words and the whole vocabulary with Zipf-like weights, so posting lists have a
realistic long tail. Measured, for articles not yet in the index ("just published"):

* features: analyse title + body and compute the MinHash (what the save hook does);
* query: score candidates through the inverted index and rank the top 24;
* total = features + query + near-duplicate check of the candidates.

The database work around it (one sync query, one status check, one signature query, one
delete + bulk insert) is a fixed number of indexed queries and is not part of this figure.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from akhbar.arabic.tokenize import WORD_RE
from akhbar.related import features
from akhbar.related.index import RelatedIndex
from tests.related_quality.evaluate import load_stories


def vocabularies(seed: int = 1) -> tuple[list[list[str]], list[str]]:
    docs = load_stories()
    stories: dict[str, list[str]] = {}
    everything: list[str] = []
    for d in docs:
        words = WORD_RE.findall(f"{d.title} {d.body}")
        stories.setdefault(d.group, []).extend(words)
        everything.extend(words)
    rng = random.Random(seed)
    # Invent a long tail of new words (halves of two real words glued), so the archive has
    # tens of thousands of distinct stems like a real one, not just the evaluation's 3,000.
    base = sorted({w for w in everything if len(w) >= 4})
    tail = {rng.choice(base)[:3] + rng.choice(base)[-3:] for _ in range(60_000)}
    vocab = sorted(set(everything)) + sorted(tail)
    rng.shuffle(vocab)  # Zipf ranks below are positions in this list
    return [sorted(set(v)) for v in stories.values()], vocab


def _zipf(n: int) -> list[float]:
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank
        out.append(total)
    return out


_CUM: dict[int, list[float]] = {}


def make_article(rng: random.Random, stories: list[list[str]], vocab: list[str]) -> tuple:
    story = rng.choice(stories)
    n_body = rng.randint(80, 400)
    for pool in (story, vocab):
        if len(pool) not in _CUM:
            _CUM[len(pool)] = _zipf(len(pool))

    def draw(n: int) -> str:
        own = int(n * 0.4)
        words = rng.choices(story, cum_weights=_CUM[len(story)], k=own)
        words += rng.choices(vocab, cum_weights=_CUM[len(vocab)], k=n - own)
        rng.shuffle(words)
        return " ".join(words)

    return draw(9), "\n".join(draw(n_body // 4) for _ in range(4)), rng.randint(1, 40)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(42)
    stories, vocab = vocabularies()
    print(f"vocabulary: {len(vocab):,} surface words, {len(stories)} sub-stories")

    started = time.perf_counter()
    rss_before = rss_mb()
    index = RelatedIndex()
    t0 = 1_700_000_000.0
    for i in range(args.n):
        title, body, cat = make_article(rng, stories, vocab)
        terms = features.term_weights(title, body)
        index.add(i + 1, terms, cat, t0 + i * 600, compute_norm=False)
    index.finish_bulk()
    build = time.perf_counter() - started
    postings = sum(len(p.slots) for p in index.postings.values())
    print(
        f"index: {args.n:,} articles, {len(index.postings):,} terms, {postings:,} postings, "
        f"built in {build:.1f}s (incl. generating and analysing the text)"
    )
    print(
        f"memory: index buffers {index.memory_bytes() / 2**20:.1f} MiB; process max RSS "
        f"{rss_before:.0f} MiB before the build, {rss_mb():.0f} MiB after (the difference "
        "is the index with its term dictionary plus allocator slack)"
    )

    signatures = {}
    feature_ms, query_ms, total_ms = [], [], []
    for q in range(args.queries):
        title, body, cat = make_article(rng, stories, vocab)
        a = time.perf_counter()
        feats = features.extract(title, body)
        b = time.perf_counter()
        candidates = index.query(
            feats.terms, category_id=cat, published_ts=t0 + args.n * 600, exclude={-q}, limit=24
        )
        c = time.perf_counter()
        kept = [
            x
            for x in candidates
            if features.jaccard(feats.signature, signatures.get(x.article_id, b"")) < 0.8
        ][:8]
        d = time.perf_counter()
        assert len(kept) == 8
        feature_ms.append((b - a) * 1000)
        query_ms.append((c - b) * 1000)
        total_ms.append((d - a) * 1000)

    def fmt(values: list[float]) -> str:
        values = sorted(values)
        p95 = values[int(len(values) * 0.95) - 1]
        med = statistics.median(values)
        return f"median {med:6.2f} ms, p95 {p95:6.2f} ms, max {values[-1]:6.2f} ms"

    print(f"new article, features : {fmt(feature_ms)}")
    print(f"new article, query    : {fmt(query_ms)}")
    print(f"new article, total    : {fmt(total_ms)}  ({args.queries} articles)")

    # Incremental maintenance: add, re-index (edit) and remove
    a = time.perf_counter()
    for i in range(1000):
        title, body, cat = make_article(rng, stories, vocab)
        index.add(args.n + i + 1, features.term_weights(title, body), cat, t0)
    add_ms = time.perf_counter() - a
    print(f"incremental add (analysis included): {add_ms:.2f} ms per article over 1000")


if __name__ == "__main__":
    main()
