"""Drop an article's cached comment feed whenever one of its comments changes.

Everything else (articles, sections, tags, authors, pages, site settings) is covered by the
content generation that akhbar.site.signals bumps for pages, feeds and sitemaps alike.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from akhbar.comments.models import Comment
from akhbar.syndication import services

DISPATCH = "akhbar.syndication"


def _bump_comments(sender: type, instance: Comment, **kwargs: Any) -> None:
    services.bump_comments_version(instance.article_id)


def connect() -> None:
    post_save.connect(_bump_comments, sender=Comment, dispatch_uid=f"{DISPATCH}.comment.save")
    post_delete.connect(_bump_comments, sender=Comment, dispatch_uid=f"{DISPATCH}.comment.del")
