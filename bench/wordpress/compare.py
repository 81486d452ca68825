"""The side-by-side run (started by run.sh, which installs and configures WordPress first).

For each page (home, article, category, search, RSS feed) and each cache mode, the same wrk
command runs against Akhbar (gunicorn, one sync worker per CPU) and WordPress (nginx + PHP-FPM,
5 static children, OPcache on), one after the other, and the table shows the ratio
Akhbar/WordPress of requests per second. "cache on" is each system's standard page cache:
Akhbar's page-cache middleware, and for WordPress nginx's fastcgi_cache (no page-cache plugin
is packaged in Debian). SQL per page: Akhbar from Django's test client (as in bench/pages.py),
WordPress from MariaDB's "Questions" counter around one request.

Then the edge pass: Akhbar behind Varnish (deploy/varnish/akhbar.vcl, purges through the job
queue) against WordPress behind nginx fastcgi_cache, cached req/s side by side, and
publish-to-visible on each one's cached home page (``--publishes``, default 50): the time from
the commit of a new post (Akhbar: the newsroom write path; WordPress: ``wp_insert_post``) until
the home page served by the cache shows its headline. WordPress + fastcgi_cache has no purge,
so a post appears only when the cached home page expires (``fastcgi_cache_valid 10m``); it is
polled for ``--wp-cap`` seconds per publish. Two more columns under the same workload:
WordPress behind fastcgi_cache with Debian's default ``gzip on`` (nginx compresses each cached
page per request; the default column sends it uncompressed), and nginx serving Varnish's own
gzipped bytes of each page as static files, the floor of what sending those bytes costs here
(so "Varnish/nginx static" is how close the edge comes to a plain file server).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

BENCH = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCH))

import edge  # noqa: E402
import pages  # noqa: E402
from sitegen import wp_slug  # noqa: E402

MYSQL = ["mysql", "-uroot", "-h127.0.0.1", "-P3306", "-N", "-B"]


def wp_paths(akhbar: dict[str, dict]) -> dict[str, str]:
    """The WordPress URL of each page Akhbar's probe chose (same article, same section)."""
    article_slug = unquote(akhbar["article"]["path"]).strip("/").split("/")[-1]
    category_slug = unquote(akhbar["category"]["path"]).strip("/").split("/")[-1]
    return {
        "home": "/",
        "article": f"/{wp_slug(article_slug)}/",
        "category": f"/category/{wp_slug(category_slug)}/",
        "search": f"/?s={quote(pages.SEARCH_QUERY)}",
        "feed": "/feed/",
    }


def mysql_questions() -> int:
    out = subprocess.run(
        [*MYSQL, "-e", "SHOW GLOBAL STATUS LIKE 'Questions'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(out.split()[-1])


def served_language(url: str) -> str:
    """The ``lang`` of the page's ``<html>``: the language the peer really serves."""
    body, _ = edge.fetch(url)
    found = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", body)
    return found.group(1) if found else "?"


def wp_queries(url: str) -> int:
    before = mysql_questions()
    pages.http_status(url)
    return mysql_questions() - before - 1  # the second SHOW counts itself


@contextlib.contextmanager
def wordpress(
    work: Path, php_fpm: str, cache: bool, port: int, *, gzip: bool = False
) -> Iterator[tuple[str, subprocess.Popen]]:
    fpm = subprocess.Popen(
        [php_fpm, "-F", "-y", str(work / "php-fpm.conf")], start_new_session=True
    )
    name = "nginx-cache-gzip.conf" if gzip else "nginx-cache.conf"
    conf = work / (name if cache else "nginx-nocache.conf")
    nginx = subprocess.Popen(
        ["nginx", "-c", str(conf), "-g", "daemon off;"], start_new_session=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while not (work / "php-fpm.sock").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        pages.wait_http(base + "/wp-login.php")
        yield base, fpm
    finally:
        pages.stop(nginx)
        pages.stop(fpm)


def wp_publish_to_visible(work: Path, base: str, count: int, cap: float) -> dict:
    """Publish ``count`` posts with wp_insert_post and time each until the cached home page
    shows it (or ``cap`` seconds pass); the posts are deleted afterwards."""
    times: list[float | None] = []
    made: list[str] = []
    script = str(BENCH / "wordpress" / "publish.php")
    for i in range(count):
        for _ in range(3):  # cached (nginx answers HIT from the second request on)
            pages.http_status(base + "/")
        title = f"خبر قياس الحافة رقم {i} {time.time_ns()}"
        out = subprocess.run(["php", script, title], capture_output=True, text=True, check=True)
        post_id, committed = out.stdout.split()
        made.append(post_id)
        start = time.perf_counter() - (time.time() - float(committed))
        took = None
        while time.perf_counter() - start < cap:
            body, _ = edge.fetch(base + "/")
            if title in body:
                took = time.perf_counter() - start
                break
            time.sleep(0.005)
        times.append(took)
    subprocess.run(["php", script, "--delete", *made], capture_output=True, check=False)
    return edge.summary(times, cap)


def save_edge_copy(varnish: str, path: str, target: Path) -> str:
    """Varnish's gzipped copy of a page, written as a static file; returns its content type."""
    request = urllib.request.Request(varnish + path, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as r:
        body = r.read()
        if r.headers.get("Content-Encoding") != "gzip":
            raise SystemExit(f"{path}: Varnish sent no gzip copy")
        target.write_bytes(body)
        return r.headers.get_content_type()


@contextlib.contextmanager
def static_nginx(work: Path, files: dict[str, str]) -> Iterator[str]:
    """nginx serving each page's saved bytes as a static file (sendfile, no app, no cache
    logic): the floor of what serving those bytes costs on this machine, for comparison with
    Varnish serving the same bytes from its cache."""
    port = pages.free_port()
    locations = "\n".join(
        f"        location = /{name} {{ default_type {ctype}; add_header Content-Encoding gzip; }}"
        for name, ctype in files.items()
    )
    conf = work / "nginx-static.conf"
    conf.write_text(
        f"""worker_processes auto;
pid {work}/nginx-static.pid;
error_log {work}/nginx-static-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        root {work}/static;
{locations}
        location = /idle {{ return 204; }}
    }}
}}
"""
    )
    proc = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"], start_new_session=True)
    with pages.serving(proc, port, "/idle") as base:
        yield base


def ratio(a: dict, w: dict) -> str:
    if "rps" not in a or "rps" not in w or not w["rps"]:
        return "–"
    value = a["rps"] / w["rps"]
    return f"{value:.2f}×" if value < 1 else f"{value:.1f}×"


def cell(m: dict, key: str, fmt: str) -> str:
    if key not in m:
        return f"HTTP {m.get('status', '?')}"
    extra = f" ({m['non2xx']} non-2xx)" if key == "rps" and m.get("non2xx") else ""
    if key == "rps" and m.get("errors"):
        extra += f" (errors: {m['errors'].strip()})"
    if fmt == "rps":
        return pages._rps(m[key]) + extra
    return format(m[key], fmt) + extra


def whole_page(url: str) -> None:
    """Refuse to measure a page that is not a whole page: at least 2 kB, ending its document.

    A WordPress without a theme answers every front-end URL with an empty 200 (its queries
    run, nothing renders), and wrk counts that as a fast success; runs before this check
    measured exactly that."""
    request = urllib.request.Request(url)  # no Accept-Encoding: the document as text
    with urllib.request.urlopen(request, timeout=120) as r:
        body = r.read()
    if len(body) < 2000 or not (b"</html>" in body[-200:] or b"</rss>" in body[-200:]):
        raise SystemExit(f"{url} is not a whole page ({len(body)} bytes): nothing to measure")


def _measure(system: str, base: str, path: str, duration: int, *, with_path: bool) -> dict:
    """One system's figures for one page: its HTTP status, and the load test when it answers
    200 with a whole page (each system idles on a cheap page of its own between runs)."""
    status = pages.http_status(base + path)
    entry = {"status": status, "path": path} if with_path else {"status": status}
    if status == 200:
        if system != "static":  # the static copies are Akhbar's pages, gzipped
            whole_page(base + path)
        idle = {"akhbar": "/robots.txt", "static": "/idle"}.get(system, "/wp-login.php")
        entry.update(pages.measure(base, path, duration, idle=idle))
    return entry


def edge_extras(
    args: argparse.Namespace, edge_rows: list[dict], paths_wp: dict[str, str], types: dict
) -> None:
    # WordPress behind Debian's default nginx compression (gzip on), then nginx serving
    # Varnish's own bytes as static files: both under the same wrk workload.
    with wordpress(args.work, args.php_fpm, True, args.wp_port, gzip=True) as (wp, _fpm):
        for row in edge_rows:
            row["wp_gzip"] = _measure(
                "wp", wp, paths_wp[row["page"]], args.duration, with_path=False
            )
            print(
                f"{row['page']:9} edge       wordpress+fastcgi_cache+gzip "
                f"{cell(row['wp_gzip'], 'rps', 'rps'):>10} req/s",
                flush=True,
            )
    with static_nginx(args.work, types) as static:
        for row in edge_rows:
            row["static"] = _measure(
                "static", static, "/" + row["page"], args.duration, with_path=False
            )
            print(
                f"{row['page']:9} edge       nginx static (Akhbar's bytes) "
                f"{cell(row['static'], 'rps', 'rps'):>10} req/s",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--wp-port", type=int, required=True)
    parser.add_argument("--php-fpm", required=True)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--publishes", type=int, default=50)
    parser.add_argument("--wp-cap", type=float, default=2.0)
    args = parser.parse_args()
    db = "postgres" if args.postgres else "sqlite"
    env = pages.ensure_site(db, args.articles)
    info = pages.probe(env)
    akhbar_paths = {name: page["path"] for name, page in info["pages"].items()}
    paths_wp = wp_paths(info["pages"])
    results: list[dict] = []
    load = os.getloadavg()
    for cache in (False, True):
        mode = "on" if cache else "off"
        with (
            pages.akhbar_server(env, page_cache=cache) as akhbar,
            wordpress(args.work, args.php_fpm, cache, args.wp_port) as (wp, fpm),
        ):
            wp_lang = served_language(wp + "/")
            for name in pages.PAGES:
                row = {"page": name, "cache": mode, "akhbar": {}, "wp": {}}
                for system, base, path in (
                    ("akhbar", akhbar.base, akhbar_paths[name]),
                    ("wp", wp, paths_wp[name]),
                ):
                    row[system] = _measure(system, base, path, args.duration, with_path=True)
                row["akhbar"]["sql"] = "/".join(map(str, info["pages"][name]["queries"]))
                if not cache:
                    row["wp"]["sql"] = str(wp_queries(wp + paths_wp[name]))
                results.append(row)
                print(
                    f"{name:9} cache {mode:3}  akhbar {cell(row['akhbar'], 'rps', 'rps'):>10} "
                    f"req/s   wordpress {cell(row['wp'], 'rps', 'rps'):>10} req/s   "
                    f"{ratio(row['akhbar'], row['wp'])}",
                    flush=True,
                )
            rss_a = pages.peak_rss_mb(akhbar.workers())
            rss_w = pages.peak_rss_mb(pages.worker_pids(fpm.pid))
            for row in results:
                if row["cache"] == mode:
                    row["akhbar"]["rss"], row["wp"]["rss"] = rss_a, rss_w
    # --- The edge: Akhbar behind Varnish, WordPress behind nginx fastcgi_cache -------------
    edge_rows: list[dict] = []
    edge_load = os.getloadavg()
    with pages.akhbar_server(env, page_cache=True) as akhbar:
        port = int(akhbar.base.rsplit(":", 1)[1])
        with (
            edge.varnish(port) as varnish,
            wordpress(args.work, args.php_fpm, True, args.wp_port) as (wp, fpm),
        ):
            for name in pages.PAGES:
                row = {"page": name, "akhbar": {}, "wp": {}}
                for system, base, path in (
                    ("akhbar", varnish, akhbar_paths[name]),
                    ("wp", wp, paths_wp[name]),
                ):
                    row[system] = _measure(system, base, path, args.duration, with_path=False)
                edge_rows.append(row)
                print(
                    f"{name:9} edge       akhbar+varnish {cell(row['akhbar'], 'rps', 'rps'):>10}"
                    f" req/s   wordpress+fastcgi_cache {cell(row['wp'], 'rps', 'rps'):>10} req/s"
                    f"   {ratio(row['akhbar'], row['wp'])}",
                    flush=True,
                )
            static_dir = args.work / "static"
            static_dir.mkdir(exist_ok=True)
            types = {
                name: save_edge_copy(varnish, akhbar_paths[name], static_dir / name)
                for name in pages.PAGES
            }
            env_edge = edge.edge_env(env, varnish)
            with edge.db_worker(env_edge):
                visible_a = edge.publish_to_visible(env_edge, varnish, args.publishes)
            print(f"publish-to-visible akhbar+varnish: {edge.fmt_visible(visible_a)}", flush=True)
            visible_w = wp_publish_to_visible(args.work, wp, args.publishes, args.wp_cap)
            print(f"publish-to-visible wordpress: {edge.fmt_visible(visible_w)}", flush=True)
        edge_extras(args, edge_rows, paths_wp, types)
    edge_load_after = os.getloadavg()

    print(
        f"\n{args.articles:,} articles on both; Akhbar on {db}, WordPress on MariaDB "
        f"(serving lang={wp_lang}); "
        f"{os.cpu_count()} CPUs; load average before the run {load[0]:.1f}; "
        f"wrk -t2 -c16 -d{args.duration}s (p50 1c: wrk -t1 -c1); Accept-Encoding: "
        f"{os.environ.get('BENCH_ACCEPT_ENCODING') or 'none (wrk default)'}\n"
    )
    print(
        "| page | page cache | Akhbar req/s | WordPress req/s | Akhbar/WordPress "
        "| Akhbar p50 / p99 ms | WordPress p50 / p99 ms | p50 1c ms (A / WP) "
        "| SQL queries (A cold/steady, WP) | RSS MB/worker (A / WP) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        a, w = r["akhbar"], r["wp"]
        print(
            f"| {r['page']} | {r['cache']} | {cell(a, 'rps', 'rps')} | {cell(w, 'rps', 'rps')} | "
            f"{ratio(a, w)} | {cell(a, 'p50', '.1f')} / {cell(a, 'p99', '.0f')} | "
            f"{cell(w, 'p50', '.1f')} / {cell(w, 'p99', '.0f')} | "
            f"{cell(a, 'p50_1c', '.1f')} / {cell(w, 'p50_1c', '.1f')} | "
            f"{a['sql']}, {w.get('sql', '–')} | {a.get('rss', 0):.0f} / {w.get('rss', 0):.0f} |"
        )
    print(
        f"\nEdge caches (load average {edge_load[0]:.1f} before, {edge_load_after[0]:.1f} after):"
        " Akhbar behind Varnish 7 (deploy/varnish/akhbar.vcl, malloc 256m) vs WordPress behind"
        " nginx fastcgi_cache\n"
    )
    print(
        "| page | Akhbar+Varnish req/s | WordPress+fastcgi_cache req/s | Akhbar/WordPress "
        "| WordPress+fastcgi_cache, gzip on req/s | Akhbar/WordPress (gzip on) "
        "| nginx static, Akhbar's bytes req/s | Varnish/nginx static "
        "| Akhbar p50 / p99 ms | WordPress p50 / p99 ms | p50 1c ms (A / WP) "
        "| kB per response (A / WP / WP gzip on / static) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in edge_rows:
        a, w = r["akhbar"], r["wp"]
        wg, st = r.get("wp_gzip", {}), r.get("static", {})
        print(
            f"| {r['page']} | {cell(a, 'rps', 'rps')} | {cell(w, 'rps', 'rps')} | {ratio(a, w)} | "
            f"{cell(wg, 'rps', 'rps')} | {ratio(a, wg)} | "
            f"{cell(st, 'rps', 'rps')} | {ratio(a, st)} | "
            f"{cell(a, 'p50', '.2f')} / {cell(a, 'p99', '.1f')} | "
            f"{cell(w, 'p50', '.2f')} / {cell(w, 'p99', '.1f')} | "
            f"{cell(a, 'p50_1c', '.2f')} / {cell(w, 'p50_1c', '.2f')} | "
            f"{cell(a, 'kb', '.1f')} / {cell(w, 'kb', '.1f')} / {cell(wg, 'kb', '.1f')} / "
            f"{cell(st, 'kb', '.1f')} |"
        )
    print(
        f"\npublish-to-visible, {args.publishes} publishes, cached home page: "
        f"Akhbar+Varnish {edge.fmt_visible(visible_a)}; "
        f"WordPress+fastcgi_cache {edge.fmt_visible(visible_w)} "
        "(no purge: fastcgi_cache_valid 10m)"
    )
    print("\nURLs: " + "; ".join(f"{n}: {akhbar_paths[n]} vs {paths_wp[n]}" for n in pages.PAGES))


if __name__ == "__main__":
    main()
