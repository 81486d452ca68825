from __future__ import annotations

from django.core.management.base import BaseCommand

from akhbar.wire import ingest


def _summary(r: ingest.FileResult) -> str:
    text = (
        f"created {r.created}, updated {r.updated}, killed {r.killed}, "
        f"skipped {r.skipped}, errors {len(r.errors)}"
    )
    return text + (f" — {r.fatal}" if r.fatal else "")


class Command(BaseCommand):
    help = "Import waiting agency files (watched folders) and poll agency URLs, once."

    def handle(self, *args, **options) -> None:
        for name, outcome in ingest.run_sources().items():
            if isinstance(outcome, Exception):
                self.stderr.write(f"{name}: {outcome}")
            elif isinstance(outcome, list):
                for filename, r in outcome:
                    self.stdout.write(f"{name}/{filename}: {_summary(r)}")
            else:
                self.stdout.write(f"{name}: {_summary(outcome)}")
