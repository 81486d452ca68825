"""The bulk rebuild (``manage.py related --rebuild``, an import's catch-up): everything anew.

Two phases, each in chunks of articles: every fingerprint (with a fresh index built on the
way, then used by this process), then every live article's related list ranked against the
whole index at once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from akhbar.newsroom.models import Article
from akhbar.related import features
from akhbar.related.duplicates import DUPLICATE_THRESHOLD
from akhbar.related.fingerprints import article_features
from akhbar.related.index import Candidate, RelatedIndex
from akhbar.related.index_cache import Published, install, published_ts
from akhbar.related.models import ArticleFingerprint, RelatedArticle, SignatureBand
from akhbar.related.ranking import WEIGHTS, stored_count
from akhbar.related.sql import insert_bands, insert_values

#: ``progress(stage, done, total)``: how the command draws its bars.
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def rebuild(progress: Progress | None = None, chunk: int = 500) -> dict[str, int]:
    """Recompute every fingerprint and every published article's related list.

    ``progress(stage, done, total)`` is called as work advances (the command draws a bar).
    Memory: the index; each article's signature twice (512 bytes as stored, and as a row of
    the comparison matrix); and the ranked candidates of every live article at once (at most
    twice :func:`stored_count` each).
    """
    progress = progress or _no_progress
    total = Article.objects.count()
    index = RelatedIndex()
    signatures = _fingerprint_all(index, progress, total, chunk)
    index.finish_bulk()
    install(index)
    published = _rank_all(index, signatures, progress, chunk)
    return {"articles": total, "published": published, "terms": len(index.postings)}


# --- Phase 1: fingerprints ------------------------------------------------------------------


def _fingerprint_all(
    index: RelatedIndex, progress: Progress, total: int, chunk: int
) -> dict[int, bytes]:
    """Analyse and store every article, ``chunk`` a transaction; published ones go into
    ``index``. Returns every article's signature, for the near-duplicate filter."""
    signatures: dict[int, bytes] = {}
    done = 0
    qs = Article.objects.only(
        "pk", "title", "excerpt", "body", "status", "category_id", "published_at"
    ).order_by("pk")
    last_pk = 0
    while True:
        batch = list(qs.filter(pk__gt=last_pk)[:chunk])
        if not batch:
            break
        last_pk = batch[-1].pk
        _fingerprint_chunk(batch, index, signatures)
        done += len(batch)
        progress("fingerprints", done, total)
    return signatures


def _tag_map(batch: list[Article]) -> dict[int, list[int]]:
    """The tag ids of these articles, in one query."""
    tag_map: dict[int, list[int]] = {}
    for aid, tid in Article.tags.through.objects.filter(
        article_id__in=[a.pk for a in batch]
    ).values_list("article_id", "tag_id"):
        tag_map.setdefault(aid, []).append(tid)
    return tag_map


def _fingerprint_chunk(
    batch: list[Article], index: RelatedIndex, signatures: dict[int, bytes]
) -> None:
    """One chunk: analysed, added to ``index`` and ``signatures``, stored in one transaction."""
    tag_map = _tag_map(batch)
    now = timezone.now()
    fingerprints: list[ArticleFingerprint] = []
    bands: list[tuple[int, int]] = []
    for article in batch:
        feats = article_features(article, tag_map.get(article.pk, []))
        signatures[article.pk] = feats.signature
        fingerprints.append(
            ArticleFingerprint(
                article_id=article.pk,
                terms=feats.terms,
                signature=feats.signature,
                updated_at=now,
            )
        )
        bands.extend((k, article.pk) for k in features.band_keys(feats.signature))
        if article.status == Published:
            index.add(
                article.pk,
                feats.terms,
                article.category_id,
                published_ts(article.published_at),
                compute_norm=False,
            )
    with transaction.atomic():
        ids = [a.pk for a in batch]
        ArticleFingerprint.objects.filter(article_id__in=ids).delete()
        ArticleFingerprint.objects.bulk_create(fingerprints)
        SignatureBand.objects.filter(article_id__in=ids).delete()
        insert_bands(bands)


# --- Phase 2: related lists -----------------------------------------------------------------


class _SignatureMatrix:
    """Every article's signature as a row of one array, to compare many pairs at once."""

    def __init__(self, signatures: dict[int, bytes]) -> None:
        self.rows = {pk: i for i, pk in enumerate(signatures)}
        self.matrix = np.zeros((len(signatures), features.NUM_PERM), dtype=np.uint32)
        self.has_sig = np.zeros(len(signatures), dtype=bool)
        for pk, i in self.rows.items():
            if len(signatures[pk]) == features.NUM_PERM * 4:
                self.matrix[i] = features.signature_array(signatures[pk])
                self.has_sig[i] = True

    def duplicates(self, pairs: list[tuple[int, Candidate]]) -> np.ndarray:
        """For each (article, candidate) pair: are they near-duplicates? One (pairs × 128)
        comparison; a pair without both signatures is not."""
        if not pairs:
            return np.zeros(0, dtype=bool)
        left = np.array([self.rows.get(pk, -1) for pk, _ in pairs])
        right = np.array([self.rows.get(c.article_id, -1) for _, c in pairs])
        ok = (left >= 0) & (right >= 0)
        ok[ok] &= self.has_sig[left[ok]] & self.has_sig[right[ok]]
        similar = np.zeros(len(pairs), dtype=np.float64)
        similar[ok] = (self.matrix[left[ok]] == self.matrix[right[ok]]).mean(axis=1)
        return similar >= DUPLICATE_THRESHOLD


def _rank_all(
    index: RelatedIndex, signatures: dict[int, bytes], progress: Progress, chunk: int
) -> int:
    """Rank and store every live article's list, ``chunk`` articles a transaction; returns
    how many live articles there are."""
    now = timezone.now()
    live = list(Article.objects.published(now).order_by("pk").values_list("pk", flat=True))
    k_store = stored_count()
    # Every live article against the whole index at once (matrix products in blocks, see
    # RelatedIndex.query_many): the same ranking as one index.query per article, without
    # a per-article Python loop over posting lists.
    ranked_all = index.query_many(
        live, limit=k_store * 2, weights=WEIGHTS, max_published_ts=now.timestamp()
    )
    progress("related", 0, len(live))
    matrix = _SignatureMatrix(signatures)
    done = 0
    for start in range(0, len(live), chunk):
        part = live[start : start + chunk]
        # Near-duplicates out, vectorised: one (pairs × 128) comparison per chunk.
        pairs = [(pk, c) for pk in part for c in ranked_all.get(pk, [])]
        rows: dict[int, list[tuple[int, float]]] = {pk: [] for pk in part}
        for (pk, c), dup in zip(pairs, matrix.duplicates(pairs), strict=True):
            if not dup and len(rows[pk]) < k_store:
                rows[pk].append((c.article_id, c.score))
        store_related_rows(rows)
        done += len(rows)
        progress("related", done, len(live))
    return len(live)


def store_related_rows(rows: dict[int, list[tuple[int, float]]]) -> None:
    """Replace the computed rows of many articles (pinned and excluded rows are kept) with
    plain multi-row INSERTs: model instances cost ~0.1 ms a row, too much for millions."""
    if not rows:
        return
    table = connection.ops.quote_name(RelatedArticle._meta.db_table)
    stamp = timezone.now()
    with transaction.atomic():
        ids = list(rows)
        RelatedArticle.objects.filter(article_id__in=ids, pinned=False, excluded=False).delete()
        kept = set(
            RelatedArticle.objects.filter(article_id__in=ids).values_list(
                "article_id", "related_id"
            )
        )
        values = [
            (aid, rid, round(score, 6), False, False, stamp)
            for aid, ranked in rows.items()
            for rid, score in ranked
            if (aid, rid) not in kept and rid != aid
        ]
        insert_values(
            table,
            ("article_id", "related_id", "score", "pinned", "excluded", "computed_at"),
            values,
        )
