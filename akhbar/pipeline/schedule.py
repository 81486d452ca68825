"""Recurring jobs without cron: a small scheduler that runs inside every worker process.

Why our own: django-tasks (and its database and RQ backends) only run jobs someone enqueued;
it has no notion of "every minute". Cron would be a second thing to install and keep in step
with the code on every server; rq-scheduler would only cover the Redis backend. So each worker
process runs :func:`tick` every few seconds: for each entry of :data:`SCHEDULE` whose
``next_run_at`` has passed it *claims* the run with one conditional UPDATE (only one worker of
one server wins, on SQLite and PostgreSQL alike) and enqueues the job on the normal queue,
where it gets the same retries, admin listing and recovery as any other job.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from akhbar.pipeline.models import ScheduledJob

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Every:
    name: str
    task_path: str
    seconds: int
    description: str = ""


#: The recurring work of a newsroom. Intervals are upper bounds on staleness, not precise times.
SCHEDULE: tuple[Every, ...] = (
    Every("publish_due", "akhbar.newsroom.tasks.publish_due", 30,
          "scheduled articles whose time came: ArticlePublished for subscribers"),
    Every("flush_hits", "akhbar.newsroom.tasks.flush_hits", 120,
          "read counts from the cache into the articles table"),
    Every("fetch_feeds", "akhbar.importers.tasks.fetch_feeds", 600,
          "partner RSS/Atom feeds (conditional GET)"),
    Every("index_catch_up", "akhbar.pipeline.tasks.index_catch_up", 600,
          "search and related indexes agree with the published articles"),
    Every("recover_jobs", "akhbar.pipeline.tasks.recover_jobs", 60,
          "jobs of dead workers are queued again"),
    Every("send_due_editions", "akhbar.newsletters.tasks.send_due_editions", 60,
          "newsletter digests whose local time came; resume sends with due retries"),
    Every("daily_maintenance", "akhbar.pipeline.tasks.daily_maintenance", 86400,
          "spam purge, personal-data expiry, planner statistics, old job results"),
)  # fmt: skip


def tick(worker_id: str = "", now: datetime | None = None) -> list[str]:
    """Enqueue every entry that is due and that this process won; returns their names.

    One read of the schedule per tick; writes only for what is due (SQLite takes its write
    lock per write transaction, so an idle tick writes nothing).
    """
    now = now or timezone.now()
    due_at = dict(ScheduledJob.objects.values_list("name", "next_run_at"))
    started = []
    for entry in SCHEDULE:
        if entry.name not in due_at:
            try:
                with transaction.atomic():
                    ScheduledJob.objects.get_or_create(
                        name=entry.name, defaults={"next_run_at": now}
                    )
            except IntegrityError:  # another worker created it at the same moment
                pass
            due_at[entry.name] = ScheduledJob.objects.get(name=entry.name).next_run_at
        due = due_at[entry.name]
        if due > now:
            continue
        claimed = ScheduledJob.objects.filter(name=entry.name, next_run_at=due).update(
            next_run_at=now + timedelta(seconds=entry.seconds),
            last_run_at=now,
            last_worker=worker_id[:64],
        )
        if not claimed:
            continue
        try:
            import_string(entry.task_path).enqueue()
        except Exception:
            log.exception("scheduler: could not enqueue %s", entry.name)
            ScheduledJob.objects.filter(name=entry.name).update(next_run_at=now)
            continue
        started.append(entry.name)
    return started
