"""Write cost of the default file cache when it is full (20,000 entries): Django's
FileBasedCache against akhbar.core.filecache.BoundedFileCache, side by side in one run.

    .venv/bin/python bench/cache_bench.py [--entries 20000] [--writes 500]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings")

import django

django.setup()

from django.core.cache.backends.filebased import FileBasedCache  # noqa: E402

from akhbar.core.filecache import BoundedFileCache  # noqa: E402


def run(cls: type, entries: int, writes: int) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        cache = cls(tmp, {"OPTIONS": {"MAX_ENTRIES": entries + writes + 10}})
        for i in range(entries):
            cache.set(f"fill-{i}", b"x" * 200, 3600)
        cache._max_entries = entries  # full from now on
        times = []
        for i in range(writes):
            started = time.perf_counter()
            cache.set(f"new-{i}", b"y" * 200, 3600)
            times.append((time.perf_counter() - started) * 1000)
        count = len(cache._list_cache_files())
    return statistics.mean(times), statistics.quantiles(times, n=20)[18], count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--writes", type=int, default=500)
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()}")
    print(f"{'backend':<20} {'mean ms/write':>14} {'p95 ms':>8} {'entries after':>14}")
    for cls in (FileBasedCache, BoundedFileCache):
        mean, p95, count = run(cls, args.entries, args.writes)
        print(f"{cls.__name__:<20} {mean:>14.2f} {p95:>8.2f} {count:>14}")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
