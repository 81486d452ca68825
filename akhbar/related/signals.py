"""Recompute an article's fingerprint, duplicates and related lists when its words change."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_save

from akhbar.newsroom.models import Article
from akhbar.related import services

#: Saves touching only other fields (view counts, image renditions…) change nothing here.
RELEVANT_FIELDS = frozenset(
    {"title", "body", "excerpt", "status", "published_at", "category", "category_id"}
)


def article_saved(sender: Any, instance: Article, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata: fixtures are indexed by `manage.py related --rebuild`
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not RELEVANT_FIELDS.intersection(update_fields):
        return
    services.schedule_refresh(instance.pk)


def tags_changed(sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        services.schedule_refresh(instance.pk)
    else:  # tag.articles.add(...): every article touched
        for pk in kwargs.get("pk_set") or ():
            services.schedule_refresh(pk)


def article_went_live(sender: Any, article: Article, **kwargs: Any) -> None:
    """A scheduled article became visible: now it may join other articles' lists."""
    services.schedule_refresh(article.pk)


def connect() -> None:
    post_save.connect(article_saved, sender=Article, dispatch_uid="related.article_saved")
    m2m_changed.connect(
        tags_changed, sender=Article.tags.through, dispatch_uid="related.tags_changed"
    )
    try:
        from akhbar.newsroom.services import article_went_live as went_live_signal
    except ImportError:  # pragma: no cover - newsroom without scheduling hooks
        return
    went_live_signal.connect(article_went_live, dispatch_uid="related.article_went_live")
