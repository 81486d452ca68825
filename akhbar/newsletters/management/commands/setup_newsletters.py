from typing import Any

from django.core.management.base import BaseCommand

from akhbar.newsletters import editions


class Command(BaseCommand):
    help = "Create a weekly newsletter list for every top-level section that has none."

    def handle(self, *args: Any, **options: Any) -> None:
        made = editions.ensure_section_lists()
        self.stdout.write(f"{made} weekly section list(s) created")
