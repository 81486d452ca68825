"""`manage.py reindex`: rebuild the search index from the articles table."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from akhbar.core.maintenance import refresh_planner_statistics
from akhbar.core.progress import CommandProgress, progress_enabled
from akhbar.newsroom.models import Article
from akhbar.search.indexing import reindex_all


def default_workers() -> int:
    """In-process by default: on the 2-core dev machine, shared with other jobs, a pool of
    analysis workers was slower (10k articles: 1,650/s with 2 workers, 2,100/s without;
    docs/benchmarks.md), as the workers and the writer compete for the same cores.
    ``--workers N`` is for machines with cores to spare.
    """
    return 1


class Command(BaseCommand):
    help = (
        "Rebuild the search index (needed after bulk imports or queryset.update(), which "
        "emit no events). Streams articles in batches, so memory stays flat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="articles per commit")
        parser.add_argument("--clear", action="store_true", help="empty the index first")
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--native",
            action="store_true",
            help="only rebuild the engine's own index from the stored terms (FTS5 'rebuild'; "
            "no article is analysed again)",
        )
        parser.add_argument(
            "--missing",
            action="store_true",
            help="only index published articles missing from the index (after an interrupted "
            "import) and drop entries of unpublished ones",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="processes analysing text (default 1 = in this process); try N on idle cores",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = options["batch_size"]
        if batch_size < 1:
            self.stderr.write("--batch-size must be at least 1")
            raise SystemExit(2)
        using = options["database"]
        if options["native"]:
            from akhbar.search.backends import get_backend

            get_backend(using).rebuild_native()
            self.stdout.write("Rebuilt the engine's index from the stored terms.")
            return
        if options["missing"]:
            from akhbar.search.indexing import catch_up

            self.stdout.write(f"Indexed {catch_up(using=using)} missing articles.")
            return
        todo = Article.objects.using(using).filter(status=Article.Status.PUBLISHED).count()
        enabled = progress_enabled(options) and todo > 0
        with CommandProgress(self, "Indexing articles", total=todo, enabled=enabled) as progress:
            done = reindex_all(
                batch_size,
                using,
                options["clear"],
                progress.advance if enabled else None,
                workers=options["workers"],
            )
        elapsed = progress.elapsed
        rate = done / elapsed if elapsed else 0.0
        progress.summary(f"Indexed {done} articles in {elapsed:.1f}s ({rate:,.0f} articles/s).")
        refresh_planner_statistics()
