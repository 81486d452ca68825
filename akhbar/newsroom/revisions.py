"""Revisions: a snapshot on every save that changed the words, a readable diff, and restore.

The diff is word-level on the plain text (not the HTML) because editors compare sentences, and
Arabic words joined by markup would otherwise show as noisy tag changes.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from akhbar.newsroom.html import html_to_text

if TYPE_CHECKING:
    from akhbar.newsroom.models import Article, Revision

_TOKEN_RE = re.compile(r"\s+|[^\s]+")


def record_revision(article: Article, user: Any = None, *, new: bool = False) -> Revision | None:
    """Keep a snapshot unless the latest one already has exactly these words.

    ``new``: the article was created by this save, so it has no revision to compare with.
    """
    from akhbar.newsroom.models import Revision

    last = None if new else article.revisions.only("title", "excerpt", "body").first()
    if last and (last.title, last.excerpt, last.body) == (
        article.title,
        article.excerpt,
        article.body,
    ):
        return None
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return Revision.objects.create(
        article=article,
        title=article.title,
        excerpt=article.excerpt,
        body=article.body,
        created_by=user,
    )


def word_diff(old: str, new: str) -> SafeString:
    """``new`` with words removed from ``old`` in <del> and added ones in <ins>, escaped."""
    a = _TOKEN_RE.findall(old or "")
    b = _TOKEN_RE.findall(new or "")
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # every piece above is escaped


@dataclass
class FieldDiff:
    label: str
    html: SafeString
    changed: bool


def compare(old: Revision, new: Revision) -> list[FieldDiff]:
    """Title, excerpt and body text of two revisions, side by side as one marked-up text each."""
    pairs = [
        ("العنوان", old.title, new.title),
        ("المقتطف", old.excerpt, new.excerpt),
        ("النص", html_to_text(old.body), html_to_text(new.body)),
    ]
    return [FieldDiff(label, word_diff(a, b), a != b) for label, a, b in pairs]


def restore(article: Article, revision: Revision, user: Any = None) -> Article:
    """Put ``revision``'s words back; the restore itself becomes the newest revision."""
    from akhbar.newsroom.models import WorkflowEvent

    if revision.article_id != article.pk:
        raise ValueError("revision belongs to another article")
    article.title = revision.title
    article.excerpt = revision.excerpt
    article.body = revision.body
    article._changed_by = user
    article.save()
    WorkflowEvent.objects.create(
        article=article,
        action=WorkflowEvent.Action.RESTORED,
        from_status=article.status,
        to_status=article.status,
        user=user if getattr(user, "is_authenticated", False) else None,
        note=f"#{revision.pk}",
    )
    return article
