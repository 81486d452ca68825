"""A real HTTP server on 127.0.0.1 playing a partner's webhook receiver: it verifies the
signature and replay window like a partner would, and fails on purpose when told to."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from akhbar.api.webhooks import verify_signature


class Peer:
    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.received: list[dict] = []
        self.rejected = 0
        self.fail_next = 0
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                ok = verify_signature(
                    peer.secret,
                    self.headers.get("X-Akhbar-Timestamp", ""),
                    body,
                    self.headers.get("X-Akhbar-Signature", ""),
                )
                if not ok:
                    peer.rejected += 1
                    self._answer(401, b"bad signature")
                elif peer.fail_next:
                    peer.fail_next -= 1
                    self._answer(503, b"try later")
                else:
                    peer.received.append(json.loads(body))
                    self._answer(200, b"ok")

            def _answer(self, code: int, text: bytes) -> None:
                self.send_response(code)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
