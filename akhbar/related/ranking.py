"""Ranking: each article's related list, computed from the index and stored, and read back.

Computing (:func:`compute_related`) runs in the refresh job, the admin and the rebuild;
reading (:func:`related_for`) is what the article page does, from the stored rows only.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from akhbar.core.conf import akhbar_settings
from akhbar.newsroom.models import Article
from akhbar.related import features
from akhbar.related.duplicates import DUPLICATE_THRESHOLD
from akhbar.related.fingerprints import signatures, stored_features
from akhbar.related.index import Weights
from akhbar.related.index_cache import Published, get_index, published_ts
from akhbar.related.models import NearDuplicate, RelatedArticle

WEIGHTS = Weights()


def related_count() -> int:
    return akhbar_settings.related_count


def stored_count() -> int:
    """Rows stored per article: twice what is shown, so exclusions and unpublished articles
    still leave a full block without recomputing."""
    return max(related_count() * 2, 8)


# --- Computing related articles -------------------------------------------------------------


def rank_candidates(
    article: Article, feats: features.Features, limit: int, *, now: datetime | None = None
) -> list[tuple[int, float]]:
    """Best live published articles for ``article`` as (id, score), near-duplicates removed."""
    if feats.empty:
        return []
    now = now or timezone.now()
    index = get_index()
    candidates = index.query(
        feats.terms,
        category_id=article.category_id,
        published_ts=published_ts(article.published_at or now),
        exclude={article.pk},
        limit=limit * 3,
        weights=WEIGHTS,
        max_published_ts=now.timestamp(),
    )
    if not candidates:
        return []
    ids = [c.article_id for c in candidates]
    live = set(Article.objects.published(now).filter(pk__in=ids).values_list("pk", flat=True))
    stored = signatures(live) if feats.signature else {}
    out = []
    for c in candidates:
        if c.article_id not in live:
            continue
        if features.jaccard(feats.signature, stored.get(c.article_id, b"")) >= (
            DUPLICATE_THRESHOLD
        ):
            continue
        out.append((c.article_id, c.score))
        if len(out) >= limit:
            break
    return out


def store_related(article_id: int, ranked: list[tuple[int, float]]) -> None:
    """Replace the computed rows of ``article_id``; pinned and excluded rows are kept."""
    with transaction.atomic():
        RelatedArticle.objects.filter(article_id=article_id, pinned=False, excluded=False).delete()
        kept = set(
            RelatedArticle.objects.filter(article_id=article_id).values_list(
                "related_id", flat=True
            )
        )
        RelatedArticle.objects.bulk_create(
            RelatedArticle(article_id=article_id, related_id=rid, score=round(score, 6))
            for rid, score in ranked
            if rid not in kept and rid != article_id
        )


def compute_related(article: Article, *, cascade: bool = True) -> list[tuple[int, float]]:
    """Recompute and store ``article``'s related list.

    With ``cascade`` the lists of the articles it is most related to are recomputed too, so
    a new story shows up under the older ones it belongs with, not only the other way round.
    """
    feats = stored_features(article)
    ranked = rank_candidates(article, feats, stored_count())
    store_related(article.pk, ranked)
    if cascade and article.is_live:
        neighbours = Article.objects.filter(pk__in=[rid for rid, _ in ranked[: related_count()]])
        for other in neighbours.only("pk", "category_id", "published_at", "status"):
            store_related(other.pk, rank_candidates(other, stored_features(other), stored_count()))
    return ranked


# --- Reading related articles (the public page) ----------------------------------------------


def _listing_fields(qs: QuerySet[Article]) -> QuerySet[Article]:
    return qs.select_related("category").only(
        "title", "slug", "published_at", "featured_image", "image_renditions", "category__name"
    )


def related_for(article: Article, k: int | None = None) -> list[Article]:
    """Up to ``k`` related live articles: pinned first, then by score; never excluded ones.

    Falls back to (and tops up with) same-category newest-first articles when fewer are
    stored, e.g. before the first computation. At most two queries.
    """
    k = k or related_count()
    if article.pk is None or k <= 0:
        return []
    now = timezone.now()
    links = list(
        RelatedArticle.objects.filter(
            article_id=article.pk,
            related__status=Published,
            related__published_at__lte=now,
        )
        .select_related("related", "related__category")
        .only(
            "pinned",
            "excluded",
            "score",
            "related_id",
            "related__title",
            "related__slug",
            "related__published_at",
            "related__featured_image",
            "related__image_renditions",
            "related__category__name",
        )
        .order_by("excluded", "-pinned", "-score", "id")[: k + 32]
    )
    excluded = {link.related_id for link in links if link.excluded}
    result = [link.related for link in links if not link.excluded][:k]
    if len(result) < k and article.category_id:
        skip = {article.pk, *excluded, *(a.pk for a in result)}
        # Near-duplicates stay out of the top-up too (subqueries: still one round trip).
        fill = (
            _listing_fields(Article.objects.published(now).filter(category_id=article.category_id))
            .exclude(pk__in=skip)
            .exclude(
                pk__in=NearDuplicate.objects.filter(article_id=article.pk).values("duplicate_of_id")
            )
            .exclude(
                pk__in=NearDuplicate.objects.filter(duplicate_of_id=article.pk).values("article_id")
            )
        )
        result.extend(fill[: k - len(result)])
    return result
