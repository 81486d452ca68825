from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from akhbar.newsletters import sending
from akhbar.newsletters.models import Edition


class Command(BaseCommand):
    help = "Send (or resume) one queued edition in this process; safe to run again after a crash."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("edition_id", type=int, help="the edition's number (admin list)")
        parser.add_argument("--rate", type=float, default=None, help="messages per second")

    def handle(self, *args: Any, **options: Any) -> None:
        if not Edition.objects.filter(pk=options["edition_id"]).exists():
            raise CommandError(f"no edition {options['edition_id']}")
        p = sending.send_edition(options["edition_id"], per_second=options["rate"])
        self.stdout.write(
            f"{p.sent} sent, {p.retry} to retry, {p.failed} failed, {p.uncertain} uncertain, "
            f"{p.skipped} skipped"
        )
