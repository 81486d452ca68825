"""Server time of posting a live entry (target: <= 150 ms), on the real database.

    .venv/bin/python bench/live_post.py                 # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/akhbar_bench_live \
        .venv/bin/python bench/live_post.py

Posts N entries through the reporters' endpoint (the JSON form the posting screen sends, with
a logged-in session; the test client skips CSRF), by two reporters in turn, into a coverage
that already holds ``--existing`` entries, with the database job queue as the task backend
(the default for servers: the purge is enqueued, not sent, inside the request). Prints p50,
p95 and max of the whole request as the Django test client measures it (no network), and the
load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--existing", type=int, default=5000)
    args = parser.parse_args()

    os.environ.setdefault("AKHBAR_DATA_DIR", tempfile.mkdtemp(prefix="akhbar-live-bench-"))
    os.environ.setdefault("AKHBAR_TASKS_BACKEND", "database")
    os.environ.setdefault("AKHBAR_CACHE", "file")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from akhbar.live import services
    from akhbar.live.models import Entry
    from akhbar.newsroom import roles
    from akhbar.newsroom.models import Article, Category

    roles.sync_roles()
    users = []
    for name in ("bench-reporter-1", "bench-reporter-2"):
        user, _ = get_user_model().objects.get_or_create(username=name, defaults={"is_staff": True})
        roles.assign_role(user, roles.CONTRIBUTOR)
        users.append(get_user_model().objects.get(pk=user.pk))
    category, _ = Category.objects.get_or_create(slug="bench", defaults={"name": "قياس"})
    article = Article.objects.create(
        title="مباشر: قياس سرعة النشر", status="published", category=category, body="<p>قياس</p>"
    )
    coverage = services.start_coverage(article)
    Entry.objects.bulk_create(
        Entry(coverage=coverage, body=f"<p>مدخل سابق {i}</p>") for i in range(args.existing)
    )
    clients = []
    for user in users:
        client = Client(enforce_csrf_checks=False)
        client.force_login(user)
        client.post(f"/live/{coverage.pk}/post/", {"text": "تسخين"}, HTTP_ACCEPT="application/json")
        clients.append(client)
    timings = []
    for i in range(args.posts):
        client = clients[i % len(clients)]
        text = f"مدخل رقم {i}: تطوّر جديد في الميدان، والمراسلون يتابعون الموقف عن كثب."
        started = time.perf_counter()
        response = client.post(
            f"/live/{coverage.pk}/post/", {"text": text}, HTTP_ACCEPT="application/json"
        )
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 201, response.content[:300]
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"database: {engine}; tasks: {settings.TASKS['default']['BACKEND'].rsplit('.', 1)[-1]}")
    print(f"entries already in the coverage: {args.existing:,}; posts measured: {args.posts}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| posting an entry (server, ms) | p50 | p95 | max |")
    print("|---|---|---|---|")
    print(f"| {engine} | {statistics.median(timings):.1f} | {p95:.1f} | {timings[-1]:.1f} |")


if __name__ == "__main__":
    main()
