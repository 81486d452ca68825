"""Comments' background jobs: moderator mail off the reader's request."""

from __future__ import annotations

from django_tasks import task

from akhbar.core.retry import retrying


@task()
@retrying(attempts=5, backoff=30)
def notify_moderators_of(comment_id: int) -> bool:
    """Mail moderators about a held comment (skipped if it was moderated meanwhile)."""
    from akhbar.comments.models import Comment
    from akhbar.comments.services import notify_moderators

    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.PENDING:
        return False
    notify_moderators(comment)
    return True
