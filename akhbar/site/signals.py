"""Start a new content generation whenever something readers see changes.

Every cached page, feed and sitemap is keyed on the generation (akhbar.site.cache), so this is
the one place that decides what "changed" means. Comments count only when an approved comment
appears, changes or disappears: a flood of spam submissions never empties the caches.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from akhbar.comments.models import Comment
from akhbar.newsroom.models import Article, Author, Category, Tag
from akhbar.site.cache import bump_content_version
from akhbar.site.models import Page, SiteSettings

DISPATCH = "akhbar.site.content"


def _bump(sender: type, **kwargs: Any) -> None:
    bump_content_version()


def _bump_settings(sender: type, created: bool = False, **kwargs: Any) -> None:
    # SiteSettings.current() creates the row with defaults on first use, often in the middle
    # of rendering a page; that changes nothing a reader sees.
    if not created:
        bump_content_version()


def _remember_status(sender: type, instance: Comment, **kwargs: Any) -> None:
    # Read from __dict__: comments loaded with .only() without "status" (the public list)
    # would otherwise fetch it with one query per comment.
    instance._loaded_status = instance.__dict__.get("status")  # type: ignore[attr-defined]


def _comment_changed(sender: type, instance: Comment, **kwargs: Any) -> None:
    approved = Comment.Status.APPROVED
    status = instance.__dict__.get("status")
    if status is None or approved in (status, getattr(instance, "_loaded_status", None)):
        bump_content_version()
    instance._loaded_status = status  # type: ignore[attr-defined]


def connect() -> None:
    for model in (Article, Category, Tag, Author, Page):
        post_save.connect(_bump, sender=model, dispatch_uid=f"{DISPATCH}.save.{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"{DISPATCH}.del.{model.__name__}")
    post_save.connect(_bump_settings, sender=SiteSettings, dispatch_uid=f"{DISPATCH}.settings")
    m2m_changed.connect(_bump, sender=Article.tags.through, dispatch_uid=f"{DISPATCH}.tags")
    post_init.connect(_remember_status, sender=Comment, dispatch_uid=f"{DISPATCH}.c.init")
    post_save.connect(_comment_changed, sender=Comment, dispatch_uid=f"{DISPATCH}.c.save")
    post_delete.connect(_comment_changed, sender=Comment, dispatch_uid=f"{DISPATCH}.c.del")
