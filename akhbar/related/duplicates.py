"""Near-duplicates: stored articles whose text is nearly the same story as another's.

Candidates come from the LSH band table (articles sharing one of 20 band keys of the
MinHash signature, one indexed query), then every candidate's full signature is compared,
so a check costs the same whatever the archive's size.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from django.db import connection, transaction
from django.http import HttpRequest

from akhbar.newsroom.models import Article
from akhbar.related import features
from akhbar.related.fingerprints import body_text, signatures
from akhbar.related.models import NearDuplicate, SignatureBand

#: Similarity (estimated Jaccard of word 3-gram shingles) from which two texts are one story.
DUPLICATE_THRESHOLD = 0.8


class PendingFingerprints(Protocol):
    """Fingerprints computed but not stored yet (a :class:`~.batch.FingerprintBatch`)."""

    def article_ids(self) -> Collection[int]: ...

    def candidates(self, keys: list[int]) -> set[int]: ...

    def signature(self, article_id: int) -> bytes: ...


@dataclass(frozen=True)
class _Probe:
    signature: bytes
    article_id: int | None


def _probe(article_or_text: Article | str | tuple[str, str]) -> _Probe:
    if isinstance(article_or_text, Article):
        article = article_or_text
        body = body_text(article.body or "")
        sig = features.minhash(features.shingles(article.title or "", body))
        return _Probe(sig, article.pk)
    if isinstance(article_or_text, tuple):
        title, body = article_or_text
        return _Probe(features.minhash(features.shingles(title or "", body or "")), None)
    if isinstance(article_or_text, str):
        return _Probe(features.minhash(features.shingles("", article_or_text)), None)
    return _Probe(b"", None)


def find_near_duplicates(
    article_or_text: Article | str | tuple[str, str],
    *,
    threshold: float = DUPLICATE_THRESHOLD,
    limit: int = 10,
) -> list[tuple[Article, float]]:
    """Stored articles (any status) whose text is ≥ ``threshold`` similar, most similar first.

    Accepts an article (compared on its current, possibly unsaved, text and never matched
    with itself), a body text, or a ``(title, body)`` pair as an importer has it. Candidates
    come from the LSH band table (one indexed query), then every candidate's full signature
    is compared, so the cost does not grow with the archive.
    """
    probe = _probe(article_or_text)
    return near_duplicates_of(probe.signature, probe.article_id, threshold=threshold, limit=limit)


def near_duplicates_of(
    signature: bytes,
    exclude_id: int | None,
    *,
    threshold: float = DUPLICATE_THRESHOLD,
    limit: int = 10,
    keys: list[int] | None = None,
    batch: PendingFingerprints | None = None,
) -> list[tuple[Article, float]]:
    """Articles whose signature is ≥ ``threshold`` similar to ``signature``, best first.

    With ``batch``, its articles are compared on their new signatures, not their stored rows
    (and found even before they are stored).
    """
    keys = features.band_keys(signature) if keys is None else keys
    if not keys:
        return []
    candidate_ids = band_candidates(keys)
    in_batch: set[int] = set()
    if batch is not None:
        candidate_ids.difference_update(batch.article_ids())
        in_batch = batch.candidates(keys)
    if exclude_id is not None:
        in_batch.discard(exclude_id)
        candidate_ids.discard(exclude_id)
    if not candidate_ids and not in_batch:
        return []
    found = signatures(candidate_ids) if candidate_ids else {}
    if batch is not None:
        found.update((pk, batch.signature(pk)) for pk in in_batch)
    scored = [
        (pk, sim)
        for pk, sig in found.items()
        if (sim := features.jaccard(signature, sig)) >= threshold
    ]
    if not scored:
        return []
    scored.sort(key=lambda item: (-item[1], item[0]))
    scored = scored[:limit]
    articles = Article.objects.only("title", "slug", "status", "published_at").in_bulk(
        [pk for pk, _ in scored]
    )
    return [(articles[pk], sim) for pk, sim in scored if pk in articles]


def band_candidates(keys: list[int], limit: int = 500) -> set[int]:
    """Articles sharing a band key with ``keys`` (at most ``limit``): every save's duplicate
    check runs this, and as plain SQL it costs a tenth of the ORM's query building."""
    qn = connection.ops.quote_name
    opts = SignatureBand._meta
    table, key, article = (
        qn(opts.db_table),
        qn(opts.get_field("key").column),
        qn(opts.get_field("article").column),
    )
    marks = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {article} FROM {table} WHERE {key} IN ({marks}) LIMIT %s",  # noqa: S608
            [*keys, limit],
        )
        return {row[0] for row in cursor.fetchall()}


def record_near_duplicates(article: Article) -> list[tuple[Article, float]]:
    """Find and store the near-duplicates of ``article`` (shown as a warning in the admin)."""
    found = find_near_duplicates(article)
    with transaction.atomic():
        NearDuplicate.objects.filter(article_id=article.pk).delete()
        NearDuplicate.objects.bulk_create(
            NearDuplicate(article_id=article.pk, duplicate_of_id=other.pk, similarity=sim)
            for other, sim in found
        )
    return found


def near_duplicate_warnings(article: Article) -> list[str]:
    """Arabic warnings for the editor about stored articles ``article`` nearly repeats."""
    if article.pk is None:
        return []
    found = find_near_duplicates(article)
    return [
        f"تنبيه: هذا المقال يشبه المقال «{other.title}» (رقم {other.pk}) بنسبة {sim:.0%}."
        for other, sim in found
    ]


def warn_near_duplicates(request: HttpRequest, article: Article) -> int:
    """Add one admin warning per near-duplicate of ``article``; for ``ModelAdmin.save_model``."""
    from django.contrib import messages

    warnings = near_duplicate_warnings(article)
    for text in warnings:
        messages.warning(request, text)
    return len(warnings)
