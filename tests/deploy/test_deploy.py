"""Production serving as documented in docs/deploy.md: gunicorn, nginx in front, several
stateless app servers over one PostgreSQL + Redis, and a clean `check --deploy`."""

from __future__ import annotations

import os
import re
import subprocess
import time
import uuid

import httpx
import lxml.html
import pytest

from tests.deploy import servers

pytestmark = pytest.mark.slow

PRODUCTION_ENV = {
    "AKHBAR_HTTPS": "1",
    "AKHBAR_HSTS_PRELOAD": "1",
    "AKHBAR_ALLOWED_HOSTS": "news.example.org",
}


def test_check_deploy_is_clean_with_documented_production_settings(tmp_path):
    env = servers.server_env(tmp_path, **PRODUCTION_ENV)
    out = subprocess.run(
        [str(servers.BIN / "python"), "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=servers.REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def _site(tmp_path, **extra):
    env = servers.server_env(tmp_path, **extra)
    servers.manage(env, "migrate", "--noinput")
    servers.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    servers.manage(env, "load_demo")
    return env


def test_nginx_in_front_of_two_gunicorn_servers(tmp_path):
    if servers.nginx_binary() is None:
        pytest.fail("nginx missing: `make test` installs Debian's nginx")
    env = _site(tmp_path)
    ports = [servers.free_port(), servers.free_port()]
    listen = servers.free_port()
    conf = (servers.REPO / "deploy" / "nginx" / "akhbar.conf").read_text()
    conf = (
        conf.replace("127.0.0.1:8001", f"127.0.0.1:{ports[0]}")
        .replace("127.0.0.1:8002", f"127.0.0.1:{ports[1]}")
        .replace("listen 80;", f"listen 127.0.0.1:{listen};")
        .replace("/srv/akhbar/var/", f"{tmp_path}/")
    )
    workdir = tmp_path / "nginx"
    workdir.mkdir()
    with (
        servers.gunicorn(env, ports[0], workers=1),
        servers.gunicorn(env, ports[1], workers=1),
        servers.nginx(conf, workdir),
    ):
        base = f"http://127.0.0.1:{listen}"
        headers = {"Host": "news.example.org", "Accept-Encoding": "gzip"}
        home = httpx.get(base + "/", headers=headers)
        assert home.status_code == 200 and 'dir="rtl"' in home.text
        page = lxml.html.fromstring(home.content)
        # The theme's CSS is inlined (akhbar.site.inline_css), its fonts fingerprinted in it.
        assert re.search(r"/static/akhbar/fonts/[\w-]+\.[0-9a-f]{12}\.woff2", home.text)
        js = next(h for h in page.xpath("//script/@src") if "akhbar/js/akhbar" in h)
        assert js.count(".") >= 2, "static files are fingerprinted (akhbar.<hash>.js)"
        static = httpx.get(base + js, headers=headers)
        assert static.status_code == 200
        assert "immutable" in static.headers["cache-control"]
        assert static.headers.get("content-encoding") == "gzip"  # pre-compressed by WhiteNoise
        article = page.xpath("//a[starts-with(@href, '/news/')]/@href")[0]
        for _ in range(4):  # both upstreams answer
            assert httpx.get(base + article, headers=headers).status_code == 200
        assert httpx.get(base + "/news/nothing/", headers=headers).status_code == 404
        log = (workdir / "logs" / "access.log").read_text()
        assert log.count("GET /news/") >= 4


@pytest.fixture
def postgres_and_redis():
    psycopg = pytest.importorskip("psycopg")
    # Shifted by .ci/run for the PostgreSQL run, which runs beside the SQLite one.
    offset = int(os.environ.get("AKHBAR_TEST_REDIS_DB_OFFSET", "0"))
    redis_url = f"redis://127.0.0.1:6379/{7 + offset}"
    try:
        admin = psycopg.connect(
            "postgres://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=3
        )
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL not reachable on 127.0.0.1:5432 ({exc}): scale-out test skipped")
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except Exception as exc:
        admin.close()
        pytest.skip(f"Redis not reachable on 127.0.0.1:6379 ({exc}): scale-out test skipped")
    name = f"akhbar_scale_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}", redis_url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _login(client: httpx.Client, base: str, username: str, password: str) -> None:
    client.get(base + "/admin/login/")
    token = client.cookies["csrftoken"]
    r = client.post(
        base + "/admin/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/admin/login/"},
    )
    assert r.status_code == 302, r.text[:500]


def test_two_app_servers_share_postgres_and_redis(tmp_path, postgres_and_redis):
    database_url, redis_url = postgres_and_redis
    prefix = f"akhbar-test-{uuid.uuid4().hex[:8]}"
    env = _site(
        tmp_path,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        AKHBAR_CACHE_PREFIX=prefix,
        DJANGO_SUPERUSER_PASSWORD="Akhbar-scale-2026",
    )
    servers.manage(env, "createsuperuser", "--noinput", "--username", "chief", "--email", "c@x.org")
    a_port, b_port = servers.free_port(), servers.free_port()
    # Each server gets its own data dir: nothing on local disk may be shared state.
    env_a = {**env, "AKHBAR_DATA_DIR": str(tmp_path / "a")}
    env_b = {**env, "AKHBAR_DATA_DIR": str(tmp_path / "b")}
    for e in (env_a, env_b):
        servers.manage(e, "collectstatic", "--noinput", "--verbosity", "0")
    with servers.gunicorn(env_a, a_port) as a, servers.gunicorn(env_b, b_port) as b:
        reader = httpx.Client()
        assert "صحيفة الوادي الأخضر" in reader.get(b + "/").text  # cached on B now

        editor = httpx.Client(follow_redirects=False)
        _login(editor, a, "chief", "Akhbar-scale-2026")
        form_url = a + "/admin/site/sitesettings/1/change/"
        form = lxml.html.fromstring(editor.get(form_url).text).xpath(
            "//form[@id='sitesettings_form']"
        )[0]
        values = dict(form.form_values())
        values["site_name"] = "صحيفة الخادمين"
        r = editor.post(form_url, data=values, headers={"Referer": form_url})
        assert r.status_code == 302, lxml.html.fromstring(r.text).xpath("//ul[@class='errorlist']")
        # The edit made through A is what B serves at once (shared cache generation in Redis).
        assert "صحيفة الخادمين" in reader.get(b + "/").text

        # A comment rate limit counts across both servers (counters live in Redis).
        article = lxml.html.fromstring(reader.get(b + "/").content).xpath(
            "//a[starts-with(@href, '/news/')]/@href"
        )[0]
        page = lxml.html.fromstring(reader.get(b + article).content)
        article_id = page.xpath("//*[@data-article]/@data-article")[0]
        clients = {a: httpx.Client(), b: httpx.Client()}
        tokens = {}
        for base, client in clients.items():
            tokens[base] = client.get(f"{base}/comments/state/{article_id}/").json()
        time.sleep(3.2)  # the minimum time between showing the form and posting
        statuses = []
        for i in range(7):
            base = (a, b)[i % 2]
            state = tokens[base]
            r = clients[base].post(
                f"{base}/comments/post/{article_id}/",
                data={
                    "csrfmiddlewaretoken": state["csrf"],
                    "ts": state["ts"],
                    "author_name": "قارئ",
                    "author_email": "same@example.org",
                    "body": f"تعليق رقم {i} من قارئ واحد عبر خادمين",
                },
                headers={"Accept": "application/json", "Referer": base + article},
            )
            statuses.append(r.status_code)
        assert statuses[:5] == [200] * 5, statuses
        assert statuses[5:] == [429, 429], statuses
