"""Public pages under load: requests/s, latency, SQL queries and worker memory.

Generates (once, then reuses) a site of N articles with ``bench/sitegen.py``, starts Akhbar
under gunicorn (one sync worker per CPU) on a loopback port and runs ``wrk`` against the home
page, an article, a category page, search and the RSS feed — first with the page cache off
(``AKHBAR_PAGE_CACHE=0``: every request renders) and then on (the default).

    .venv/bin/python bench/pages.py                       # SQLite, sites of 1,000 and 100,000
    .venv/bin/python bench/pages.py --postgres            # also PostgreSQL + Redis
    .venv/bin/python bench/pages.py --sizes 1000 --duration 5

Columns: requests/s and p50/p99 latency from ``wrk -t2 -c16`` (16 connections on 2 workers, so
p50 includes queueing); "p50 1c" is the median with a single connection (the time one request
takes); "SQL" is the number of queries a request makes, measured in-process with Django's test
client (first request after clearing the cache / a later one), and "RSS" the peak resident
memory of the largest worker (VmHWM from /proc) after the run. Sites are kept in
``var/bench-sites/`` (git-ignored) and PostgreSQL databases ``akhbar_pages_<N>``; delete them
to regenerate. Everything listens on 127.0.0.1 and is stopped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
SITES = ROOT / "var" / "bench-sites"
PG_ROOT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/13"
SEARCH_QUERY = "الطاقة المتجددة"
PAGES = ("home", "article", "category", "search", "feed")


# --- Sites ----------------------------------------------------------------------------------------
def site_env(db: str, articles: int) -> dict[str, str]:
    """Environment for Akhbar serving the generated site of ``articles`` on ``db``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AKHBAR_", "DATABASE_URL"))}
    env.pop("REDIS_URL", None)
    data_dir = SITES / f"{db}-{articles}"
    env.update(
        AKHBAR_DATA_DIR=str(data_dir),
        AKHBAR_ALLOWED_HOSTS="127.0.0.1,localhost",
        AKHBAR_LOG_LEVEL="WARNING",
        AKHBAR_SECRET_KEY="bench-only-not-secret",
        DJANGO_SETTINGS_MODULE="akhbar.settings",
        PYTHONPATH=str(ROOT),
    )
    if db == "postgres":
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/akhbar_pages_{articles}"
        env["REDIS_URL"] = REDIS_URL
        env["AKHBAR_CACHE_PREFIX"] = f"pagesbench{articles}"
    return env


def _pg(sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(PG_ROOT_URL.replace("postgres://", "postgresql://"), autocommit=True) as c:
        cur = c.execute(sql)
        return cur.fetchall() if cur.description else []


def ensure_site(db: str, articles: int, seed: int = 2025) -> dict[str, str]:
    """Generate the site unless a finished one is already there; returns its environment."""
    env = site_env(db, articles)
    data_dir = Path(env["AKHBAR_DATA_DIR"])
    marker = data_dir / "site.json"
    wanted = {"articles": articles, "seed": seed}
    exists = marker.exists() and json.loads(marker.read_text()) == wanted
    if db == "postgres":
        name = f"akhbar_pages_{articles}"
        present = bool(_pg(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))
        if not (exists and present):
            if present:
                _pg(f'DROP DATABASE "{name}"')
            _pg(f'CREATE DATABASE "{name}"')
            exists = False
    if exists:
        return env
    if db == "sqlite" and data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"generating a {db} site of {articles:,} articles (once; kept in {data_dir})", flush=True)
    subprocess.run(
        [
            PYTHON,
            str(ROOT / "bench" / "sitegen.py"),
            "--articles",
            str(articles),
            "--seed",
            str(seed),
            "--no-related",
        ],
        env=env,
        check=True,
    )
    marker.write_text(json.dumps(wanted))
    return env


# --- In-process probe: URLs and query counts ------------------------------------------------
def _probe_main() -> None:
    """Run inside the site's environment: pick the URLs and count each page's queries."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from akhbar.newsroom.models import Article, Category

    total = Article.objects.count()
    # The article in the middle of the archive, and the economy section (it has sub-sections):
    # the same ones the WordPress comparison requests.
    middle = Article.objects.order_by("pk").only("slug")[total // 2]
    section = Category.objects.get(name="اقتصاد")
    paths = {
        "home": "/",
        "article": middle.get_absolute_url(),
        "category": section.get_absolute_url(),
        "search": f"/search/?q={quote(SEARCH_QUERY)}",
        "feed": "/feed/",
    }
    out: dict[str, dict] = {"articles": total, "pages": {}}
    client = Client(HTTP_HOST="127.0.0.1")
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()
    for name, path in paths.items():
        counts, status = [], 0
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            status = response.status_code
            counts.append(len(queries))
        out["pages"][name] = {
            "path": quote(path, safe="/?=&%"),
            "status": status,
            "queries": counts,
        }
    print(json.dumps(out))


def probe(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [PYTHON, __file__, "--_probe"],
        env={**env, "AKHBAR_PAGE_CACHE": "0"},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"probe failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Servers and wrk ----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                r.read()
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def http_status(url: str, timeout: float = 120) -> int:
    """The final status of a GET (redirects followed); 0 when it does not answer in time."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except TimeoutError:
        return 0


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                    pids.append(int(entry.name))
    return pids


def peak_rss_mb(pids: list[int]) -> float:
    peak = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
    return peak / 1024


@dataclass
class Server:
    base: str
    proc: subprocess.Popen

    def workers(self) -> list[int]:
        return worker_pids(self.proc.pid)


@contextlib.contextmanager
def akhbar_server(
    env: dict[str, str], page_cache: bool, workers: int | None = None
) -> Iterator[Server]:
    port = free_port()
    workers = workers or os.cpu_count() or 2
    gunicorn = str(Path(PYTHON).parent / "gunicorn")
    proc = subprocess.Popen(
        [
            gunicorn,
            "akhbar.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env={**env, "AKHBAR_PAGE_CACHE": "1" if page_cache else "0"},
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/robots.txt")  # cheap: "/" may take seconds on a big site
        yield Server(base, proc)
    finally:
        stop(proc)


@contextlib.contextmanager
def serving(proc: subprocess.Popen, port: int, ready: str) -> Iterator[str]:
    """The base URL of a server just started on ``port``, once ``ready`` answers; the server
    is stopped on the way out."""
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + ready)
        yield base
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _wrk_headers() -> list[str]:
    """``BENCH_ACCEPT_ENCODING=gzip``: send what browsers send. wrk sends no
    ``Accept-Encoding`` by default, so a cache that stores pages gzipped (Varnish) unzips
    each one for it while one that stores them plain does not; the same header goes to
    every system measured."""
    encoding = os.environ.get("BENCH_ACCEPT_ENCODING", "")
    return ["-H", f"Accept-Encoding: {encoding}"] if encoding else []


def wrk(url: str, connections: int = 16, threads: int = 2, duration: int = 10) -> dict:
    """One bounded wrk run: requests/s, p50/p99 in ms, and how many answers were not 2xx/3xx."""
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(threads, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "30s",
            "--latency",
            *_wrk_headers(),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {
        p: _ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    }
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)([KMG]?B)", out)
    per_second = (
        float(transfer.group(1))
        * {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[transfer.group(2)]
    )
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        # Bytes per response, headers included (wrk's Transfer/sec over requests/s): shows
        # what each system sends for the same page (gzipped or not).
        "kb": per_second / rps / 1024 if rps else 0.0,
        "p50": lat.get("50", float("nan")),
        "p99": lat.get("99", float("nan")),
        "non2xx": int(bad.group(1)) if bad else 0,
        "errors": errors.group(1) if errors else "",
    }


def drain(url: str, limit: float = 240) -> None:
    """Wait until the server is idle: workers go on with requests wrk gave up on (timeouts),
    which would otherwise be charged to the next page measured."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        http_status(url, timeout=limit)
        if time.monotonic() - started < 0.5:
            return


def measure(
    base: str, path: str, duration: int, warmup: int = 20, idle: str = "/robots.txt"
) -> dict:
    """Warm up (templates, caches), then the throughput run and the single-connection run.

    ``idle`` is a cheap URL served by the same workers, used to wait for them to be free.
    """
    url = base + path
    drain(base + idle)
    deadline = time.monotonic() + 5
    for _ in range(warmup):
        http_status(url)
        if time.monotonic() > deadline:
            break
    loaded = wrk(url, 16, 2, duration)
    drain(base + idle)
    single = wrk(url, 1, 1, max(3, duration // 2))
    drain(base + idle)
    return {**loaded, "p50_1c": single["p50"]}


# --- The benchmark ------------------------------------------------------------------------------
def run_site(db: str, articles: int, duration: int, do_wrk: bool) -> list[dict]:
    env = ensure_site(db, articles)
    info = probe(env)
    rows = []
    if not do_wrk:
        for name, page in info["pages"].items():
            rows.append(
                {
                    "db": db,
                    "articles": info["articles"],
                    "page": name,
                    "cache": "-",
                    "queries": page["queries"],
                    "status": page["status"],
                }
            )
        return rows
    for cache_on in (False, True):
        with akhbar_server(env, page_cache=cache_on) as server:
            for name in PAGES:
                page = info["pages"][name]
                status = http_status(server.base + page["path"])
                row = {
                    "db": db,
                    "articles": info["articles"],
                    "page": name,
                    "cache": "on" if cache_on else "off",
                    "queries": page["queries"],
                    "status": status,
                }
                if status == 200:
                    row.update(measure(server.base, page["path"], duration))
                rows.append(row)
                print(_fmt(row), flush=True)
            rss = peak_rss_mb(server.workers())
            for row in rows:
                if row["cache"] == ("on" if cache_on else "off") and row["db"] == db:
                    row.setdefault("rss", rss)
    return rows


HEADER = (
    "| DB | articles | page | page cache | req/s | p50 ms | p99 ms | p50 1c ms "
    "| SQL (cold/steady) | RSS MB/worker |\n|---|---:|---|---|---:|---:|---:|---:|---:|---:|"
)


def _rps(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def _fmt(row: dict) -> str:
    q = "/".join(map(str, row["queries"]))
    if "rps" not in row:
        note = f"skipped: HTTP {row['status']}" if row["status"] != 200 else ""
        return (
            f"| {row['db']} | {row['articles']:,} | {row['page']} | {row['cache']} | "
            f"{note} | | | | {q} | |"
        )
    bad = f" ({row['non2xx']} non-2xx)" if row["non2xx"] else ""
    if row.get("errors"):
        bad += f" (errors: {row['errors'].strip()})"
    return (
        f"| {row['db']} | {row['articles']:,} | {row['page']} | {row['cache']} | "
        f"{_rps(row['rps'])}{bad} | {row['p50']:.1f} | {row['p99']:.1f} | {row['p50_1c']:.1f} | "
        f"{q} | {row.get('rss', 0):.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000", help="site sizes (comma-separated)")
    parser.add_argument("--postgres", action="store_true", help="also PostgreSQL + Redis")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument(
        "--wrk-sizes", help="sizes to load-test (default: the largest); the others only count SQL"
    )
    parser.add_argument("--_probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._probe:
        _probe_main()
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    sizes = [int(s) for s in args.sizes.split(",")]
    wrk_sizes = {int(s) for s in (args.wrk_sizes or str(max(sizes))).split(",")}
    dbs = ([] if args.no_sqlite else ["sqlite"]) + (["postgres"] if args.postgres else [])
    rows = []
    for db in dbs:
        for size in sizes:
            rows += run_site(db, size, args.duration, size in wrk_sizes)
    print(
        f"\n{os.cpu_count()} CPUs, gunicorn sync workers = {os.cpu_count()}, "
        f"wrk -t2 -c16 -d{args.duration}s (p50 1c: -t1 -c1)\n"
    )
    print(HEADER)
    for row in rows:
        print(_fmt(row))
    skipped = sorted({r["page"] for r in rows if r["status"] != 200})
    if skipped:
        print(f"\nnot measured (page answered non-200, not built yet?): {', '.join(skipped)}")


if __name__ == "__main__":
    main()
