"""Fingerprints: an article's weighted terms and MinHash signature, analysed once and stored.

Ranking reads the terms, near-duplicate checks the signature and its LSH band keys; storing
them (``ArticleFingerprint``, ``SignatureBand``) means no process analyses an article again
until its words change.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from akhbar.newsroom.models import Article
from akhbar.related import features
from akhbar.related.models import ArticleFingerprint, SignatureBand
from akhbar.related.sql import insert_bands


def body_text(body_html: str) -> str:
    return features.plain_text(body_html)


def article_features(article: Article, tag_ids: Iterable[int] | None = None) -> features.Features:
    """Analyse ``article`` as saved (its stored tags unless ``tag_ids`` are given)."""
    if tag_ids is None:
        tag_ids = list(article.tags.values_list("pk", flat=True)) if article.pk else []
    return features.extract(
        article.title or "",
        body_text(article.body or "")[: features.MAX_CHARS],
        article.excerpt or "",
        sorted(tag_ids),
    )


def store_fingerprint(
    article: Article, feats: features.Features | None = None
) -> features.Features:
    """Save ``article``'s terms, signature and LSH band keys (replacing older ones)."""
    if feats is None:
        feats = article_features(article)
    ArticleFingerprint.objects.update_or_create(
        article_id=article.pk,
        defaults={"terms": feats.terms, "signature": feats.signature, "updated_at": timezone.now()},
    )
    SignatureBand.objects.filter(article_id=article.pk).delete()
    insert_bands([(key, article.pk) for key in features.band_keys(feats.signature)])
    return feats


def stored_features(article: Article) -> features.Features:
    """The stored fingerprint of ``article``, analysed and stored now if it has none."""
    row = (
        ArticleFingerprint.objects.filter(article_id=article.pk)
        .values_list("terms", "signature")
        .first()
    )
    if row is None:
        return store_fingerprint(article)
    return features.Features(terms=row[0] or {}, signature=bytes(row[1] or b""))


def signatures(ids: Iterable[int]) -> dict[int, bytes]:
    """Stored signatures of these articles (those without a fingerprint are missing)."""
    return {
        pk: bytes(sig)
        for pk, sig in ArticleFingerprint.objects.filter(article_id__in=list(ids)).values_list(
            "article_id", "signature"
        )
    }
