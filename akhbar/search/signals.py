"""Keep the search index in step with the newsroom on publish, edit, unpublish and delete."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from akhbar.newsroom.models import Article, Category, Tag
from akhbar.search.backends import get_backend

__all__ = ["connect"]


def _article_saved(
    sender: Any, instance: Article, raw: bool = False, using: str = "default", **kwargs: Any
) -> None:
    if raw:  # loaddata: related rows may not exist yet; `manage.py reindex` afterwards
        return
    get_backend(using).index_article(instance)


def _article_deleted(sender: Any, instance: Article, using: str = "default", **kwargs: Any) -> None:
    get_backend(using).remove_article(instance.pk)


def _tags_changed(
    sender: Any,
    instance: Any,
    action: str,
    reverse: bool,
    pk_set: Any,
    using: str = "default",
    **kwargs: Any,
) -> None:
    """Tag names are indexed with the body, so adding or removing one reindexes the article."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    backend = get_backend(using)
    if not reverse:
        backend.index_article(instance)
    elif pk_set:
        _reindex_queryset(Article.objects.using(using).filter(pk__in=pk_set), using)


def _reindex_queryset(queryset: Any, using: str) -> None:
    backend = get_backend(using)
    batch: list[Article] = []
    for article in (
        queryset.filter(status=Article.Status.PUBLISHED)
        .select_related("category")
        .prefetch_related("tags")
        .iterator(chunk_size=500)
    ):
        batch.append(article)
        if len(batch) >= 500:
            backend.reindex(batch)
            batch = []
    if batch:
        backend.reindex(batch)


def _name_changed(
    sender: Any,
    instance: Category | Tag,
    created: bool,
    raw: bool = False,
    using: str = "default",
    **kwargs: Any,
) -> None:
    """A renamed category or tag changes the indexed text of its articles (rare, so eager)."""
    if created or raw:
        return
    field = "category" if isinstance(instance, Category) else "tags"
    _reindex_queryset(Article.objects.using(using).filter(**{field: instance}), using)


def connect() -> None:
    post_save.connect(_article_saved, sender=Article, dispatch_uid="search_article_saved")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="search_article_deleted")
    m2m_changed.connect(_tags_changed, sender=Article.tags.through, dispatch_uid="search_tags")
    post_save.connect(_name_changed, sender=Category, dispatch_uid="search_category_saved")
    post_save.connect(_name_changed, sender=Tag, dispatch_uid="search_tag_saved")
