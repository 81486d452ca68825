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

    def memory_bytes(self) -> int:
        """Approximate bytes held by the buffers (posting arrays + per-slot columns)."""
        total = sum(
            p.slots.buffer_info()[1] * 4 + p.weights.buffer_info()[1] * 4
            for p in self.postings.values()
        )
        return total + len(self.ids) * (8 + 1 + 8 + 8 + 4)
