"""``manage.py pipeline_health``: is a worker alive and the queue draining? Exit 1 if not."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Report workers, queue depth and failed jobs; exit status 1 when unhealthy."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args: Any, **options: Any) -> None:
        from akhbar.pipeline import health

        report = health.check()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict()))
        else:
            self.stdout.write(
                f"backend={report.backend} workers_alive={report.workers_alive} "
                f"queued={report.queued} running={report.running} failed={report.failed} "
                f"oldest_queued_seconds={report.oldest_queued_seconds}"
            )
            for problem in report.problems:
                self.stderr.write(f"PROBLEM: {problem}")
            self.stdout.write("OK" if report.ok else "UNHEALTHY")
        if not report.ok:
            raise SystemExit(1)
