from __future__ import annotations

from typing import Any

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

    def handle(self, *args: Any, **options: Any) -> None:
        results: list[ingest.FileResult] = []
        failed = 0
        outcomes = ingest.run_sources()
        for name, outcome in outcomes.items():
            if isinstance(outcome, Exception):
                failed += 1
                self.stderr.write(f"{name}: {outcome}")
            elif isinstance(outcome, list):
                for filename, r in outcome:
                    results.append(r)
                    self.stdout.write(f"{name}/{filename}: {_summary(r)}")
            else:
                results.append(outcome)
                self.stdout.write(f"{name}: {_summary(outcome)}")
        total = (
            f"{len(outcomes)} sources, {len(results)} files or polls: "
            f"created {sum(r.created for r in results)}, "
            f"updated {sum(r.updated for r in results)}, killed {sum(r.killed for r in results)}, "
            f"skipped {sum(r.skipped for r in results)}, "
            f"errors {sum(len(r.errors) + bool(r.fatal) for r in results)}"
        )
        self.stdout.write(total + (f"; {failed} sources failed" if failed else ""))
