"""Is the queue being worked? Heartbeats, queue depth, orphaned jobs, for admin and probes.

Both backends keep their jobs in their own store (database rows for django-tasks-db, Redis for
RQ); worker processes record a heartbeat in the site's database every few seconds
(:class:`~akhbar.pipeline.models.WorkerHeartbeat`), so one question — "is a live worker
taking jobs, and is the queue draining?" — has one answer whatever the backend.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from akhbar.core.conf import akhbar_settings
from akhbar.pipeline.models import WorkerHeartbeat

log = logging.getLogger(__name__)


def heartbeat_seconds() -> float:
    return akhbar_settings.worker_heartbeat_seconds


def stale_seconds() -> float:
    """A worker silent this long is dead (its running jobs are queued again)."""
    return akhbar_settings.worker_stale_seconds


def backend_kind() -> str:
    path = settings.TASKS["default"]["BACKEND"]
    if "django_tasks_db" in path:
        return "database"
    if "django_tasks_rq" in path:
        return "redis"
    return "immediate"


# --- Heartbeats ---------------------------------------------------------------------------------


def beat(worker_id: str, *, started_at: datetime | None = None) -> None:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
        seen_at=now, stopped_at=None
    )
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "hostname": socket.gethostname()[:200],
                "pid": os.getpid(),
                "backend": backend_kind(),
                "started_at": started_at or now,
                "seen_at": now,
                "stopped_at": None,
            },
        )


def stopped(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(stopped_at=timezone.now())


def live_worker_ids(now: datetime | None = None) -> set[str]:
    now = now or timezone.now()
    since = now - timedelta(seconds=stale_seconds())
    return set(
        WorkerHeartbeat.objects.filter(seen_at__gte=since, stopped_at__isnull=True).values_list(
            "worker_id", flat=True
        )
    )


# --- Recovery -----------------------------------------------------------------------------------


def recover_orphans() -> int:
    """Jobs marked running by a worker that is dead are put back on the queue; how many.

    A worker killed -9 (or its machine lost) never marks its job finished. Jobs are written to
    be safe to run again (see each app's ``tasks.py``), so running it again is what makes its
    effect happen, once.
    """
    kind = backend_kind()
    if kind == "database":
        return _recover_database()
    if kind == "redis":
        return _recover_redis()
    return 0


def _recover_database() -> int:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    live = live_worker_ids()
    count = 0
    for pk, worker_ids in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
        "pk", "worker_ids"
    ):
        owner = (worker_ids or [None])[-1]
        if owner in live:
            continue
        # Conditional: a worker that finished it meanwhile keeps its result.
        count += DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        log.warning("job %s of dead worker %s queued again", pk, owner)
    return count


def _rq_queues() -> list[Any]:
    import django_rq
    from django_tasks_rq.backend import Job

    return [django_rq.get_queue(name, job_class=Job) for name in settings.RQ_QUEUES]


def _recover_redis() -> int:
    from rq.job import JobStatus
    from rq.registry import StartedJobRegistry

    live = live_worker_ids()
    count = 0
    for queue in _rq_queues():
        registry = StartedJobRegistry(queue=queue)
        for job_id, _execution in registry.get_job_and_execution_ids(cleanup=False):
            job = queue.fetch_job(job_id)
            if job is None or job.get_status() != JobStatus.STARTED:
                continue
            if job.worker_name in live:
                continue
            registry.remove_executions(job)
            queue.enqueue_job(job)
            count += 1
            log.warning("job %s of dead worker %s queued again", job_id, job.worker_name)
    return count


def prune_results(days: int | None = None) -> int:
    """Finished job results older than ``days`` (setting JOB_RESULTS_DAYS, 14) are dropped;
    failed ones are kept until someone retries or reads them."""
    if backend_kind() != "database":
        return 0
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    days = days or akhbar_settings.job_results_days
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=cutoff
    ).delete()
    return deleted


# --- The report ---------------------------------------------------------------------------------


@dataclass
class Health:
    backend: str
    ok: bool
    workers_alive: int
    queued: int
    running: int
    failed: int
    oldest_queued_seconds: float | None
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def max_queue_age() -> float:
    """A ready job waiting longer than this means the queue is not draining."""
    return float(akhbar_settings.queue_max_age_seconds)


def max_queued() -> int:
    return akhbar_settings.queue_max_length


def check() -> Health:
    """Dead worker, growing queue, failed jobs: what an operator needs to know, in one place."""
    kind = backend_kind()
    now = timezone.now()
    queued = running = failed = 0
    oldest: float | None = None
    problems: list[str] = []
    if kind == "database":
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult, get_date_max

        results = DBTaskResult.objects.all()
        queued = results.filter(status=TaskResultStatus.READY).count()
        running = results.filter(status=TaskResultStatus.RUNNING).count()
        failed = _final_failures(results.filter(status=TaskResultStatus.FAILED))
        # Ready now (not deferred to later): how long has the oldest been waiting?
        first = results.ready().order_by("enqueued_at").first()
        if first is not None:
            deferred = first.run_after != get_date_max()
            due_since = max(first.enqueued_at, first.run_after) if deferred else first.enqueued_at
            oldest = max(0.0, (now - due_since).total_seconds())
    elif kind == "redis":
        from rq.registry import FailedJobRegistry, StartedJobRegistry

        for queue in _rq_queues():
            queued += queue.count
            running += StartedJobRegistry(queue=queue).count
            failed += FailedJobRegistry(queue=queue).count
            ids = queue.get_job_ids(0, 0)
            if ids:
                job = queue.fetch_job(ids[0])
                if job is not None and job.enqueued_at:
                    enq = job.enqueued_at
                    if timezone.is_naive(enq):
                        enq = timezone.make_aware(enq, UTC)
                    age = max(0.0, (now - enq).total_seconds())
                    oldest = age if oldest is None else max(oldest, age)
    workers = len(live_worker_ids(now))
    if kind != "immediate":
        if workers == 0:
            problems.append("no live worker: jobs are queued but nobody runs them")
        if oldest is not None and oldest > max_queue_age():
            problems.append(f"queue not draining: oldest ready job waits {oldest:.0f} s")
        if queued > max_queued():
            problems.append(f"queue growing: {queued} jobs waiting")
    return Health(
        backend=kind,
        ok=not problems,
        workers_alive=workers,
        queued=queued,
        running=running,
        failed=failed,
        oldest_queued_seconds=None if oldest is None else round(oldest, 1),
        problems=problems,
    )


def _final_failures(failed_qs: Any) -> int:
    """Failed results that are not just an attempt followed by a queued retry."""
    from akhbar.core.retry import RETRY_PATHS

    return failed_qs.exclude(exception_class_path__in=RETRY_PATHS).count()
