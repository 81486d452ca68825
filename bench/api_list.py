"""Content API benchmark: the article list at a large archive, uncached, in-process.

    .venv/bin/python bench/sitegen.py --articles 100000 --data-dir /tmp/site100k --no-related
    .venv/bin/python bench/api_list.py --data-dir /tmp/site100k

Requests go through the whole Django stack (middleware, API keys check, ninja, pydantic
validation, JSON rendering, ETag) with Django's test client, so no HTTP server or cache is in
the way: every request runs its SQL. Pages: the first page, deep pages reached by cursor, and
filtered lists (section, tag, author, since). Prints p50/p95/p99 wall and CPU per request and
the load average (the machine is shared: CPU time is the steadier figure).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True, help="AKHBAR_DATA_DIR of a sitegen site")
    parser.add_argument("--requests", type=int, default=300, help="per kind of list")
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args()
    os.environ["AKHBAR_DATA_DIR"] = str(Path(args.data_dir).resolve())
    os.environ.setdefault("AKHBAR_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "akhbar.settings"
    os.environ["AKHBAR_API_ANON_PER_MINUTE"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from akhbar.newsroom.models import Article, Author, Category, Tag

    total = Article.objects.count()
    client = Client()
    section = Category.objects.filter(parent__isnull=True).first().slug
    tag = Tag.objects.order_by("pk")[5].slug
    author = Author.objects.order_by("pk")[3].slug
    since = Article.objects.published().order_by("-published_at")[5000].published_at.isoformat()
    # A deep cursor: walk 50 pages once, keep the cursors.
    cursors, url = [], f"/api/v1/articles?limit={args.limit}"
    for _ in range(50):
        data = client.get(url).json()
        cursors.append(data["next"])
        url = data["next"]
    kinds = {
        "first page": lambda i: f"/api/v1/articles?limit={args.limit}",
        "cursor pages 2-51": lambda i: cursors[i % len(cursors)],
        "section": lambda i: f"/api/v1/articles?limit={args.limit}&section={section}",
        "tag": lambda i: f"/api/v1/articles?limit={args.limit}&tag={tag}",
        "author": lambda i: f"/api/v1/articles?limit={args.limit}&author={author}",
        "since": lambda i: f"/api/v1/articles?limit={args.limit}&since={quote(since)}",
    }
    print(f"articles: {total:,}; page size {args.limit}; {args.requests} requests per kind")
    print("| list | p50 ms | p95 ms | p99 ms | CPU p50 ms | CPU p95 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, make in kinds.items():
        for i in range(10):  # warm-up: code paths and SQLite page cache, not a response cache
            client.get(make(i))
        walls, cpus = [], []
        for i in range(args.requests):
            url = make(i)
            c0, t0 = cpu(), time.perf_counter()
            response = client.get(url)
            walls.append((time.perf_counter() - t0) * 1000)
            cpus.append((cpu() - c0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(
            f"| {name} | {statistics.median(walls):.1f} | {pct(walls, 95):.1f} | "
            f"{pct(walls, 99):.1f} | {statistics.median(cpus):.1f} | {pct(cpus, 95):.1f} |"
        )
    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}")


if __name__ == "__main__":
    main()
