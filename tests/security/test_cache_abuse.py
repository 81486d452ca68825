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


def test_counters_take_and_expire():
    assert counters.incr("t:a") == 1
    assert counters.incr("t:a", 4) == 5
    assert counters.incr("t:b", ttl=-1) == 1
    assert counters.incr("t:b", ttl=60) == 1  # the expired window started again
    assert counters.take_prefix("t:") == {"t:a": 5, "t:b": 1}
    assert counters.take("t:a") == 0


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


# 2,000 concurrent beacons against a real gunicorn + SQLite file: tests/security/test_servers.py


@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_are_atomic():
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database takes one writer; test_servers.py covers SQLite")
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
