"""An in-memory inverted index that scores related articles without scanning the archive.

Postings are per-term growable ``array`` buffers (article slot, stored term weight), read
through numpy views at query time, so a query touches only the posting lists of its own
≤ ``MAX_TERMS`` terms: ~3 ms at 100,000 articles (see docs/benchmarks.md), ~10 bytes per
stored term. Re-indexing an article gives it a new slot and marks the old one dead; dead
slots are dropped by :meth:`RelatedIndex.compact` once they are a quarter of the index.

Scoring (cosine of TF-IDF vectors, plus category and recency) lives here too, so the
evaluation harness, the benchmark and the site all rank with exactly the same code.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Candidate", "RelatedIndex", "Weights"]


@dataclass(frozen=True)
class Weights:
    """How the parts of the score are mixed (chosen on the evaluation set, see tests)."""

    #: Added to the text cosine when both articles are in the same category.
    category: float = 0.05
    #: Share of the score that depends on recency: score × (1 − r + r·0.5^(Δdays/half_life)).
    recency: float = 0.2
    half_life_days: float = 30.0
    #: Below this text cosine a candidate is noise, whatever its category or date.
    min_text: float = 0.02


@dataclass(frozen=True)
class Candidate:
    article_id: int
    score: float
    text: float


class _Postings:
    __slots__ = ("slots", "weights")

    def __init__(self) -> None:
        self.slots = array("i")
        self.weights = array("f")


class RelatedIndex:
    """Articles' weighted terms, category and publication time, searchable by similarity."""

    def __init__(self) -> None:
        self.postings: dict[str, _Postings] = {}
        self.slot_of: dict[int, int] = {}
        self.ids = array("q")
        self.alive = bytearray()
        self.category = array("q")
        self.published = array("d")  # POSIX seconds
        self.norm = array("f")
        self.dead = 0

    # --- maintenance ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.slot_of)

    def __contains__(self, article_id: int) -> bool:
        return article_id in self.slot_of

    def idf(self, term: str) -> float:
        """Smoothed IDF; dead slots count until compaction (a small, temporary bias)."""
        postings = self.postings.get(term)
        df = len(postings.slots) if postings is not None else 0
        return math.log(1.0 + (len(self.ids) + 1) / (df + 1))

    def add(
        self,
        article_id: int,
        terms: dict[str, float],
        category_id: int | None,
        published_ts: float,
        *,
        compute_norm: bool = True,
    ) -> None:
        """Index (or re-index) one article; an article without terms is only removed."""
        self.remove(article_id)
        if not terms:
            return
        slot = len(self.ids)
        self.slot_of[article_id] = slot
        self.ids.append(article_id)
        self.alive.append(1)
        self.category.append(category_id or 0)
        self.published.append(published_ts)
        for term, weight in terms.items():
            postings = self.postings.get(term)
            if postings is None:
                postings = self.postings[term] = _Postings()
            postings.slots.append(slot)
            postings.weights.append(weight)
        self.norm.append(self._norm(terms) if compute_norm else 0.0)

    def _norm(self, terms: dict[str, float]) -> float:
        return math.sqrt(sum((w * self.idf(t)) ** 2 for t, w in terms.items())) or 1.0

    def finish_bulk(self) -> None:
        """Compute every norm with the final IDF table after ``add(..., compute_norm=False)``."""
        n = len(self.ids)
        norm2 = np.zeros(n, dtype=np.float64)
        for term, postings in self.postings.items():
            idf = self.idf(term)
            slots = np.frombuffer(postings.slots, dtype=np.int32)
            weights = np.frombuffer(postings.weights, dtype=np.float32)
            norm2[slots] += (weights.astype(np.float64) * idf) ** 2
            del slots, weights
        norms = np.sqrt(norm2).astype(np.float32)
        norms[norms == 0] = 1.0
        self.norm = array("f", norms.tobytes())

    def remove(self, article_id: int) -> None:
        slot = self.slot_of.pop(article_id, None)
        if slot is None:
            return
        self.alive[slot] = 0
        self.dead += 1
        if self.dead > 1000 and self.dead * 4 > len(self.ids):
            self.compact()

    def compact(self) -> None:
        """Renumber live slots and drop dead postings (O(index size), rare)."""
        alive = np.frombuffer(bytes(self.alive), dtype=np.uint8).astype(bool)
        new_slot = np.cumsum(alive, dtype=np.int64) - 1
        for term in list(self.postings):
            postings = self.postings[term]
            slots = np.frombuffer(postings.slots, dtype=np.int32)
            keep = alive[slots]
            if not keep.any():
                del self.postings[term]
                continue
            fresh = _Postings()
            fresh.slots = array("i", new_slot[slots[keep]].astype(np.int32).tobytes())
            fresh.weights = array(
                "f", np.frombuffer(postings.weights, dtype=np.float32)[keep].tobytes()
            )
            del slots
            self.postings[term] = fresh
        keep_idx = np.flatnonzero(alive)
        self.ids = array("q", np.frombuffer(self.ids, dtype=np.int64)[keep_idx].tobytes())
        self.category = array("q", np.frombuffer(self.category, dtype=np.int64)[keep_idx].tobytes())
        self.published = array(
            "d", np.frombuffer(self.published, dtype=np.float64)[keep_idx].tobytes()
        )
        self.norm = array("f", np.frombuffer(self.norm, dtype=np.float32)[keep_idx].tobytes())
        self.alive = bytearray(b"\x01" * len(keep_idx))
        self.slot_of = {int(a): i for i, a in enumerate(self.ids)}
        self.dead = 0

    # --- querying ---------------------------------------------------------------------------

    def query(
        self,
        terms: dict[str, float],
        *,
        category_id: int | None = None,
        published_ts: float | None = None,
        exclude: set[int] | frozenset[int] = frozenset(),
        limit: int = 16,
        weights: Weights | None = None,
        max_published_ts: float | None = None,
    ) -> list[Candidate]:
        """The ``limit`` best live articles for ``terms`` (never an id in ``exclude``).

        Only articles sharing at least one term are scored. ``max_published_ts`` hides
        articles published later (scheduled ones, or the future in an evaluation replay).
        """
        weights = weights or Weights()
        n = len(self.ids)
        if not terms or n == 0 or limit <= 0:
            return []
        scores = np.zeros(n, dtype=np.float32)
        q_norm2 = 0.0
        for term, qw in terms.items():
            idf = self.idf(term)
            q_norm2 += (qw * idf) ** 2
            postings = self.postings.get(term)
            if postings is None:
                continue
            slots = np.frombuffer(postings.slots, dtype=np.int32)
            scores[slots] += np.frombuffer(postings.weights, dtype=np.float32) * np.float32(
                qw * idf * idf
            )
            del slots  # release the buffer export so the array can grow again
        if q_norm2 == 0:
            return []
        norm = np.frombuffer(self.norm, dtype=np.float32)
        text = scores / (norm * np.float32(math.sqrt(q_norm2)))
        del norm
        mask = text >= weights.min_text
        mask &= np.frombuffer(self.alive, dtype=np.uint8).astype(bool)
        published = np.frombuffer(self.published, dtype=np.float64)
        if max_published_ts is not None:
            mask &= published <= max_published_ts
        for article_id in exclude:
            slot = self.slot_of.get(article_id)
            if slot is not None:
                mask[slot] = False
        idx = np.flatnonzero(mask)
        if idx.size == 0:
            return []
        score = text[idx].astype(np.float64)
        if category_id:
            same = np.frombuffer(self.category, dtype=np.int64)[idx] == category_id
            score = score + weights.category * same
        if published_ts is not None and weights.recency:
            days = np.abs(published[idx] - published_ts) / 86400.0
            decay = np.power(0.5, days / weights.half_life_days)
            score = score * (1.0 - weights.recency + weights.recency * decay)
        del published
        if idx.size > limit:
            top = np.argpartition(-score, limit - 1)[:limit]
        else:
            top = np.arange(idx.size)
        top = top[np.lexsort((idx[top], -score[top]))]
        ids = np.frombuffer(self.ids, dtype=np.int64)
        result = [Candidate(int(ids[idx[i]]), float(score[i]), float(text[idx[i]])) for i in top]
        del ids
        return result

    # --- every article at once (the bulk rebuild) ---------------------------------------------

    def _matrices(self, dense_share: float, max_dense: int) -> tuple[np.ndarray, Any]:
        """Every slot's TF-IDF vector, L2-normalised, split in two by document frequency.

        Terms in more than ``dense_share`` of the articles (at most ``max_dense`` of them) go
        in a dense float32 matrix, whose all-pairs products BLAS computes far faster than any
        sparse code; the long tail of rarer terms goes in a sparse CSR matrix, whose product
        costs only the pairs that share a term. A one-matrix design is quadratic in the
        archive whenever vocabulary is narrow (every pair shares common words).
        """
        from scipy import sparse

        n = len(self.ids)
        norm = np.frombuffer(self.norm, dtype=np.float32).astype(np.float64)
        by_df = sorted(self.postings.items(), key=lambda kv: -len(kv[1].slots))
        cut = max(16, int(n * dense_share))
        dense_terms = [kv for kv in by_df[:max_dense] if len(kv[1].slots) >= cut]
        dense = np.zeros((n, len(dense_terms)), dtype=np.float32)
        for j, (term, postings) in enumerate(dense_terms):
            slots = np.frombuffer(postings.slots, dtype=np.int32)
            weights = np.frombuffer(postings.weights, dtype=np.float32).astype(np.float64)
            dense[slots, j] = weights * self.idf(term) / norm[slots]
            del slots
        rows, cols, vals = [], [], []
        for j, (term, postings) in enumerate(by_df[len(dense_terms) :]):
            slots = np.frombuffer(postings.slots, dtype=np.int32).copy()
            weights = np.frombuffer(postings.weights, dtype=np.float32).astype(np.float64)
            rows.append(slots)
            cols.append(np.full(slots.size, j, dtype=np.int32))
            vals.append((weights * self.idf(term) / norm[slots]).astype(np.float32))
        width = max(len(by_df) - len(dense_terms), 1)
        if rows:
            tail = sparse.csr_matrix(
                (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                shape=(n, width),
                dtype=np.float32,
            )
        else:
            tail = sparse.csr_matrix((n, width), dtype=np.float32)
        return dense, tail

    def query_many(
        self,
        article_ids: list[int],
        *,
        limit: int = 16,
        weights: Weights | None = None,
        max_published_ts: float | None = None,
        batch: int | None = None,
        threads: int = 2,
        dense_share: float = 0.02,
        max_dense: int = 384,
    ) -> dict[int, list[Candidate]]:
        """``query`` for many indexed articles at once, each with its own terms, category and
        date: the same scores and order as one ``query(terms, category_id=…,
        published_ts=…, exclude={id})`` per article. Ids not in the index get ``[]``.

        Per block of ``batch`` articles: the text cosines with the whole archive as one dense
        (BLAS) plus one sparse matrix product, the full score in place (float32), then the
        ``limit``-th best of a strided sample of each row as a floor, so only the few pairs
        above it are sorted. Blocks run on ``threads`` threads (numpy and BLAS release the
        GIL). Exact: the sample's ``limit``-th best can only be below the row's.
        """
        from concurrent.futures import ThreadPoolExecutor

        weights = weights or Weights()
        out: dict[int, list[Candidate]] = {pk: [] for pk in article_ids}
        slots = np.array([self.slot_of[pk] for pk in article_ids if pk in self.slot_of], np.int64)
        n = len(self.ids)
        if slots.size == 0 or n == 0 or limit <= 0:
            return out
        dense, tail = self._matrices(dense_share, max_dense)
        tail_t = tail.T.tocsr()
        ids = np.frombuffer(self.ids, dtype=np.int64).copy()
        alive = np.frombuffer(bytes(self.alive), dtype=np.uint8).astype(bool)
        published = np.frombuffer(self.published, dtype=np.float64)
        disallowed = ~alive
        if max_published_ts is not None:
            disallowed |= published > max_published_ts
        blocked_cols = np.flatnonzero(disallowed)
        category = np.frombuffer(self.category, dtype=np.int64).astype(np.int32)
        # Days since the oldest article, float32: exact enough for a 30-day half-life.
        days = ((published - published.min()) / 86400.0).astype(np.float32)
        del published
        rate = np.float32(math.log(2.0) / weights.half_life_days)
        cat_w = np.float32(weights.category)
        keep = np.float32(1.0 - weights.recency)
        recency = np.float32(weights.recency)
        stride = 16 if n > 64 * limit else 1
        batch = batch or int(min(256, max(16, 4_000_000 // n)))

        def run(block: np.ndarray) -> list[tuple[int, list[Candidate]]]:
            rows = block.size
            text = np.empty((rows, n), dtype=np.float32)
            if dense.shape[1]:
                np.matmul(dense[block], dense.T, out=text)
            else:
                text.fill(0.0)
            products = (tail[block] @ tail_t).tocoo()
            text[products.row, products.col] += products.data
            del products
            score = text.copy()
            row_cat = category[block][:, None]
            if cat_w:
                same = np.equal(category[None, :], row_cat)
                same &= row_cat != 0
                np.add(score, cat_w, out=score, where=same)
                del same
            if recency:
                factor = np.subtract(days[None, :], days[block][:, None])
                np.abs(factor, out=factor)
                factor *= -rate
                np.exp(factor, out=factor)
                factor *= recency
                factor += keep
                score *= factor
                del factor
            # Not candidates: below the noise floor, dead, not yet published, itself.
            score[text < np.float32(weights.min_text)] = -np.inf
            if blocked_cols.size:
                score[:, blocked_cols] = -np.inf
            score[np.arange(rows), block] = -np.inf
            sample = score[:, ::stride]
            if sample.shape[1] > limit:
                floor = -np.partition(-sample, limit - 1, axis=1)[:, limit - 1]
                floor[~np.isfinite(floor)] = -np.finfo(np.float32).max
            else:
                floor = np.full(rows, -np.finfo(np.float32).max, dtype=np.float32)
            r, c = np.nonzero(score >= floor[:, None])
            picked = score[r, c]
            order = np.lexsort((ids[c], -picked, r))
            r, c, picked = r[order], c[order], picked[order]
            bounds = np.searchsorted(r, np.arange(rows + 1))
            found = []
            for row in range(rows):
                lo, hi = bounds[row], min(bounds[row + 1], bounds[row] + limit)
                found.append(
                    (
                        int(ids[block[row]]),
                        [
                            Candidate(int(ids[col]), float(sc), float(text[row, col]))
                            for col, sc in zip(c[lo:hi], picked[lo:hi], strict=True)
                        ],
                    )
                )
            return found

        blocks = [slots[i : i + batch] for i in range(0, slots.size, batch)]
        with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
            for found in pool.map(run, blocks):
                out.update(found)
        return out

    def memory_bytes(self) -> int:
        """Approximate bytes held by the buffers (posting arrays + per-slot columns)."""
        total = sum(
            p.slots.buffer_info()[1] * 4 + p.weights.buffer_info()[1] * 4
            for p in self.postings.values()
        )
        return total + len(self.ids) * (8 + 1 + 8 + 8 + 4)
