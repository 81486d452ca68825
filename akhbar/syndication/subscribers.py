"""Drop an article's cached comment feed when one of its visible comments changes.

Everything else (articles, sections, tags, authors, pages, site settings) is covered by the
content generation the site app bumps for pages, feeds and sitemaps alike.
"""

from __future__ import annotations

from akhbar.core import events
from akhbar.syndication import services


def on_comment(event: events.CommentApproved | events.CommentRemoved) -> None:
    services.bump_comments_version(event.article_id)


def connect() -> None:
    events.subscribe(events.CommentApproved, on_comment, name="syndication")
    events.subscribe(events.CommentRemoved, on_comment, name="syndication")
