"""``manage.py sync_roles``: reset the four role groups to their defined permissions."""

from typing import Any

from django.core.management.base import BaseCommand

from akhbar.newsroom.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "Create or reset the contributor, author, editor and administrator groups."

    def handle(self, *args: Any, **options: Any) -> None:
        sync_roles()
        self.stdout.write("roles synced: " + ", ".join(ROLES))
