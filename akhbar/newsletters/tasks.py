"""Jobs (Django's tasks API). Arguments are ids; every job is safe to run twice."""

from __future__ import annotations

import logging

from django_tasks import task

log = logging.getLogger(__name__)


@task()
def send_confirmation(subscriber_id: int, list_slugs: list[str]) -> str:
    """Mail the double opt-in link (or, to an existing reader, a link to add the lists)."""
    from akhbar.newsletters import transactional

    return transactional.send_confirmation(subscriber_id, list_slugs)


@task()
def send_edition(edition_id: int) -> dict:
    """Send an edition (or resume it). Temporary failures are retried by send_due_editions."""
    from akhbar.newsletters import sending

    progress = sending.send_edition(edition_id)
    return {
        "sent": progress.sent,
        "failed": progress.failed,
        "retry": progress.retry,
        "uncertain": progress.uncertain,
        "skipped": progress.skipped,
    }


@task()
def send_due_editions() -> dict:
    """The periodic job: assemble due digests and start or resume sending."""
    from akhbar.newsletters import editions

    report = editions.send_due_editions()
    return {"created": report.created, "started": report.started}


@task()
def send_test(edition_id: int, user_ids: list[int]) -> int:
    from akhbar.newsletters import transactional

    return transactional.send_test(edition_id, user_ids)
