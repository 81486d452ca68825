"""Posting and moderating comments.

A reader's comment is never silently lost: it is approved, held for a moderator, or stored as
spam with the reasons that made it so. Only a REJECT (rate limit, duplicate) stores nothing,
and then the reader gets their text back with a message saying what to do.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from akhbar.antispam import public as antispam
from akhbar.antispam.public import PipelineResult, Submission, Verdict, run_checks
from akhbar.comments.models import Comment
from akhbar.core.conf import akhbar_settings
from akhbar.newsroom.models import Article

log = logging.getLogger(__name__)

PENDING_MESSAGE = "شكراً لك. تعليقك بانتظار المراجعة وسيظهر للجميع بعد موافقة المشرف."
APPROVED_MESSAGE = "شكراً لك. نُشر تعليقك."


def comments_open(article: Article, now: datetime | None = None) -> bool:
    """Open if the article allows comments, is live, and isn't past the auto-close age."""
    if not article.comments_open or not article.is_live:
        return False
    days = akhbar_settings.comments_close_after_days
    if days and article.published_at:
        return (now or timezone.now()) < article.published_at + timedelta(days=days)
    return True


class ParentError(ValueError):
    """The comment replies to something it cannot reply to."""


def resolve_parent(article: Article, parent_id: int | None) -> Comment | None:
    """The comment to attach a reply to, flattened at the maximum depth (like WordPress)."""
    if not parent_id:
        return None
    parent = (
        Comment.objects.filter(pk=parent_id, status=Comment.Status.APPROVED)
        .only("id", "article_id", "parent_id", "depth")
        .first()
    )
    if parent is None or parent.article_id != article.pk:
        raise ParentError("التعليق الذي تردّ عليه غير موجود في هذا المقال.")
    max_depth = max(1, akhbar_settings.comment_max_depth)
    while parent.depth >= max_depth - 1 and parent.parent_id:
        parent = Comment.objects.only("id", "article_id", "parent_id", "depth").get(
            pk=parent.parent_id
        )
    return parent


@dataclass
class RequestInfo:
    ip: str | None
    user_agent: str
    referrer: str
    permalink: str


@dataclass
class PostOutcome:
    comment: Comment | None
    status: str  # "approved" | "pending" | "spam" | "discarded" | "rejected"
    message: str
    pipeline: PipelineResult | None = None


def post_comment(
    article: Article,
    *,
    name: str,
    email: str,
    url: str,
    body: str,
    parent: Comment | None,
    rendered_at: datetime | None,
    honeypot: str,
    request: RequestInfo,
    user: Any = None,
) -> PostOutcome:
    now = timezone.now()
    if user is not None and user.is_authenticated and user.has_perm("comments.change_comment"):
        # Staff replying on their own site: no spam checks, published at once.
        comment = _create(
            article,
            parent=parent,
            name=name,
            email=email,
            url=url,
            body=body,
            request=request,
            status=Comment.Status.APPROVED,
        )
        comment.user = user
        comment.save(update_fields=["user"])
        return PostOutcome(comment, "approved", APPROVED_MESSAGE)

    submission = Submission(
        article_id=article.pk,
        name=name,
        email=email,
        url=url,
        body=body,
        ip=request.ip,
        user_agent=request.user_agent[:500],
        referrer=request.referrer[:500],
        permalink=request.permalink,
        rendered_at=rendered_at,
        honeypot=honeypot,
        now=now,
        is_reply=parent is not None,
        **_history(article.pk, email),
    )
    result = run_checks(submission)
    if result.verdict == Verdict.REJECT:
        return PostOutcome(None, "rejected", result.reader_message, result)
    if result.verdict == Verdict.SPAM and result.akismet_discard:
        # Akismet's "pro tip: discard": blatant spam. Logged with the reason, not stored.
        log.info("Discarded blatant spam on article %s (Akismet discard)", article.pk)
        return PostOutcome(None, "discarded", PENDING_MESSAGE, result)
    status = {
        Verdict.HAM: Comment.Status.APPROVED,
        Verdict.HOLD: Comment.Status.PENDING,
        Verdict.SPAM: Comment.Status.SPAM,
    }[result.verdict]
    comment = _create(
        article,
        parent=parent,
        name=name,
        email=email,
        url=url,
        body=body,
        request=request,
        status=status,
    )
    comment.spam_reasons = result.reasons
    comment.spam_probability = result.spam_probability
    comment.save(update_fields=["spam_reasons", "spam_probability"])
    if status == Comment.Status.PENDING:
        # Mail is slow and may fail: a background job after commit, retried with backoff.
        from akhbar.comments.tasks import notify_moderators_of

        comment_id = comment.pk
        transaction.on_commit(lambda: notify_moderators_of.enqueue(comment_id))
    if status == Comment.Status.APPROVED:
        return PostOutcome(comment, "approved", APPROVED_MESSAGE, result)
    # Spam is shown to its author as "awaiting moderation" like anything held: a person
    # wrongly caught is not insulted, and a spammer learns nothing.
    return PostOutcome(comment, status, PENDING_MESSAGE, result)


def _history(article_id: int, email: str) -> dict:
    """What the spam checks need to know of this reader's earlier comments (two indexed
    queries): their latest texts on this article, and whether one was ever approved."""
    mine = Comment.objects.filter(author_email__iexact=email)
    return {
        "previous_bodies": tuple(
            mine.filter(article_id=article_id)
            .order_by("-created_at", "-id")
            .values_list("body", flat=True)[:50]
        ),
        "approved_before": mine.filter(status=Comment.Status.APPROVED).exists(),
    }


def taught_lessons() -> Iterator[tuple[str, str, str, bool]]:
    """Every moderator decision the spam filter learned (antispam rebuilds its model from
    them when its features change; registered in CommentsConfig.ready)."""
    taught = Comment.objects.exclude(learned_as="").values_list(
        "author_name", "author_url", "body", "learned_as"
    )
    for name, url, body, label in taught.iterator(chunk_size=500):
        yield name, url, body, label == "spam"


def _create(
    article: Article,
    *,
    parent: Comment | None,
    name: str,
    email: str,
    url: str,
    body: str,
    request: RequestInfo,
    status: str,
) -> Comment:
    return Comment.objects.create(
        article=article,
        parent=parent,
        author_name=name,
        author_email=email,
        author_url=url,
        body=body,
        status=status,
        ip_address=request.ip,
        user_agent=request.user_agent[:500],
        depth=0 if parent is None else parent.depth + 1,
    )


def notify_moderators(comment: Comment) -> None:
    if not akhbar_settings.comment_notify_staff:
        return
    user_model = get_user_model()
    perm = (
        Q(is_superuser=True)
        | Q(user_permissions__codename="change_comment")
        | Q(groups__permissions__codename="change_comment")
    )
    emails = sorted(
        set(
            user_model.objects.filter(perm, is_active=True, is_staff=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not emails:
        return
    reasons = "\n".join(f"- {r['reason']}" for r in comment.spam_reasons) or "-"
    send_mail(
        subject=f"تعليق جديد بانتظار المراجعة على «{comment.article.title}»",
        message=(
            f"كتب {comment.author_name}:\n\n{comment.body}\n\nأسباب الاحتجاز:\n{reasons}\n\n"
            "راجع التعليقات من لوحة الإدارة: /admin/comments/comment/?status__exact=pending"
        ),
        from_email=None,
        recipient_list=emails,
        # Raised, not swallowed: the job that calls this is retried with backoff and a final
        # failure is listed in the admin.
        fail_silently=False,
    )


# --- Moderation ----------------------------------------------------------------------------


def moderate(comments: Iterable[Comment], status: str) -> int:
    """Set ``status`` on ``comments`` and teach the spam filter (and Akismet) the decision."""
    changed = 0
    for comment in comments:
        if comment.status == status:
            continue
        previous = comment.status
        comment.status = status
        comment.save(update_fields=["status"])
        changed += 1
        if status == Comment.Status.SPAM:
            antispam.teach(comment, is_spam=True)
            antispam.report_to_akismet(comment, True)
        elif status == Comment.Status.APPROVED:
            # Approving a comment that the filter called spam or held: it was ham.
            antispam.teach(comment, is_spam=False)
            if previous == Comment.Status.SPAM:
                antispam.report_to_akismet(comment, False)
    return changed


def purge_spam(now: datetime | None = None, days: int | None = None) -> int:
    """Delete spam older than ``days`` (never fewer than 15, so a moderator has time to
    rescue a false positive)."""
    days = max(15, days if days is not None else akhbar_settings.spam_purge_days)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = Comment.objects.filter(status=Comment.Status.SPAM, created_at__lt=cutoff).delete()
    return deleted


def erase_personal_data(now: datetime | None = None, days: int | None = None) -> int:
    """Forget IP addresses and user agents once they are no longer needed for spam checks."""
    days = days if days is not None else akhbar_settings.comment_personal_data_days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return (
        Comment.objects.filter(created_at__lt=cutoff)
        .filter(Q(ip_address__isnull=False) | ~Q(user_agent=""))
        .update(ip_address=None, user_agent="")
    )


def reader_pending(article: Article, comment_ids: list[int]) -> list[Comment]:
    """The reader's own comments that others can't see yet (ids come from a signed cookie)."""
    if not comment_ids:
        return []
    return list(
        Comment.objects.filter(
            article=article,
            pk__in=comment_ids[-20:],
            status__in=[Comment.Status.PENDING, Comment.Status.SPAM],
        ).order_by("created_at")
    )


@dataclass
class CommentNode:
    comment: Comment
    children: list[CommentNode]
    pending: bool = False

    @property
    def can_reply(self) -> bool:
        """No reply link at the deepest level (replies there would be flattened anyway)."""
        return not self.pending and self.comment.depth < akhbar_settings.comment_max_depth - 1


def approved_comment_tree(article: Article) -> tuple[list[CommentNode], int]:
    """Approved comments as a tree, oldest first, in one query.

    A reply whose parent is not approved is shown at the top level rather than hidden, so
    approving a reply never depends on the moderator also approving its parent.
    """
    comments = list(
        Comment.objects.filter(article=article, status=Comment.Status.APPROVED)
        .only(
            "id", "parent_id", "author_name", "author_url", "body", "created_at", "user_id",
            "depth", "article_id",
        )
        .order_by("created_at", "id")
    )  # fmt: skip
    nodes = {c.pk: CommentNode(c, []) for c in comments}
    roots: list[CommentNode] = []
    for c in comments:
        parent = nodes.get(c.parent_id) if c.parent_id else None
        (parent.children if parent else roots).append(nodes[c.pk])
    return roots, len(comments)


def staff_reply(parent: Comment, user: Any, body: str) -> Comment:
    """A reply from the newsroom, published at once under the reader's comment."""
    name = user.get_full_name() or user.get_username()
    profile = getattr(user, "author_profile", None)
    if profile is not None:
        name = profile.display_name
    if parent.status != Comment.Status.APPROVED:
        moderate([parent], Comment.Status.APPROVED)  # replying to a comment approves it
    return Comment.objects.create(
        article_id=parent.article_id,
        parent=parent,
        user=user,
        author_name=name,
        author_email=user.email or "editor@localhost",
        body=body,
        status=Comment.Status.APPROVED,
        depth=parent.depth + 1,
    )
