"""Start real Akhbar app servers (gunicorn) and nginx on loopback for deployment tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    # A server's environment, not the test runner's (no pytest markers, no async override).
    dropped = ("PYTEST_VERSION", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "akhbar.settings",
            "AKHBAR_DATA_DIR": str(data_dir),
            "AKHBAR_SECRET_KEY": "deploy-test-" + "x" * 50,
            "AKHBAR_ALLOWED_HOSTS": "127.0.0.1,localhost,news.example.org",
            "AKHBAR_MANIFEST_STATIC": "1",
            "AKHBAR_CACHE": "file",
            "AKHBAR_LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def wait_for(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=2.0)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s")


@contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int = 2) -> Iterator[str]:
    log = open(Path(env["AKHBAR_DATA_DIR"]) / f"gunicorn-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            *(str(BIN / "gunicorn"), "akhbar.wsgi", "--bind", f"127.0.0.1:{port}"),
            *("--workers", str(workers), "--timeout", "30"),
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/robots.txt")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def nginx_binary() -> str | None:
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )


@contextmanager
def nginx(site_conf: str, workdir: Path) -> Iterator[None]:
    """Run nginx in the foreground with the given site config wrapped in a minimal main config."""
    binary = nginx_binary()
    assert binary, "nginx is not installed (make test installs Debian's nginx)"
    (workdir / "logs").mkdir(exist_ok=True)
    conf = workdir / "nginx.conf"
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(
        f"""{user}
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {workdir}/logs/access.log;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
{site_conf}
}}
"""
    )
    proc = subprocess.Popen(
        [binary, "-p", str(workdir), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        time.sleep(0.5)
        if proc.poll() is not None:
            raise AssertionError(f"nginx failed to start: {proc.stderr.read().decode()}")
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def varnishd_binary() -> str | None:
    return shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
    )


def varnish_vcl(backends: list[int], *, purgers: tuple[str, ...] = ("127.0.0.1",)) -> str:
    """deploy/varnish/akhbar.vcl with its two example backends and ACL set for a test."""
    vcl = (REPO / "deploy" / "varnish" / "akhbar.vcl").read_text()
    for example, port in zip(("8001", "8002"), backends, strict=True):
        vcl = vcl.replace(f'.port = "{example}";', f'.port = "{port}";')
    acl = "".join(f'    "{address}";\n' for address in purgers)
    return vcl.replace('    "127.0.0.1";\n    "::1";\n', acl)


@contextmanager
def varnish(vcl: str, port: int, workdir: Path) -> Iterator[str]:
    """Debian's varnishd in the foreground on 127.0.0.1:``port`` with its own ``-n`` work
    directory (no clash with a system Varnish or another test), stopped on exit."""
    binary = varnishd_binary()
    assert binary, "varnishd is not installed (make test installs Debian's varnish)"
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "akhbar.vcl").write_text(vcl)
    log = open(workdir / f"varnishd-{port}.log", "w")  # noqa: SIM115
    jail = ["-j", "none"] if os.geteuid() == 0 else []
    proc = subprocess.Popen(
        [
            *(binary, "-F", "-n", str(workdir / "n"), *jail),
            *("-a", f"127.0.0.1:{port}", "-T", "127.0.0.1:0", "-s", "malloc,64m"),
            *("-f", str(workdir / "akhbar.vcl")),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/robots.txt", timeout=30)
        if proc.poll() is not None:
            raise AssertionError(
                f"varnishd exited: {(workdir / f'varnishd-{port}.log').read_text()}"
            )
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@contextmanager
def db_worker(env: dict[str, str]) -> Iterator[Path]:
    """The database-backed job worker (django-tasks-db), polling every 0.1 s; yields its log."""
    path = Path(env["AKHBAR_DATA_DIR"]) / "db_worker.log"
    log = open(path, "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            *(str(BIN / "python"), "manage.py", "db_worker"),
            *("--interval", "0.1", "--no-startup-delay", "--no-reload"),
        ],
        cwd=REPO,
        env={**env, "AKHBAR_LOG_LEVEL": "INFO"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
