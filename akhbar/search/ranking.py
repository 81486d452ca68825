"""One ranking function for every engine: BM25 with a coordination factor.

The engines find the candidates (FTS5 and a GIN index are what make that fast), but each
scores them its own way (FTS5's ``bm25()``, PostgreSQL's cover-density ``ts_rank_cd``), so
the same query used to come back in a different order on each database. The final order of
the candidates is therefore computed here, in plain Python, from what both engines store
alike: the analysed terms of each entry and the index's vocabulary and statistics.

* BM25 as FTS5 defines it: one term frequency per document with the title counting
  ``TITLE_WEIGHT`` times the body, document length = all terms, k1 = 1.2, b = 0.75; the IDF
  is Lucene's ``log(1 + (N - df + 0.5) / (df + 0.5))``, which never goes negative for very
  common words (FTS5 clamps those to a tiny constant and so ignores them entirely).
* Coordination factor (Lucene's classic ``coord``): the score is multiplied by the share of
  the query's words the article contains, so the more of the words, the higher.
* Articles containing *every* word come first whatever their score (``complete``).
* Alternative forms of a word (a short word without its proclitic) count for
  ``ALTERNATIVE_WEIGHT`` of the form the reader typed, so "وقمح" ranks articles with "وقمح"
  above those with "قمح".
* Ties: newest first, then highest id, as the engines' SQL always did.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "ALTERNATIVE_WEIGHT",
    "K1",
    "TITLE_WEIGHT",
    "B",
    "Candidate",
    "Group",
    "IndexStats",
    "Scored",
    "groups_of",
    "rank",
]

TITLE_WEIGHT = 10.0
ALTERNATIVE_WEIGHT = 0.6
K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class IndexStats:
    """What BM25 needs about the whole index: entries and their total term counts."""

    documents: int
    title_terms: int
    body_terms: int

    @property
    def average_length(self) -> float:
        if self.documents <= 0:
            return 1.0
        return max((self.title_terms + self.body_terms) / self.documents, 1.0)


@dataclass(frozen=True)
class Group:
    """One thing the query looks for: a word (with alternative forms) or a phrase.

    ``forms`` are tuples of consecutive terms (one term for a word) with their weights.
    """

    forms: tuple[tuple[tuple[str, ...], float], ...]
    required: bool = False  # phrases: must occur (the engines already guarantee it)


@dataclass(frozen=True)
class Candidate:
    article_id: int
    title_terms: str
    body_terms: str
    published_at: datetime | None


@dataclass(frozen=True)
class Scored:
    article_id: int
    score: float
    matched: int
    complete: bool
    published_at: datetime | None

    def sort_key(self) -> tuple:
        ts = self.published_at.timestamp() if self.published_at else float("-inf")
        return (not self.complete, -self.score, -ts, -self.article_id)


def groups_of(
    terms: Sequence[str],
    alternatives: Sequence[Sequence[str]],
    phrases: Iterable[Sequence[str]],
) -> list[Group]:
    """The query's groups: each word with its alternatives, then each phrase."""
    groups = []
    for i, term in enumerate(terms):
        extra = alternatives[i] if i < len(alternatives) else ()
        forms = [((term,), 1.0)] + [((alt,), ALTERNATIVE_WEIGHT) for alt in extra if alt != term]
        groups.append(Group(tuple(forms)))
    for phrase in phrases:
        groups.append(Group(((tuple(phrase), 1.0),), required=True))
    return groups


def _count(tokens: list[str], form: tuple[str, ...]) -> int:
    if len(form) == 1:
        return tokens.count(form[0])
    first, n, hits = form[0], len(form), 0
    for i, token in enumerate(tokens):
        if token == first and tuple(tokens[i : i + n]) == form:
            hits += 1
    return hits


def _idf(df: int, n: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def rank(
    candidates: Iterable[Candidate],
    groups: Sequence[Group],
    frequencies: Mapping[str, int],
    stats: IndexStats,
) -> list[Scored]:
    """``candidates`` scored and sorted, best first (see the module docstring)."""
    n_docs = max(stats.documents, 1)
    avgdl = stats.average_length
    weights = []
    for group in groups:
        per_form = []
        for form, weight in group.forms:
            # A phrase is as rare as its rarest word (an upper bound on its frequency).
            df = min((frequencies.get(t, 0) for t in form), default=0)
            per_form.append((form, weight, _idf(df, n_docs)))
        weights.append(per_form)
    out: list[Scored] = []
    total = len(groups) or 1
    for c in candidates:
        title = c.title_terms.split()
        body = c.body_terms.split()
        norm = K1 * (1 - B + B * (len(title) + len(body)) / avgdl)
        score = 0.0
        matched = 0
        for per_form in weights:
            best = 0.0
            for form, weight, idf in per_form:
                tf = TITLE_WEIGHT * _count(title, form) + _count(body, form)
                if tf:
                    best = max(best, weight * idf * tf * (K1 + 1) / (tf + norm))
            if best:
                matched += 1
                score += best
        coord = matched / total
        out.append(Scored(c.article_id, score * coord, matched, matched == total, c.published_at))
    out.sort(key=Scored.sort_key)
    return out
