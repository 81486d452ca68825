from typing import Any

from django.core.management.base import BaseCommand

from akhbar.core.maintenance import refresh_planner_statistics


class Command(BaseCommand):
    help = (
        "Refresh the database's query-planner statistics (ANALYZE). Run daily and after bulk loads."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        refresh_planner_statistics()
        self.stdout.write("Planner statistics refreshed.")
