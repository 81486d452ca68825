"""Drop cached feeds and sitemaps whenever what they describe changes.

Any save or delete of an article (publishing, editing, unpublishing), of what appears beside
it in feeds (category, tag and author names, the site name) or of a static page starts a new
cache generation. Comments only invalidate their own article's comment feed.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from akhbar.comments.models import Comment
from akhbar.newsroom.models import Article, Author, Category, Tag
from akhbar.site.models import Page, SiteSettings
from akhbar.syndication import services

DISPATCH = "akhbar.syndication"


def _bump(sender: type, **kwargs: Any) -> None:
    services.bump_cache_version()


def _bump_settings(sender: type, created: bool = False, **kwargs: Any) -> None:
    # SiteSettings.current() creates the row with defaults on first use, often in the middle
    # of generating a feed; that changes nothing a reader sees, so it must not orphan the
    # document being built.
    if not created:
        services.bump_cache_version()


def _bump_comments(sender: type, instance: Comment, **kwargs: Any) -> None:
    services.bump_comments_version(instance.article_id)


def connect() -> None:
    for model in (Article, Category, Tag, Author, Page, SiteSettings):
        receiver = _bump_settings if model is SiteSettings else _bump
        post_save.connect(receiver, sender=model, dispatch_uid=f"{DISPATCH}.save.{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"{DISPATCH}.delete.{model.__name__}")
    m2m_changed.connect(_bump, sender=Article.tags.through, dispatch_uid=f"{DISPATCH}.tags")
    post_save.connect(_bump_comments, sender=Comment, dispatch_uid=f"{DISPATCH}.comment.save")
    post_delete.connect(_bump_comments, sender=Comment, dispatch_uid=f"{DISPATCH}.comment.del")
