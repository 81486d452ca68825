"""Readers following a live coverage through the edge while a reporter posts.

    .venv/bin/python bench/live_load.py --readers 2000 --duration 300     # the issue's run
    .venv/bin/python bench/live_load.py --readers 500 --duration 60 --no-varnish

Builds a small site in a temporary folder (the demo newsroom and its live coverages, SQLite),
starts gunicorn (one sync worker per CPU, access log on), Debian's varnishd in front with the
deployment VCL (``deploy/varnish/akhbar.vcl``, through bench/edge.py) and the database job
worker that sends the purges. Then, for ``--duration`` seconds:

* ``--readers`` simulated readers (asyncio + httpx, one connection pool) each poll the
  coverage's update endpoint every ``--interval`` seconds from a random phase, with the ETag
  they last saw (``If-None-Match``), as the page's script does;
* a reporter posts an entry every ``--every`` seconds through the live write path
  (``akhbar.live.services.post_entry`` in the site's environment).

Reported: requests, errors, the origin requests for the endpoint (from gunicorn's access log)
per new entry — bounded by the cache keys, not the readers — and, for every (reader, entry)
pair, the time from the entry's commit until that reader's poll saw it (p50, p99, max).
Everything listens on 127.0.0.1 and is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import pages  # noqa: E402

PYTHON = sys.executable


def site_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AKHBAR_", "DATABASE_URL"))}
    env.pop("REDIS_URL", None)
    env.update(
        AKHBAR_DATA_DIR=str(data_dir),
        AKHBAR_ALLOWED_HOSTS="127.0.0.1,localhost",
        AKHBAR_SECRET_KEY="bench-only-not-secret",
        AKHBAR_TASKS_BACKEND="database",
        AKHBAR_CACHE="file",
        AKHBAR_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="akhbar.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[str]:
    port = pages.free_port()
    proc = subprocess.Popen(
        [
            *(str(Path(PYTHON).parent / "gunicorn"), "akhbar.wsgi"),
            *("-w", str(os.cpu_count() or 2), "-b", f"127.0.0.1:{port}"),
            *("--access-logfile", str(log), "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        pages.wait_http(base + "/robots.txt")
        yield base
    finally:
        pages.stop(proc)


def _poster_main() -> None:
    """In the site's environment: post an entry every N seconds; print commit times."""
    import django

    django.setup()
    from akhbar.live import services
    from akhbar.live.models import Coverage

    coverage_id, every, duration = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
    coverage = Coverage.objects.get(pk=coverage_id)
    started = time.time()
    n = 0
    while time.time() - started < duration:
        n += 1
        services.post_entry(coverage, user=None, text=f"تحديث قياس رقم {n} من الميدان.")
        coverage.refresh_from_db(fields=["version"])
        print(json.dumps({"version": coverage.version, "at": time.time()}), flush=True)
        time.sleep(max(0.0, every - (time.time() - started) % every))


async def reader(
    client, url: str, interval: float, until: float, *, seen: dict, stats: dict
) -> None:
    import httpx

    await asyncio.sleep(random.uniform(0, interval))
    etag = ""
    version = -1
    while time.time() < until:
        try:
            r = await client.get(url, headers={"If-None-Match": etag} if etag else {})
            stats["requests"] += 1
            if r.status_code == 200:
                data = r.json()
                etag = r.headers.get("ETag", "")
                now = time.time()
                if data["version"] > version:
                    for v in range(version + 1, data["version"] + 1):
                        seen.setdefault(v, []).append(now)
                    version = data["version"]
            elif r.status_code != 304:
                stats["errors"] += 1
        except httpx.HTTPError:
            stats["errors"] += 1
        await asyncio.sleep(interval)


async def readers(url: str, n: int, interval: float, duration: float) -> tuple[dict, dict]:
    import httpx

    seen: dict[int, list[float]] = {}
    stats = {"requests": 0, "errors": 0}
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        until = time.time() + duration
        await asyncio.gather(
            *(reader(client, url, interval, until, seen=seen, stats=stats) for _ in range(n))
        )
    return seen, stats


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--_poster":
        _poster_main()
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=2000)
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--interval", type=float, default=10)
    parser.add_argument("--every", type=float, default=5)
    parser.add_argument("--no-varnish", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="akhbar-live-load-"))
    env = site_env(work)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "load_live_demo")
    probe = (
        "import django; django.setup(); from akhbar.live.models import Coverage; "
        "print(Coverage.objects.get(state='live').pk)"
    )
    found = subprocess.run(
        [PYTHON, "-c", probe], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    coverage_id = int(found.stdout.strip())
    log = work / "access.log"
    with contextlib.ExitStack() as stack:
        origin = stack.enter_context(gunicorn(env, log))
        base = origin
        if not args.no_varnish:
            import edge  # bench/edge.py: Varnish with the deployment VCL, the purge worker

            base = stack.enter_context(edge.varnish(int(origin.rsplit(":", 1)[1])))
            env = edge.edge_env(env, base)
            stack.enter_context(edge.db_worker(env))
        url = f"{base}/live/{coverage_id}/updates.json"
        pages.wait_http(url)
        log.write_text("")
        command = [PYTHON, __file__, "--_poster", str(coverage_id), str(args.every)]
        poster = subprocess.Popen(
            [*command, str(args.duration)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        seen, stats = asyncio.run(readers(url, args.readers, args.interval, args.duration + 15))
        posted = [json.loads(line) for line in poster.communicate()[0].splitlines() if line]
        origin_hits = sum("updates.json" in line for line in log.read_text().splitlines())
    delays = [t - p["at"] for p in posted for t in seen.get(p["version"], []) if t >= p["at"] - 0.5]
    missed = sum(args.readers - len(seen.get(p["version"], [])) for p in posted)
    delays.sort()
    p99 = delays[int(len(delays) * 0.99) - 1] if delays else float("nan")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    edge_name = "no Varnish" if args.no_varnish else "Varnish"
    print(
        f"readers {args.readers}, poll every {args.interval:.0f} s, entry every {args.every:.0f} s"
    )
    print(f"for {args.duration:.0f} s through {edge_name}; load average {load}")
    print(
        "| requests | errors | entries | origin requests | per entry | p50 | p99 | max | missed |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {stats['requests']:,} | {stats['errors']} | {len(posted)} | {origin_hits:,} | "
        f"{origin_hits / max(1, len(posted)):.1f} | {statistics.median(delays):.2f} s | "
        f"{p99:.2f} s | {delays[-1]:.2f} s | {missed} |"
    )
    subprocess.run(["rm", "-rf", str(work)], check=False)


if __name__ == "__main__":
    main()
