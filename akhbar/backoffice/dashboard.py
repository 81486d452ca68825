"""What the newsroom's admin home shows: the day's work at a glance.

Each block is one bounded query (counts plus at most ``LIMIT`` rows), scoped to the articles
the user may see, so the dashboard stays fast whatever the archive size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse

from akhbar.comments.models import Comment
from akhbar.newsroom import public as roles
from akhbar.newsroom.models import Article
from akhbar.newsroom.public import today_bounds

LIMIT = 6


@dataclass(frozen=True)
class Block:
    key: str
    title: str
    count: int
    link: str
    items: list[Any] = field(default_factory=list)
    empty: str = "لا شيء الآن."
    tone: str = ""  # "alert" for blocks that need someone's attention


def visible_articles(user: Any) -> QuerySet[Article]:
    """The articles ``user`` sees in the admin (the same rule as the article list)."""
    qs = Article.objects.select_related("author", "category")
    if user.has_perm("newsroom.edit_others_article"):
        return qs
    return qs.filter(Q(created_by=user) | Q(author__user=user))


def _changelist(query: str = "") -> str:
    return reverse("admin:newsroom_article_changelist") + query


def failed_jobs() -> Block | None:
    """Failed background jobs, once the database job queue (django-tasks-db) is installed."""
    if not apps.is_installed("django_tasks_db"):
        return None
    from django_tasks_db.models import DBTaskResult

    failed = DBTaskResult.objects.failed()
    query = "?status__exact=FAILED"
    if apps.is_installed("akhbar.pipeline"):
        # An attempt followed by a queued retry is not a failure anyone must act on.
        from akhbar.core.retry import RETRY_PATHS

        failed = failed.exclude(exception_class_path__in=RETRY_PATHS)
        query = "?failure=final"
    opts = DBTaskResult._meta
    prefix = f"admin:{opts.app_label}_{opts.model_name}"
    try:
        link = reverse(f"{prefix}_changelist") + query
    except NoReverseMatch:  # the queue's admin is not registered
        link = ""
    items = [
        {
            "title": job.task_name,
            "url": reverse(f"{prefix}_change", args=[job.pk]) if link else "",
            "when": job.enqueued_at,
        }
        for job in failed.order_by("-enqueued_at")[:LIMIT]
    ]
    return Block(
        "jobs",
        "مهام خلفية فشلت",
        failed.count(),
        link,
        items,
        empty="لا مهام فاشلة.",
        tone="alert",
    )


def blocks(user: Any, now: datetime | None = None) -> list[Block]:
    now, start, end = today_bounds(now)
    mine = visible_articles(user)
    pending = mine.filter(status=Article.Status.PENDING).order_by("-updated_at")
    scheduled = mine.filter(
        status=Article.Status.PUBLISHED, published_at__gt=now, published_at__lt=end
    ).order_by("published_at")
    published = mine.filter(
        status=Article.Status.PUBLISHED, published_at__gte=start, published_at__lte=now
    ).order_by("-published_at")
    breaking = (
        Article.objects.published(now)
        .filter(is_breaking=True)
        .select_related("category")
        .order_by("-published_at")
    )
    most_read = (
        Article.objects.published(now)
        .filter(published_at__gte=now - timedelta(days=1), view_count__gt=0)
        .order_by("-view_count", "-published_at")
    )
    out = [
        Block(
            "pending",
            "بانتظار المراجعة",
            pending.count(),
            _changelist("?quick=pending"),
            list(pending[:LIMIT]),
            empty="لا مقالات بانتظار المراجعة.",
            tone="alert",
        ),
        Block(
            "scheduled",
            "مجدول اليوم",
            scheduled.count(),
            _changelist("?quick=scheduled"),
            list(scheduled[:LIMIT]),
            empty="لا شيء مجدول لبقية اليوم.",
        ),
        Block(
            "published",
            "نُشر اليوم",
            published.count(),
            _changelist("?quick=today"),
            list(published[:LIMIT]),
            empty="لم يُنشر شيء اليوم بعد.",
        ),
        Block(
            "breaking",
            "عاجل الآن",
            breaking.count(),
            _changelist("?is_breaking__exact=1&quick=live"),
            list(breaking[:LIMIT]),
            empty="لا خبر عاجل منشور.",
        ),
        Block(
            "most_read",
            "الأكثر قراءة اليوم",
            0,
            "",
            list(most_read[:LIMIT]),
            empty="لا قراءات مسجّلة لأخبار اليوم بعد.",
        ),
    ]
    if roles.can_moderate(user):
        comments = Comment.objects.filter(status=Comment.Status.PENDING)
        out.insert(
            1,
            Block(
                "comments",
                "تعليقات بانتظار الإشراف",
                comments.count(),
                reverse("admin:comments_comment_changelist") + "?status__exact=pending",
                list(comments.select_related("article").order_by("-created_at")[:LIMIT]),
                empty="لا تعليقات تنتظر الإشراف.",
                tone="alert",
            ),
        )
    if user.is_superuser or user.has_perm("django_tasks_database.view_dbtaskresult"):
        jobs = failed_jobs()
        if jobs is not None:
            out.append(jobs)
    return out
