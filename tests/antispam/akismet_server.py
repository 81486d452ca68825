"""A fake Akismet service on 127.0.0.1 that speaks the real REST protocol.

Used instead of mocks so the client's actual HTTP (form encoding, UTF-8,
headers, timeouts, refused connections) is exercised end to end, and so that
later browser/integration tests can point the comments app at a live server.

Usage::

    with FakeAkismetServer(valid_key="test-key") as server:
        client = AkismetClient("test-key", "https://example.com/", base_url=server.url)
        ...
        assert server.requests[-1].form["comment_content"] == "..."

Behaviour mirrors Akismet's documented responses:

* ``verify-key``: "valid" / "invalid".
* ``comment-check``: "invalid" plus ``X-akismet-debug-help`` for a bad key;
  "true" if the author or content contains ``viagra-test-123`` (Akismet's test
  trigger) or ``akismet-guaranteed-spam``; the latter also adds
  ``X-akismet-pro-tip: discard``; otherwise "false".
* ``submit-spam`` / ``submit-ham``: the "Thanks for making the web a better
  place." acknowledgement (or "invalid" for a bad key).

Switches: ``fail_status`` answers every request with that HTTP status,
``delay`` sleeps before answering (to trip client timeouts), and
``body_override`` replaces the body of every 200 response (garbage tests).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs

SPAM_TRIGGER = "viagra-test-123"
DISCARD_TRIGGER = "akismet-guaranteed-spam"
THANKS = "Thanks for making the web a better place."
INVALID_KEY_HELP = "We were unable to verify your API key."
COMMENT_ENDPOINTS = frozenset({"/1.1/comment-check", "/1.1/submit-spam", "/1.1/submit-ham"})


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it, for assertions."""

    method: str
    path: str
    headers: dict[str, str]
    raw_body: bytes
    form: dict[str, str] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    """Per-request handler; all state lives on the owning FakeAkismetServer."""

    server: _Server
    protocol_version = "HTTP/1.1"
    # Headers and body are written separately; without this, Nagle plus
    # delayed ACKs add ~40 ms to every keep-alive exchange.
    disable_nagle_algorithm = True

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        parsed = parse_qs(raw.decode("ascii"), keep_blank_values=True, encoding="utf-8")
        form = {key: values[-1] for key, values in parsed.items()}
        fake = self.server.fake
        fake._record(
            RecordedRequest(
                method="POST",
                path=self.path,
                headers={key.lower(): value for key, value in self.headers.items()},
                raw_body=raw,
                form=form,
            )
        )
        if fake.delay and fake._stopping.wait(fake.delay):
            return  # Server is shutting down; the client has long given up.
        if fake.fail_status is not None:
            self._reply(fake.fail_status, "Internal error")
            return
        status, body, headers = fake._answer(self.path, form)
        if status == HTTPStatus.OK and fake.body_override is not None:
            body = fake.body_override
        self._reply(status, body, headers)

    def do_GET(self) -> None:
        self._reply(HTTPStatus.METHOD_NOT_ALLOWED, "Use POST")

    def _reply(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
        payload = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its FakeAkismetServer and hides client hang-ups."""

    daemon_threads = True

    def __init__(self, fake: FakeAkismetServer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out closes its socket; that is expected here.
        pass


class FakeAkismetServer:
    """Threaded fake Akismet endpoint; use as a context manager."""

    def __init__(
        self,
        valid_key: str = "akhbar-test-key",
        *,
        fail_status: int | None = None,
        delay: float = 0.0,
        body_override: str | None = None,
    ) -> None:
        self.valid_key = valid_key
        self.fail_status = fail_status
        self.delay = delay
        self.body_override = body_override
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------

    def start(self) -> Self:
        """Bind to an ephemeral port on 127.0.0.1 and serve in a thread."""
        if self._server is not None:
            raise RuntimeError("FakeAkismetServer is already running.")
        self._stopping.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-akismet",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, waking any handler still sleeping in ``delay``."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeAkismetServer is not running.")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """Base URL to pass as ``AkismetClient(base_url=...)``."""
        return f"http://127.0.0.1:{self.port}"

    # -- recorded traffic -------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Snapshot of every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """Recorded requests for one endpoint path, e.g. ``/1.1/submit-spam``."""
        return [request for request in self.requests if request.path == path]

    def clear(self) -> None:
        """Forget recorded requests (between phases of one test)."""
        with self._lock:
            self._requests.clear()

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    # -- protocol ---------------------------------------------------------

    def _answer(self, path: str, form: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        """Return (status, body, headers) the real Akismet would send."""
        key_ok = form.get("api_key") == self.valid_key
        if path == "/1.1/verify-key":
            return HTTPStatus.OK, "valid" if key_ok else "invalid", {}
        if path not in COMMENT_ENDPOINTS:
            return HTTPStatus.NOT_FOUND, "Not found", {}
        if not key_ok:
            return HTTPStatus.OK, "invalid", {"X-akismet-debug-help": INVALID_KEY_HELP}
        if path != "/1.1/comment-check":
            return HTTPStatus.OK, THANKS, {}
        text = form.get("comment_author", "") + "\n" + form.get("comment_content", "")
        if DISCARD_TRIGGER in text:
            return HTTPStatus.OK, "true", {"X-akismet-pro-tip": "discard"}
        if SPAM_TRIGGER in text:
            return HTTPStatus.OK, "true", {}
        return HTTPStatus.OK, "false", {}
