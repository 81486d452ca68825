"""``manage.py worker``: run background jobs on the configured queue (database or Redis)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string


class Command(BaseCommand):
    help = (
        "Run a background-job worker for AKHBAR_TASKS_BACKEND (database: django-tasks-db; "
        "redis: RQ), with the recurring-job scheduler and dead-worker recovery beside it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--worker-id", default="", help="unique per worker (default: random)")
        parser.add_argument(
            "--no-scheduler", action="store_true", help="do not enqueue recurring jobs"
        )
        parser.add_argument("--interval", type=float, default=1.0, help="idle poll seconds")

    def handle(self, *args: Any, **options: Any) -> None:
        from akhbar.pipeline import worker

        worker.run(
            worker_id=options["worker_id"] or get_random_string(32),
            scheduler=not options["no_scheduler"],
            interval=max(0.1, options["interval"]),
        )
