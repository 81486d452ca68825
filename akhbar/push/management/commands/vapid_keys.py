from typing import Any

from django.core.management.base import BaseCommand

from akhbar.push import services


class Command(BaseCommand):
    help = "Print the site's VAPID public key (generating the key pair on first run)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(services.keys().public_key)
