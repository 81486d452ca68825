"""The SSRF guard against a real HTTP server on 127.0.0.1, with the private-fetch setting off
(refused) and on (allowed), plus redirect, size and time caps."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from akhbar.core import http


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/ok":
            self._send(200, "مرحبا".encode(), Content_Type="text/plain; charset=utf-8")
        elif path == "/host":
            self._send(200, self.headers["Host"].encode())
        elif path.startswith("/loop"):
            n = int(path.removeprefix("/loop") or 0)
            self._send(302, Location=f"/loop{n + 1}")
        elif path == "/to-metadata":
            self._send(302, Location="http://169.254.169.254/latest/meta-data/")
        elif path == "/to-ok":
            self._send(301, Location="/ok")
        elif path == "/big":
            self._send(200, b"x" * 200_000)
        elif path == "/big-chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"1000\r\n" + b"y" * 4096 + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"z")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        else:
            self._send(404)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self._send(200, self.rfile.read(length)[::-1])


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def allow(settings):
    settings.AKHBAR_ALLOW_PRIVATE_FETCH = True


@pytest.mark.parametrize(
    "template",
    [
        "http://127.0.0.1:{port}/ok",
        "http://localhost:{port}/ok",  # a name, refused after resolution
        "http://2130706433:{port}/ok",  # 127.0.0.1 written as one number
        "http://[::ffff:127.0.0.1]:{port}/ok",
        "http://[::1]:{port}/ok",
        "http://0.0.0.0:{port}/ok",
        "http://10.0.0.1:{port}/ok",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_private_addresses_are_refused_by_default(server, settings, template):
    settings.AKHBAR_ALLOW_PRIVATE_FETCH = False
    with pytest.raises(http.BlockedURL):
        http.fetch(template.format(port=server), timeout=2)


def test_the_guarded_client_refuses_too(server, settings):
    settings.AKHBAR_ALLOW_PRIVATE_FETCH = False
    with http.guarded_client() as client, pytest.raises(http.BlockedURL):
        client.get(f"http://127.0.0.1:{server}/ok")


def test_other_schemes_are_refused():
    with pytest.raises(httpx.HTTPError):
        http.fetch("file:///etc/passwd")
    with http.guarded_client() as client, pytest.raises(http.BlockedURL):
        client.send(httpx.Request("GET", "ftp://127.0.0.1/x"))


def test_allowed_with_the_setting(server, allow):
    result = http.fetch(f"http://127.0.0.1:{server}/ok")
    assert result.ok and result.text == "مرحبا"
    assert result.url.endswith("/ok")


def test_host_header_is_kept_while_connecting_to_the_vetted_address(server, allow):
    result = http.fetch(f"http://localhost:{server}/host")
    assert result.content == f"localhost:{server}".encode()


def test_post_with_a_body(server, allow):
    result = http.fetch(f"http://127.0.0.1:{server}/echo", method="POST", content=b"abc")
    assert result.content == b"cba"


def test_redirects_are_followed_and_capped(server, allow):
    assert http.fetch(f"http://127.0.0.1:{server}/to-ok").url.endswith("/ok")
    with pytest.raises(httpx.TooManyRedirects):
        http.fetch(f"http://127.0.0.1:{server}/loop", max_redirects=3)


def test_every_redirect_hop_is_checked(server, allow):
    # Even with private fetches allowed, the metadata address is never reached.
    with pytest.raises(http.BlockedURL):
        http.fetch(f"http://127.0.0.1:{server}/to-metadata")


def test_body_size_is_capped(server, allow):
    with pytest.raises(http.ResponseTooLarge):
        http.fetch(f"http://127.0.0.1:{server}/big", max_bytes=100_000)
    with pytest.raises(http.ResponseTooLarge):
        http.fetch(f"http://127.0.0.1:{server}/big-chunked", max_bytes=100_000)
    assert len(http.fetch(f"http://127.0.0.1:{server}/big", max_bytes=300_000).content) == 200_000


def test_total_time_is_capped_even_when_bytes_keep_dripping(server, allow):
    started = time.monotonic()
    with pytest.raises(httpx.TimeoutException):
        http.fetch(f"http://127.0.0.1:{server}/drip", timeout=1.0)
    assert time.monotonic() - started < 3


def test_mixed_public_and_private_answers_are_refused(monkeypatch):
    def fake_getaddrinfo(host, port, *args, **kwargs):
        return [
            (2, 1, 6, "", ("93.184.216.34", port)),
            (2, 1, 6, "", ("127.0.0.1", port)),
        ]

    # The resolver is the operating system's; this stands in for a hostile DNS answer.
    monkeypatch.setattr(http.socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(http.BlockedURL):
        http.vet_host("rebind.example", 80, allow_private=False)


def test_public_answer_is_accepted(monkeypatch):
    monkeypatch.setattr(
        http.socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [(2, 1, 6, "", ("93.184.216.34", port))],
    )
    assert [str(ip) for ip in http.vet_host("news.example", 443)] == ["93.184.216.34"]
