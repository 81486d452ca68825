"""Varnish (deploy/varnish/akhbar.vcl, Debian's varnish + varnish-modules' xkey) in front of two
gunicorn servers, with the database job worker sending the purges (akhbar.edge).

Shows, on loopback with real servers: a new article is on the cached home and section pages
soon after its commit (purged, not expired); an edited headline changes on every cached
page showing it while unrelated cached pages stay cached (hits); an approved comment purges
only its article; with Varnish down publishing still succeeds and the purge is retried;
tracking parameters do not split the cache; staff and per-reader requests pass; only the app
servers may purge.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
from pathlib import Path
from urllib.parse import unquote

import httpx
import lxml.html
import pytest

from tests.deploy import servers

pytestmark = pytest.mark.slow


def _action(env: dict[str, str], action: str, **params: object) -> dict:
    out = subprocess.run(
        [
            str(servers.BIN / "python"),
            "-m",
            "tests.deploy.edge_actions",
            action,
            json.dumps(params),
        ],
        cwd=servers.REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _get(client: httpx.Client, url: str) -> httpx.Response:
    # The app servers' own view of an object (the purgers ACL): its surrogate keys too.
    response = client.get(url, headers={"Akhbar-Edge-Debug": "keys"})
    assert response.status_code == 200, (url, response.status_code)
    return response


def _warm(client: httpx.Client, base: str, paths: list[str]) -> None:
    """Fetch until each page is a hit (two app servers, round robin: one miss each)."""
    for path in paths:
        for _ in range(3):
            if _get(client, base + path).headers["x-cache"] == "HIT":
                break
        assert _get(client, base + path).headers["x-cache"] == "HIT", path


def _visible_within(client: httpx.Client, url: str, text: str, since: float, limit: float) -> float:
    """Seconds from ``since`` until ``text`` is on ``url`` (polling every 20 ms); fails after
    ``limit`` seconds."""
    while True:
        response = _get(client, url)
        if text in response.text:
            took = time.time() - since
            assert took <= limit, f"{text!r} on {url} only after {took:.2f} s (limit {limit:.1f})"
            return took
        if time.time() - since > limit:
            raise AssertionError(f"{text!r} not on {url} {limit} s after commit")
        time.sleep(0.02)


def _within() -> float:
    """A bound far below the pages' s-maxage (600 s), so only the purge can explain a change
    seen within it: the test proves the purge path, bench/edge.py and bench/wordpress measure
    the latency (p95 206-222 ms at 100,000 articles). A 1 s bound here failed once when CI ran
    both engines' suites side by side (1.68 s), load average lagging behind the load."""
    return 5.0 * max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))


def _keys(response: httpx.Response) -> set[str]:
    return set(response.headers.get("surrogate-key", "").split())


def _results(data_dir: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(data_dir / "akhbar.sqlite3") as db:
        return db.execute(
            "SELECT status, args_kwargs, exception_class_path"
            " FROM django_tasks_database_dbtaskresult"
            " WHERE task_path LIKE '%purge_keys' ORDER BY enqueued_at"
        ).fetchall()


def _wait_for_idle_queue(data_dir: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(data_dir / "akhbar.sqlite3") as db:
            (waiting,) = db.execute(
                "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult"
                " WHERE status IN ('READY', 'RUNNING')"
            ).fetchone()
        if not waiting:
            return
        time.sleep(0.2)
    raise AssertionError("the job queue did not drain")


def test_varnish_purges_exactly_what_changed(tmp_path):
    if servers.varnishd_binary() is None:
        pytest.fail("varnishd missing: `make test` installs Debian's varnish and varnish-modules")
    vport = servers.free_port()
    env = servers.server_env(
        tmp_path,
        AKHBAR_VARNISH_URLS=f"http://127.0.0.1:{vport}",
        AKHBAR_TASKS_BACKEND="database",
        AKHBAR_VARNISH_RETRY_BASE="0.5",
        AKHBAR_VARNISH_TIMEOUT="1",
    )
    servers.manage(env, "migrate", "--noinput")
    servers.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    servers.manage(env, "load_demo")
    ports = [servers.free_port(), servers.free_port()]
    vcl = servers.varnish_vcl(ports)
    client = httpx.Client(timeout=10)
    with (
        servers.gunicorn(env, ports[0], workers=1),
        servers.gunicorn(env, ports[1], workers=1),
        servers.db_worker(env) as worker_log,
    ):
        with servers.varnish(vcl, vport, tmp_path / "varnish") as edge:
            # Loading the demo newsroom queued purges of its own (sections created…): let the
            # worker finish them before warming the cache.
            _wait_for_idle_queue(tmp_path)
            home = lxml.html.fromstring(_get(client, edge + "/").content)
            sections = [h for h in home.xpath("//nav//a[starts-with(@href, '/category/')]/@href")]
            assert len(sections) >= 2
            news_section = sections[0]
            slug = unquote(news_section).strip("/").split("/")[-1]
            with sqlite3.connect(tmp_path / "akhbar.sqlite3") as db:
                (section_id,) = db.execute(
                    "SELECT id FROM newsroom_category WHERE slug = ?", (slug,)
                ).fetchone()
            # A section page the new article will not be listed on (not a parent section).
            other_section = next(
                path
                for path in reversed(sections)
                if path != news_section and f"s{section_id}" not in _keys(_get(client, edge + path))
            )

            # --- tracking parameters and cookies do not split the cache ------------------
            _warm(client, edge, ["/"])
            tracked = client.get(edge + "/?utm_source=x&fbclid=abc&gclid=1")
            assert tracked.headers["x-cache"] == "HIT"
            with_cookie = client.get(edge + "/", headers={"Cookie": "csrftoken=abc; _pk_id=1"})
            assert with_cookie.headers["x-cache"] == "HIT"
            # --- staff and per-reader requests pass ----------------------------------------
            assert client.get(edge + "/admin/login/").headers["x-cache"] == "PASS"
            staff = client.get(edge + "/", headers={"Cookie": "sessionid=abc"})
            assert staff.headers["x-cache"] == "PASS"
            article_path = home.xpath("//a[starts-with(@href, '/news/')]/@href")[0]
            article_page = _get(client, edge + article_path)
            article_id = int(
                lxml.html.fromstring(article_page.content).xpath(
                    "//*[@data-article]/@data-article"
                )[0]
            )
            state = client.get(f"{edge}/comments/state/{article_id}/")
            assert state.headers["x-cache"] == "PASS"

            # --- only the app servers may purge (ACL) -------------------------------------
            outsider = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"))
            refused = outsider.request("PURGE", edge + "/", headers={"xkey": "akhbar"})
            assert refused.status_code == 403
            # --- readers get no internal headers; the keys only for the app servers ---------
            seen = outsider.get(edge + "/", headers={"Akhbar-Edge-Debug": "keys"})
            assert seen.headers["x-cache"] == "HIT"
            for internal in ("surrogate-key", "cache-tag", "xkey", "x-varnish", "x-app-cache"):
                assert internal not in seen.headers, internal
            assert seen.headers["vary"].lower() == "accept-encoding"
            assert "akhbar" in _keys(_get(client, edge + "/"))
            assert client.get(edge + "/").headers["x-cache"] == "HIT"

            # --- a new article: on the cached home and section pages once purged ---------
            _warm(client, edge, ["/", news_section, other_section])
            published = _action(
                env, "publish", title="خبر عاجل جديد عن الحافة", category_id=section_id
            )
            for path in ("/", news_section):
                limit = _within()
                took = _visible_within(
                    client, edge + path, "خبر عاجل جديد عن الحافة", published["committed_at"], limit
                )
                print(f"new article on {path} after {took:.3f} s (limit {limit:.1f} s)")
            assert _get(client, edge + published["url"]).status_code == 200
            # A section the article is not in was not purged.
            assert _get(client, edge + other_section).headers["x-cache"] == "HIT"

            # --- an edited headline changes on every cached page that shows it -----------
            edited_path = published["url"]
            pages = ["/", news_section, edited_path, "/feed/"]
            _warm(client, edge, [*pages, other_section, article_path])
            showing = [p for p in pages if f"a{published['id']}" in _keys(_get(client, edge + p))]
            assert set(showing) == set(pages)
            unrelated = [
                p
                for p in (other_section, article_path)
                if f"a{published['id']}" not in _keys(_get(client, edge + p))
            ]
            assert unrelated, "some cached page does not show the edited article"
            edited = _action(env, "retitle", article_id=published["id"], title="عنوان معدّل للخبر")
            for path in pages:
                _visible_within(
                    client, edge + path, "عنوان معدّل للخبر", edited["committed_at"], _within()
                )
            for path in unrelated:
                response = _get(client, edge + path)
                assert response.headers["x-cache"] == "HIT", path
                assert int(response.headers["age"]) >= 1

            # --- an approved comment purges only its article -----------------------------
            _warm(client, edge, ["/", news_section, edited_path])
            approved = _action(
                env, "approve_comment", article_id=published["id"], body="تعليق مقبول للاختبار"
            )
            _visible_within(
                client,
                edge + edited_path,
                "تعليق مقبول للاختبار",
                approved["committed_at"],
                _within(),
            )
            for path in ("/", news_section):
                assert _get(client, edge + path).headers["x-cache"] == "HIT", path

        # --- Varnish down: publishing succeeds, the purge is retried ----------------------
        down = _action(env, "publish", title="خبر أثناء توقف الحافة", category_id=section_id)
        assert down["id"]
        deadline = time.monotonic() + 20
        while "retrying in" not in worker_log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "edge purge failed" in worker_log.read_text()
        with servers.varnish(vcl, vport, tmp_path / "varnish") as edge:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                results = _results(tmp_path)
                if any(
                    status == "SUCCESSFUL" and json.loads(args)["args"][-1] > 1
                    for status, args, _ in results
                    if json.loads(args)["args"][2:]
                ):
                    break
                time.sleep(0.2)
            else:
                raise AssertionError(f"no retried purge succeeded: {results}")
            assert "خبر أثناء توقف الحافة" in _get(client, edge + "/").text
