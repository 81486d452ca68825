from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from akhbar.api import webhooks


class Command(BaseCommand):
    help = "Retry webhook deliveries whose next attempt is due (for job backends without defer)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{webhooks.retry_due()} deliveries attempted")
