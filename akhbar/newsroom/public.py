"""The newsroom's public interface: the write path and the helpers other apps build on.

Other apps import this module (``from akhbar.newsroom.public import html_to_text``, or
``from akhbar.newsroom import public as newsroom``) and ``akhbar.newsroom.models``, never the
app's other modules: those are the newsroom's own to reorganise (docs/architecture.md, "Apps";
import-linter checks it). Writes to articles go through the write-path functions below.
"""

from __future__ import annotations

from akhbar.newsroom.desk import profile_for, today_bounds
from akhbar.newsroom.html import html_to_text, sanitize_html
from akhbar.newsroom.images import (
    BODY_SIZES,
    SafeImageField,
    clean_upload,
    inline_srcset,
    max_bytes,
    save_inline_image,
)
from akhbar.newsroom.roles import CONTRIBUTOR, can_edit, can_moderate, can_view, group_name
from akhbar.newsroom.services import (
    add_article_note,
    archive,
    article_from_preview_token,
    count_hit,
    delete_article,
    emit_updated,
    most_read,
    persist,
    publish,
    save_article,
    save_many,
    schedule,
    set_tags,
    unpublish,
)
from akhbar.newsroom.tasks import make_renditions, renditions_catch_up

__all__ = [
    "BODY_SIZES",
    "CONTRIBUTOR",
    "SafeImageField",
    "add_article_note",
    "archive",
    "article_from_preview_token",
    "can_edit",
    "can_moderate",
    "can_view",
    "clean_upload",
    "count_hit",
    "delete_article",
    "emit_updated",
    "group_name",
    "html_to_text",
    "inline_srcset",
    "make_renditions",
    "max_bytes",
    "most_read",
    "persist",
    "profile_for",
    "publish",
    "renditions_catch_up",
    "sanitize_html",
    "save_article",
    "save_inline_image",
    "save_many",
    "schedule",
    "set_tags",
    "today_bounds",
    "unpublish",
]
