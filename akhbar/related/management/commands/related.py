"""``manage.py related --rebuild``: recompute every fingerprint and related list."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from akhbar.core.progress import CommandProgress, progress_enabled
from akhbar.newsroom.models import Article
from akhbar.related import services


class Command(BaseCommand):
    help = "Related articles: rebuild everything, or recompute one article."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--rebuild", action="store_true", help="recompute all articles")
        parser.add_argument("--article", type=int, help="recompute one article by id")
        parser.add_argument("--duplicates", type=int, help="list near-duplicates of an article")
        parser.add_argument("--chunk", type=int, default=500, help="articles per transaction")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["article"]:
            article = Article.objects.filter(pk=options["article"]).first()
            if article is None:
                raise CommandError(f"No article with id {options['article']}.")
            services.store_fingerprint(article)
            ranked = services.compute_related(article, cascade=False)
            for rid, score in ranked:
                self.stdout.write(f"{rid}\t{score:.4f}")
            return
        if options["duplicates"]:
            article = Article.objects.filter(pk=options["duplicates"]).first()
            if article is None:
                raise CommandError(f"No article with id {options['duplicates']}.")
            for other, sim in services.find_near_duplicates(article):
                self.stdout.write(f"{other.pk}\t{sim:.2f}\t{other.title}")
            return
        if not options["rebuild"]:
            raise CommandError("Nothing to do: pass --rebuild, --article ID or --duplicates ID.")
        if options["chunk"] < 1:
            raise CommandError("--chunk must be at least 1.")
        labels = {"fingerprints": "Fingerprints", "related": "Related lists"}
        with CommandProgress(
            self, labels["fingerprints"], enabled=progress_enabled(options)
        ) as progress:

            def report(stage: str, done: int, total: int) -> None:
                progress.stage(labels.get(stage, stage), done, total)

            stats = services.rebuild(report, chunk=options["chunk"])
        progress.summary(
            f"Rebuilt {stats['articles']} fingerprints and {stats['published']} related lists "
            f"({stats['terms']} distinct terms) in {progress.elapsed:.1f}s."
        )
