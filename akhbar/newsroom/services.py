"""Newsroom domain logic: the editorial workflow, preview links, read counts.

Plain functions used by the admin, the public views and the management commands.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.dispatch import Signal
from django.utils import timezone

from akhbar.newsroom import roles
from akhbar.newsroom.models import Article, WorkflowEvent

log = logging.getLogger(__name__)

# Sent once per article when readers can first see it (hooks: search index, push, cache purge).
article_went_live = Signal()

Status = Article.Status
Action = WorkflowEvent.Action


# --- Workflow -------------------------------------------------------------------------------


def _action_for(old: str | None, new: str, article: Article, now: datetime) -> str | None:
    if old is None:
        return Action.CREATED if new in (Status.DRAFT,) else _action_for("draft", new, article, now)
    if old == new and new != Status.PUBLISHED:
        return None
    if new == Status.PENDING:
        return Action.SUBMITTED
    if new == Status.DRAFT:
        return Action.RETURNED
    if new == Status.ARCHIVED:
        return Action.ARCHIVED
    if new == Status.PUBLISHED:
        scheduled = article.published_at is not None and article.published_at > now
        if old == Status.PUBLISHED:
            return None
        return Action.SCHEDULED if scheduled else Action.PUBLISHED
    return None


def check_transition(user: Any, article: Article, new_status: str) -> None:
    """Raise PermissionDenied (Arabic message) unless ``user`` may move ``article`` there."""
    if article.pk is None:
        if not roles.can_create(user):
            raise PermissionDenied("لا تملك صلاحية إنشاء مقالات.")
    elif not roles.can_edit(user, article):
        raise PermissionDenied("لا تملك صلاحية تعديل هذا المقال.")
    if new_status in (Status.PUBLISHED, Status.ARCHIVED) and not roles.can_publish(user, article):
        raise PermissionDenied("لا تملك صلاحية نشر هذا المقال أو جدولته؛ أرسله للمراجعة.")


def check_publishable(article: Article) -> None:
    """What a published article must have (readers and screen readers depend on it)."""
    errors: dict[str, str] = {}
    if article.featured_image and not (article.image_alt or "").strip():
        errors["image_alt"] = "النص البديل للصورة مطلوب قبل النشر."
    if not (article.title or "").strip():
        errors["title"] = "العنوان مطلوب قبل النشر."
    if errors:
        raise ValidationError(errors)


def record_event(
    article: Article, old_status: str | None, user: Any = None, note: str = ""
) -> WorkflowEvent | None:
    """Log the transition that just happened (nothing if the state did not change)."""
    now = timezone.now()
    action = _action_for(old_status, article.status, article, now)
    if action is None:
        return None
    event = WorkflowEvent.objects.create(
        article=article,
        action=action,
        from_status=old_status or "",
        to_status=article.status,
        user=user if getattr(user, "is_authenticated", False) else None,
        note=note,
    )
    if action == Action.PUBLISHED:
        mark_live(article, now)
    return event


@transaction.atomic
def save_article(
    article: Article, user: Any, old_status: str | None = None, *, check: bool = True
) -> Article:
    """Save as ``user``: check the workflow rules, keep a revision and log the transition."""
    if check:
        check_transition(user, article, article.status)
        if article.status == Status.PUBLISHED:
            check_publishable(article)
    if article.pk is None and getattr(user, "is_authenticated", False):
        article.created_by = user
    article._changed_by = user
    article.save()
    record_event(article, old_status, user)
    return article


def transition(article: Article, new_status: str, user: Any, *, when: datetime | None = None):
    """Move ``article`` to ``new_status`` (``when`` sets a publication time, maybe future)."""
    check_transition(user, article, new_status)
    old = article.status
    article.status = new_status
    if when is not None:
        article.published_at = when
    return save_article(article, user, old)


def submit_for_review(article: Article, user: Any) -> Article:
    return transition(article, Status.PENDING, user)


def publish(article: Article, user: Any, when: datetime | None = None) -> Article:
    """Publish now, or schedule when ``when`` is in the future (no cron needed to go live)."""
    return transition(article, Status.PUBLISHED, user, when=when or article.published_at)


def archive(article: Article, user: Any) -> Article:
    return transition(article, Status.ARCHIVED, user)


def delete_article(article: Article, user: Any) -> None:
    if not roles.can_delete(user, article):
        raise PermissionDenied("لا تملك صلاحية حذف هذا المقال.")
    article.delete()


def mark_live(article: Article, now: datetime | None = None) -> bool:
    """Record the moment ``article`` became visible and fire ``article_went_live`` once."""
    now = now or timezone.now()
    updated = Article.objects.filter(
        pk=article.pk, went_live_at__isnull=True, status=Status.PUBLISHED, published_at__lte=now
    ).update(went_live_at=now)
    if updated:
        article.went_live_at = now
        article_went_live.send(sender=Article, article=article)
    return bool(updated)


def publish_due(now: datetime | None = None) -> list[Article]:
    """Scheduled articles whose time has come and that no hook has seen yet.

    Readers already see them (``published()`` filters on time); this is for hooks that must
    run once per article: it logs a "went live" event and sends ``article_went_live``.
    """
    now = now or timezone.now()
    due = list(
        Article.objects.filter(
            status=Status.PUBLISHED, published_at__lte=now, went_live_at__isnull=True
        )
    )
    done = []
    for article in due:
        if mark_live(article, now):
            WorkflowEvent.objects.create(
                article=article,
                action=Action.WENT_LIVE,
                from_status=Status.PUBLISHED,
                to_status=Status.PUBLISHED,
            )
            done.append(article)
    return done


# --- Preview links --------------------------------------------------------------------------

PREVIEW_SALT = "akhbar.newsroom.preview"


def preview_hours() -> int:
    return int(settings.AKHBAR.get("PREVIEW_LINK_HOURS", 48))


def preview_token(article: Article) -> str:
    """A link token anyone may use to read this draft until it expires (default 48 hours)."""
    return signing.TimestampSigner(salt=PREVIEW_SALT).sign(str(article.pk))


def article_from_preview_token(token: str) -> Article | None:
    """The article for a valid, unexpired token, else None (bad, tampered or old)."""
    try:
        value = signing.TimestampSigner(salt=PREVIEW_SALT).unsign(
            token, max_age=timedelta(hours=preview_hours())
        )
    except signing.BadSignature:
        return None
    if not value.isdigit():
        return None
    return (
        Article.objects.select_related("author", "category", "category__parent")
        .prefetch_related("tags")
        .filter(pk=int(value))
        .first()
    )


# --- Read counts ----------------------------------------------------------------------------

HIT_KEY = "akhbar:hits:{}"
PENDING_KEY = "akhbar:hits:pending"
TOTAL_KEY = "akhbar:hits:total"
MAX_PENDING = 5000
BOT_RE = re.compile(
    r"bot|crawl|spider|slurp|facebookexternalhit|embedly|preview|scan|monitor|curl|wget|"
    r"python-|httpclient|java/|go-http|okhttp|axios|node-fetch|lighthouse|pingdom",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or bool(BOT_RE.search(user_agent))


def count_hit(article_id: int, user_agent: str) -> bool:
    """Count one read in the cache (no database write); flush in batches.

    Returns False for bots. The cache counter is atomic (Redis INCR in production); the
    pending-id list is best effort: an id lost in a race is picked up on its next read.
    """
    if is_bot(user_agent) or not 0 < article_id < 2**62:
        return False
    key = HIT_KEY.format(article_id)
    if not cache.add(key, 1, timeout=None):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=None)
    pending = cache.get(PENDING_KEY) or set()
    if article_id not in pending and len(pending) < MAX_PENDING:
        pending.add(article_id)
        cache.set(PENDING_KEY, pending, timeout=None)
    cache.add(TOTAL_KEY, 0, timeout=None)
    total = cache.incr(TOTAL_KEY)
    if total % int(settings.AKHBAR.get("HIT_FLUSH_EVERY", 50)) == 0:
        flush_hits()
    return True


def flush_hits() -> int:
    """Add the cached counts to ``Article.view_count`` (one UPDATE per article); return reads."""
    pending = cache.get(PENDING_KEY) or set()
    cache.delete(PENDING_KEY)
    flushed = 0
    for article_id in pending:
        key = HIT_KEY.format(article_id)
        count = cache.get(key) or 0
        if not count:
            continue
        try:
            cache.decr(key, count)
        except ValueError:
            continue
        Article.objects.filter(pk=article_id).update(view_count=F("view_count") + count)
        flushed += count
    return flushed


def most_read(count: int = 5, days: int | None = None) -> QuerySet[Article]:
    """The most read stories published in the last ``days`` (setting MOST_READ_DAYS, 7)."""
    days = days or int(settings.AKHBAR.get("MOST_READ_DAYS", 7))
    since = timezone.now() - timedelta(days=days)
    return (
        Article.objects.published()
        .filter(published_at__gte=since, view_count__gt=0)
        .only("title", "slug", "published_at", "view_count")
        .order_by("-view_count", "-published_at")[:count]
    )


# --- Reader-facing text -----------------------------------------------------------------------


def arabic_minutes(n: int) -> str:
    """Reading time with Arabic number agreement (akhbar.core.text): دقيقة واحدة، دقيقتان…"""
    from akhbar.core.text import count_phrase

    return count_phrase(max(1, int(n)), "minute")
