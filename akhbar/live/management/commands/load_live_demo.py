from django.core.management.base import BaseCommand

from akhbar.live.demo import load_live_demo


class Command(BaseCommand):
    help = "Load the two demo live coverages (idempotent; run after load_demo)."

    def handle(self, *args: object, **options: object) -> None:
        created = load_live_demo()
        self.stdout.write(f"Live coverage demo: {created} coverage(s) created.")
