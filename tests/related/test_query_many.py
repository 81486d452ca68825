"""The bulk rebuild's batched scoring (RelatedIndex.query_many) ranks exactly like one
RelatedIndex.query per article, including category, recency, dead and future articles."""

from __future__ import annotations

import random

import pytest

from akhbar.related.index import RelatedIndex, Weights


def _index(n: int, vocab: int, seed: int) -> tuple[RelatedIndex, dict[int, dict[str, float]]]:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(vocab)]
    index, terms_of = RelatedIndex(), {}
    for a in range(1, n + 1):
        pool = words[:12] if rng.random() < 0.5 else words  # a narrow and a long-tail half
        terms = {rng.choice(pool): round(1 + rng.random() * 2, 4) for _ in range(20)}
        terms_of[a * 7] = terms
        index.add(a * 7, terms, rng.randint(0, 4), 1.7e9 + rng.random() * 9e6, compute_norm=False)
    index.finish_bulk()
    return index, terms_of


@pytest.mark.parametrize(("n", "vocab", "seed"), [(400, 60, 1), (800, 500, 2), (40, 30, 3)])
def test_query_many_matches_query(n, vocab, seed):
    index, terms_of = _index(n, vocab, seed)
    index.remove(7 * 5)  # a dead slot is never a candidate
    del terms_of[35]
    cutoff = 1.7e9 + 8e6  # some articles are "scheduled" after it
    weights = Weights()
    ids = [*terms_of, 999_999]  # an id the index does not hold gets nothing
    many = index.query_many(ids, limit=16, weights=weights, max_published_ts=cutoff, batch=64)
    assert many[999_999] == []
    for pk, terms in terms_of.items():
        slot = index.slot_of[pk]
        one = index.query(
            terms,
            category_id=int(index.category[slot]),
            published_ts=index.published[slot],
            exclude={pk},
            limit=16,
            weights=weights,
            max_published_ts=cutoff,
        )
        assert [c.article_id for c in many[pk]] == [c.article_id for c in one], pk
        for a, b in zip(many[pk], one, strict=True):
            assert a.score == pytest.approx(b.score, rel=1e-4, abs=1e-6)
