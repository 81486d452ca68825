"""The cache cannot be abused: unknown query parameters share one entry, the default file
cache stays bounded without listing its directory on every write, and concurrent read
beacons and comment posts are counted exactly."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from akhbar.core import counters
from akhbar.core.filecache import BoundedFileCache
from akhbar.newsroom import services
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_unknown_parameters_do_not_make_new_cache_entries():
    f.article()
    c = Client()
    assert c.get("/?r=1")["X-Cache"] == "MISS"
    assert c.get("/?r=2")["X-Cache"] == "HIT"
    assert c.get("/?utm_source=x&fbclid=y")["X-Cache"] == "HIT"
    assert c.get("/?page=2&r=3").status_code in (200, 404)
    assert c.get("/?r=4&page=2")["X-Cache"] == "HIT"  # order and extras do not matter


def test_the_parameters_a_page_reads_still_count():
    f.article(title="خبر عن الأمطار")
    c = Client()
    first = c.get("/search/?q=الأمطار")
    second = c.get("/search/?q=الرياضة")
    assert second["X-Cache"] == "MISS"
    assert first.content != second.content


def test_file_cache_stays_bounded_and_lists_rarely(tmp_path):
    class Counting(BoundedFileCache):
        listings = 0

        def _list_cache_files(self):
            Counting.listings += 1
            return super()._list_cache_files()

    cache = Counting(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 100, "CULL_EVERY": 50}})
    for i in range(2_000):
        cache.set(f"k{i}", i, 60)
    assert len(cache._list_cache_files()) <= 100 + 50
    assert Counting.listings <= 2_000 / 50 + 2


@pytest.mark.django_db(transaction=True)
def test_two_thousand_concurrent_beacons_count_exactly_two_thousand(settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "akhbar.core.filecache.BoundedFileCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    settings.AKHBAR = {**settings.AKHBAR, "HIT_FLUSH_EVERY": 37}
    article = f.article()
    barrier = threading.Barrier(20)

    def reader(_: int) -> int:
        client = Client(HTTP_USER_AGENT="Mozilla/5.0 (Android) قارئ")
        barrier.wait()
        try:
            return sum(client.post(f"/hit/{article.pk}/").status_code == 204 for _ in range(100))
        finally:
            connection.close()

    with ThreadPoolExecutor(20) as pool:
        sent = sum(pool.map(reader, range(20)))
    assert sent == 2_000
    services.flush_hits()
    article.refresh_from_db()
    assert article.view_count == 2_000


@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_are_atomic():
    barrier = threading.Barrier(10)

    def bump(_: int) -> list[int]:
        barrier.wait()
        try:
            return [counters.incr("test:atomic", ttl=600) for _ in range(30)]
        finally:
            connection.close()

    with ThreadPoolExecutor(10) as pool:
        values = [v for chunk in pool.map(bump, range(10)) for v in chunk]
    assert sorted(values) == list(range(1, 301))  # every increment saw its own value
    assert counters.take("test:atomic") == 300
    assert counters.take("test:atomic") == 0
