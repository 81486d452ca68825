"""One worker process: the backend's own job loop, plus heartbeat, scheduler and recovery.

The job loop is the backend's (django-tasks-db's ``Worker``, or an RQ ``Worker`` with its
scheduler for deferred retries); a daemon thread beside it beats, runs the recurring-job
scheduler (akhbar.pipeline.schedule) and requeues jobs of dead workers.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string

from akhbar.pipeline import health, schedule

log = logging.getLogger(__name__)


class Housekeeper(threading.Thread):
    def __init__(self, worker_id: str, *, scheduler: bool = True) -> None:
        super().__init__(name="akhbar-housekeeper", daemon=True)
        self.worker_id = worker_id
        self.scheduler = scheduler
        self.started_at = timezone.now()
        self.halt = threading.Event()

    def once(self) -> None:
        close_old_connections()
        health.beat(self.worker_id, started_at=self.started_at)
        health.recover_orphans()
        if self.scheduler:
            schedule.tick(self.worker_id)

    def run(self) -> None:
        while not self.halt.is_set():
            try:
                self.once()
            except Exception:  # a database restart must not kill the worker's heartbeat
                log.exception("worker housekeeping failed; retrying")
            self.halt.wait(health.heartbeat_seconds())
        connection.close()


def run(*, worker_id: str | None = None, scheduler: bool = True, interval: float = 1.0) -> None:
    worker_id = worker_id or get_random_string(32)
    keeper = Housekeeper(worker_id, scheduler=scheduler)
    keeper.once()
    keeper.start()
    kind = health.backend_kind()
    log.info("Akhbar worker %s on the %s queue", worker_id, kind)
    try:
        if kind == "database":
            from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS
            from django_tasks_db.management.commands.db_worker import Worker

            worker = Worker(
                queue_names=["*"],
                interval=interval,
                batch=False,
                backend_name=DEFAULT_TASK_BACKEND_ALIAS,
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            )
            worker.configure_signals()
            worker.run()
        elif kind == "redis":
            import django_rq
            from django.conf import settings

            rq_worker = django_rq.get_worker(
                *settings.RQ_QUEUES, job_class="django_tasks_rq.backend.Job", name=worker_id
            )
            rq_worker.work(with_scheduler=True, logging_level="INFO")
        else:
            log.warning("AKHBAR_TASKS_BACKEND=immediate runs jobs at enqueue: nothing to do")
            while True:
                time.sleep(3600)
    finally:
        keeper.halt.set()
        try:
            health.stopped(worker_id)
        except Exception:  # the database may be what stopped us
            log.exception("could not record the worker's stop")
