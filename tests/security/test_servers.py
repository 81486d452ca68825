"""Real servers: slow clients against `make serve`'s gunicorn settings and behind the shipped
nginx, exact read counts from 2,000 concurrent beacons, and per-reader comment rate limits
behind nginx (each reader on its own loopback address)."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager

import httpx
import pytest

from tests.deploy import servers

pytestmark = pytest.mark.slow
CONF = servers.REPO / "deploy" / "gunicorn" / "akhbar.conf.py"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("site")
    env = servers.server_env(data, AKHBAR_TRUSTED_PROXIES="127.0.0.1/32")
    servers.manage(env, "migrate", "--noinput")
    servers.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    servers.manage(env, "load_demo")
    return env


def shell(env, code: str) -> str:
    # The last line: Django 5.2's shell prints how many models it imported first.
    return servers.manage(env, "shell", "-c", code).strip().splitlines()[-1]


@contextmanager
def serve(env, workers: int | None = 2):
    """gunicorn with the shipped settings; ``workers=None``: their worker count too."""
    port = servers.free_port()
    log = open(servers.Path(env["AKHBAR_DATA_DIR"]) / f"gunicorn-{port}.log", "w")  # noqa: SIM115
    count = ["--workers", str(workers)] if workers else []
    proc = subprocess.Popen(
        [str(servers.BIN / "gunicorn"), "akhbar.wsgi", "-c", str(CONF),
         "--bind", f"127.0.0.1:{port}", *count],
        cwd=servers.REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        servers.wait_for(f"http://127.0.0.1:{port}/robots.txt")
        yield f"http://127.0.0.1:{port}", port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextmanager
def behind_nginx(env, app_port: int, workdir):
    listen = servers.free_port()
    conf = (servers.REPO / "deploy" / "nginx" / "akhbar.conf").read_text()
    conf = (
        conf.replace("127.0.0.1:8001 max_fails=3 fail_timeout=10s", f"127.0.0.1:{app_port}")
        .replace("server 127.0.0.1:8002 max_fails=3 fail_timeout=10s;", "")
        .replace("listen 80;", f"listen 127.0.0.1:{listen};")
        .replace("/srv/akhbar/var/", f"{env['AKHBAR_DATA_DIR']}/")
    )  # fmt: skip
    workdir.mkdir(exist_ok=True)
    with servers.nginx(conf, workdir):
        yield f"http://127.0.0.1:{listen}", listen


def slowloris(port: int, n: int = 20) -> list[socket.socket]:
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # headers never finish
        socks.append(s)
    return socks


def probe(base: str, timeout: float = 10) -> float:
    """Seconds for a new connection to get robots.txt (``inf`` if it got no answer)."""
    started = time.monotonic()
    try:
        r = httpx.get(base + "/robots.txt", timeout=timeout)
    except httpx.TimeoutException:
        return float("inf")
    assert r.status_code == 200
    return time.monotonic() - started


def test_twenty_slow_clients_do_not_stall_the_server(site, tmp_path):
    """With the shipped settings (gthread, 2 x CPUs + 1 workers of 16 threads) and behind the
    shipped nginx, 20 clients that never finish their headers leave the server answering.

    gunicorn alone: a gthread worker gives each accepted connection a thread until its
    request is read, so if the kernel hands more than 16 of the 20 to one worker, that
    worker waits for them (nginx is the shield that reads whole requests). The server is
    stalled only if every worker is; each probe is a new connection, which may land on any.
    """
    if servers.nginx_binary() is None:
        pytest.fail("nginx missing: `make test` installs Debian's nginx")
    with (
        serve(site, workers=None) as (base, port),
        behind_nginx(site, port, tmp_path / "ng") as (front, lp),
    ):
        for target_port, url in ((port, base), (lp, front)):
            with ExitStack() as stack:
                for s in slowloris(target_port):
                    stack.callback(s.close)
                time.sleep(0.5)
                waits = [probe(url, timeout=3) for _ in range(5)]
            assert min(waits) < 1.0, (url, waits)


def test_two_thousand_concurrent_beacons_count_exactly(site):
    pk = int(
        shell(
            site,
            "from akhbar.newsroom.models import Article;a=Article.objects.published().first();"
            "Article.objects.filter(pk=a.pk).update(view_count=0);print(a.pk)",
        )
    )
    with serve(site) as (base, _port):
        barrier = threading.Barrier(20)

        def reader(_: int) -> int:
            with httpx.Client(headers={"User-Agent": "Mozilla/5.0 (Android 14)"}) as c:
                barrier.wait()
                return sum(c.post(f"{base}/hit/{pk}/").status_code == 204 for _ in range(100))

        with ThreadPoolExecutor(20) as pool:
            assert sum(pool.map(reader, range(20))) == 2_000
    servers.manage(site, "flush_hits")
    count = shell(site, f"from akhbar.newsroom.models import Article;"
                        f"print(Article.objects.get(pk={pk}).view_count)")  # fmt: skip
    assert int(count) == 2_000


def _post_comment(base: str, article_id: int, *, address: str, email: str, n: int) -> int:
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(transport=transport, base_url=base, headers={"Host": "127.0.0.1"}) as c:
        state = c.get(f"/comments/state/{article_id}/").json()
        r = c.post(
            f"/comments/post/{article_id}/",
            data={"csrfmiddlewaretoken": state["csrf"], "ts": state["ts"], "author_name": "قارئ",
                  "author_email": email, "body": f"تعليق رقم {n} من {address}", "fax": ""},
            headers={"Accept": "application/json", "Referer": base + "/"},
        )  # fmt: skip
        return r.status_code


def test_rate_limits_per_reader_behind_nginx_and_atomic(site, tmp_path):
    article_id = int(shell(site, "from akhbar.newsroom.models import Article;"
                                 "print(Article.objects.published().first().pk)"))  # fmt: skip
    with serve(site) as (_base, port), behind_nginx(site, port, tmp_path / "ng2") as (front, _):
        # Eight readers behind the same proxy, two comments each: nobody is limited.
        codes = [
            _post_comment(front, article_id, address=f"127.0.0.{i}", email=f"r{i}@example.org", n=j)
            for i in range(2, 10) for j in range(2)
        ]  # fmt: skip
        assert codes.count(200) == 16, codes
        # One email, 30 posts at once: exactly the limit (5) gets through.
        with ThreadPoolExecutor(15) as pool:
            codes = list(pool.map(
                lambda n: _post_comment(front, article_id, address=f"127.0.1.{n + 1}",
                                        email="flood@example.org", n=n),
                range(30),
            ))  # fmt: skip
        assert codes.count(200) == 5 and codes.count(429) == 25, codes
    stored = shell(
        site,
        "from akhbar.comments.models import Comment;import json;print(json.dumps(sorted("
        "set(Comment.objects.exclude(ip_address=None).values_list('ip_address', flat=True)))))",
    )
    assert {f"127.0.0.{i}" for i in range(2, 10)} <= set(json.loads(stored))
