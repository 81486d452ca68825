"""Sitemap and feed generation at archive scale: time, SQL queries and peak memory.

Builds a throw-away SQLite database with N published articles (default 100,000; Arabic
slugs, a third with a featured image), then fetches the sitemap index, every page of the
article sitemap, the Google News sitemap and the site feed through Django's test client, first
cold (cache empty) and then warm (served from the cache).

    .venv/bin/python bench/sitemap.py            # 100,000 articles
    .venv/bin/python bench/sitemap.py --articles 20000

Peak memory is measured with tracemalloc in a second cold pass (tracemalloc slows Python
down, so the timings come from the first pass, without it).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(db_path: Path) -> None:
    os.environ["AKHBAR_SQLITE_PATH"] = str(db_path)
    os.environ["AKHBAR_DATA_DIR"] = str(db_path.parent)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings")
    os.environ["AKHBAR_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection

    from akhbar.comments.models import Comment
    from akhbar.newsroom.models import Article, Author, Category, Tag
    from akhbar.site.models import Page, SiteSettings

    # Tables straight from the models: the benchmark needs no other app's migrations.
    with connection.schema_editor() as editor:
        for model in (User, Category, Tag, Author, Article, Comment, Page, SiteSettings):
            editor.create_model(model)


def populate(count: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from akhbar.newsroom.models import Article, Author, Category, Tag

    started = time.perf_counter()
    with transaction.atomic():
        sections = [Category.objects.create(name=f"قسم {i}", slug=f"قسم-{i}") for i in range(12)]
        for i in range(24):
            Category.objects.create(name=f"فرع {i}", slug=f"فرع-{i}", parent=sections[i % 12])
        authors = [
            Author.objects.create(display_name=f"كاتب {i}", slug=f"كاتب-{i}") for i in range(50)
        ]
        Tag.objects.bulk_create([Tag(name=f"وسم {i}", slug=f"وسم-{i}") for i in range(2000)])
        now = timezone.now()
        batch = []
        for i in range(count):
            batch.append(
                Article(
                    title=f"خبر رقم {i} عن تطورات الأحداث في المنطقة",
                    slug=f"خبر-رقم-{i}-عن-تطورات-الأحداث",
                    excerpt="ملخص قصير للخبر.",
                    body="<p>نص الخبر.</p>",
                    status=Article.Status.PUBLISHED,
                    published_at=now - timedelta(minutes=i * 5),
                    category=sections[i % 12],
                    author=authors[i % 50],
                    featured_image=f"articles/2024/01/صورة-{i}.jpg" if i % 3 == 0 else "",
                )
            )
            if len(batch) == 5000:
                Article.objects.bulk_create(batch)
                batch = []
        Article.objects.bulk_create(batch)
        through = Article.tags.through
        ids = list(Article.objects.values_list("id", flat=True))
        tag_ids = list(Tag.objects.values_list("id", flat=True))
        through.objects.bulk_create(
            [through(article_id=a, tag_id=tag_ids[a % len(tag_ids)]) for a in ids],
            batch_size=5000,
        )
    print(f"populated {count:,} articles in {time.perf_counter() - started:.1f} s")


def urls() -> list[str]:
    from django.test import Client

    index = Client().get("/sitemap.xml").content.decode()
    found = [u.split("testserver", 1)[1] for u in index.split("<loc>")[1:]]
    found = [u.split("</loc>")[0].replace("&amp;", "&") for u in found]
    return [*found, "/sitemap.xml", "/news-sitemap.xml", "/feed/", "/feed/atom/"]


def measure(paths: list[str], trace: bool) -> list[tuple[str, float, int, int, float]]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    rows = []
    cache.clear()
    for path in paths:
        if trace:
            tracemalloc.start()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
        count = len(queries)  # read now: the next request empties Django's query log
        peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else 0.0
        if trace:
            tracemalloc.stop()
        assert response.status_code == 200, (path, response.status_code)
        started = time.perf_counter()
        client.get(path)
        warm = time.perf_counter() - started
        rows.append((path, elapsed, count, len(response.content), peak if trace else warm))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp) / "bench.sqlite3")
        populate(args.articles)
        paths = urls()
        timed = measure(paths, trace=False)
        traced = {row[0]: row[4] for row in measure(paths, trace=True)}
        print(
            f"\n{'URL':32} {'cold s':>8} {'warm ms':>8} {'queries':>8} {'MB out':>7} {'peak MB':>8}"
        )
        for path, cold, queries, size, warm in timed:
            print(
                f"{path:32} {cold:8.2f} {warm * 1000:8.1f} {queries:8d} "
                f"{size / 2**20:7.1f} {traced[path]:8.1f}"
            )
        import resource

        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\nprocess max RSS (whole run, including population): {rss:.0f} MB")


if __name__ == "__main__":
    main()
