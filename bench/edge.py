"""Akhbar behind Varnish (deploy/varnish/akhbar.vcl): cached throughput and publish-to-visible.

    .venv/bin/python bench/edge.py --articles 10000            # Akhbar alone
    (bench/wordpress/run.sh uses the same functions for its Varnish column)

Starts gunicorn (one sync worker per CPU) on the generated site (bench/pages.py), Debian's
varnishd in front with the deployment VCL (both of its backends pointed at that server), and
the database job worker that sends the purges. Then:

* ``wrk`` against each page through Varnish (cached);
* publish-to-visible: N times, warm the home page in Varnish (until a hit), publish one article
  through the newsroom write path (``Article.save``, whose events purge) and time from its
  commit until the home page *served by Varnish* shows its headline (polling every 5 ms). The
  published articles are deleted at the end (their purge too goes through the queue).

Everything listens on 127.0.0.1 only and is stopped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import pages  # noqa: E402

ROOT = pages.ROOT


def vcl_for(port: int) -> str:
    vcl = (ROOT / "deploy" / "varnish" / "akhbar.vcl").read_text()
    return vcl.replace('.port = "8001";', f'.port = "{port}";').replace(
        '.port = "8002";', f'.port = "{port}";'
    )


@contextlib.contextmanager
def varnish(backend_port: int, memory: str = "256m") -> Iterator[str]:
    work = Path(tempfile.mkdtemp(prefix="akhbar-varnish-"))
    (work / "akhbar.vcl").write_text(vcl_for(backend_port))
    port = pages.free_port()
    jail = ["-j", "none"] if os.geteuid() == 0 else []
    proc = subprocess.Popen(
        [
            *("varnishd", "-F", "-n", str(work / "n"), *jail, "-a", f"127.0.0.1:{port}"),
            *("-T", "127.0.0.1:0", "-s", f"malloc,{memory}", "-f", str(work / "akhbar.vcl")),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        with pages.serving(proc, port, "/robots.txt") as base:
            yield base
    finally:
        subprocess.run(["rm", "-rf", str(work)], check=False)


@contextlib.contextmanager
def db_worker(env: dict[str, str]) -> Iterator[None]:
    proc = subprocess.Popen(
        [pages.PYTHON, "manage.py", "db_worker", "--interval", "0.05", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield
    finally:
        pages.stop(proc)


def edge_env(env: dict[str, str], varnish_base: str) -> dict[str, str]:
    return {
        **env,
        "AKHBAR_VARNISH_URLS": varnish_base,
        "AKHBAR_TASKS_BACKEND": "database",
        "AKHBAR_PAGE_CACHE": "1",
    }


def fetch(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode("utf-8", "replace"), r.headers.get("X-Cache", "")


def warm(url: str) -> None:
    for _ in range(10):
        if fetch(url)[1] == "HIT":
            return
    raise SystemExit(f"{url} never became a cache hit")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def summary(times: list[float | None], cap: float) -> dict:
    seen = [t for t in times if t is not None]
    return {
        "n": len(times),
        "visible": len(seen),
        "cap": cap,
        "p50": statistics.median(seen) if len(seen) == len(times) else None,
        "p95": percentile(seen, 95) if len(seen) == len(times) else None,
        "max": max(seen) if seen else None,
    }


def _publisher_main() -> None:
    """Inside the site's environment: publish N articles, time each until visible."""
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from akhbar.newsroom.models import Article, Author, Category

    base, count, cap = sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    section = Category.objects.order_by("pk").first()
    author = Author.objects.order_by("pk").first()
    times: list[float | None] = []
    made: list[int] = []
    for i in range(count):
        warm(base + "/")
        title = f"خبر قياس الحافة رقم {i} {time.time_ns()}"
        with transaction.atomic():
            article = Article.objects.create(
                title=title,
                body=f"<p>{title}</p>",
                category=section,
                author=author,
                status=Article.Status.PUBLISHED,
                published_at=timezone.now(),
            )
        committed = time.perf_counter()
        made.append(article.pk)
        took = None
        while time.perf_counter() - committed < cap:
            if title in fetch(base + "/")[0]:
                took = time.perf_counter() - committed
                break
            time.sleep(0.005)
        times.append(took)
    for article in Article.objects.filter(pk__in=made):
        article.delete()  # through the write path: its events purge the edge too
    print(json.dumps(times))


def publish_to_visible(env: dict[str, str], base: str, count: int, cap: float = 10.0) -> dict:
    result = subprocess.run(
        [pages.PYTHON, __file__, "--_publisher", base, str(count), str(cap)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"publisher failed:\n{result.stderr[-3000:]}")
    return summary(json.loads(result.stdout.strip().splitlines()[-1]), cap)


def fmt_visible(s: dict) -> str:
    if s["p50"] is None:
        return f"{s['visible']}/{s['n']} visible within {s['cap']:.0f} s"
    return (
        f"p50 {s['p50'] * 1000:.0f} ms / p95 {s['p95'] * 1000:.0f} ms (max {s['max'] * 1000:.0f})"
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--_publisher":
        _publisher_main()
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--publishes", type=int, default=50)
    args = parser.parse_args()
    env = pages.ensure_site("sqlite", args.articles)
    info = pages.probe(env)
    load = os.getloadavg()
    rows = []
    with pages.akhbar_server(env, page_cache=True) as akhbar:
        port = int(akhbar.base.rsplit(":", 1)[1])
        with varnish(port) as edge:
            for name in pages.PAGES:
                path = info["pages"][name]["path"]
                m = pages.measure(edge, path, args.duration)
                rows.append((name, m))
                print(f"{name:9} varnish {pages._rps(m['rps']):>8} req/s", flush=True)
            with db_worker(edge_env(env, edge)):
                visible = publish_to_visible(edge_env(env, edge), edge, args.publishes)
    print(
        f"\n{info['articles']:,} articles, SQLite; Varnish 7 (malloc 256m) in front of gunicorn "
        f"({os.cpu_count()} sync workers); load average before {load[0]:.1f}, "
        f"after {os.getloadavg()[0]:.1f}; wrk -t2 -c16 -d{args.duration}s\n"
    )
    print("| page | req/s | p50 / p99 ms | p50 1c ms |\n|---|---:|---:|---:|")
    for name, m in rows:
        print(
            f"| {name} | {pages._rps(m['rps'])} | {m['p50']:.2f} / {m['p99']:.2f} | "
            f"{m['p50_1c']:.2f} |"
        )
    print(
        f"\npublish-to-visible on the cached home page, {args.publishes} publishes: "
        f"{fmt_visible(visible)}"
    )


if __name__ == "__main__":
    main()
