"""A web push service for the tests (RFC 8030) on 127.0.0.1: it checks each request's VAPID
JWT (RFC 8292) against the key in the header and decrypts the aes128gcm payload (RFC 8291)
with the browser key pair the test created — what a real browser vendor's service and the
browser do between them."""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

from tests.deploy.servers import free_port


def b64d(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class Browser:
    """The browser side of one subscription: its ECDH key pair and auth secret."""

    private: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: __import__("os").urandom(16))

    def keys(self) -> dict[str, str]:
        public = self.private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"p256dh": b64e(public), "auth": b64e(self.auth)}


@dataclass
class Delivered:
    path: str
    payload: dict
    ttl: str
    urgency: str
    vapid_key: str
    claims: dict


class PushService:
    def __init__(self) -> None:
        self.port = free_port()
        self.browsers: dict[str, Browser] = {}
        self.delivered: list[Delivered] = []
        self.rejected: list[str] = []
        self.lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = service.handle(self.path, dict(self.headers.items()), body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def new_subscription(self, name: str) -> dict:
        browser = Browser()
        self.browsers[f"/push/{name}"] = browser
        return {"endpoint": f"{self.origin}/push/{name}", "keys": browser.keys()}

    def start(self) -> PushService:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _reject(self, why: str) -> int:
        with self.lock:
            self.rejected.append(why)
        return 401

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> int:
        h = {k.lower(): v for k, v in headers.items()}
        if "/gone" in path:
            return 410
        if path not in self.browsers:
            return 404
        auth = h.get("authorization", "")
        if not auth.startswith("vapid "):
            return self._reject("no vapid authorization")
        params = dict(p.strip().split("=", 1) for p in auth[6:].split(","))
        token, key = params.get("t", ""), params.get("k", "")
        try:
            head, claims_raw, signature = token.split(".")
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64d(key))
            raw = b64d(signature)
            der = utils.encode_dss_signature(
                int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
            )
            public.verify(der, f"{head}.{claims_raw}".encode(), ec.ECDSA(hashes.SHA256()))
            claims = json.loads(b64d(claims_raw))
            header = json.loads(b64d(head))
        except Exception as exc:
            return self._reject(f"bad JWT: {exc!r}")
        if header.get("alg") != "ES256":
            return self._reject("alg")
        if claims.get("aud") != self.origin:
            return self._reject(f"aud {claims.get('aud')}")
        if not (time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600):
            return self._reject("exp")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            return self._reject("sub")
        if h.get("content-encoding") != "aes128gcm":
            return self._reject("encoding")
        browser = self.browsers[path]
        try:
            plain = http_ece.decrypt(
                body, private_key=browser.private, auth_secret=browser.auth, version="aes128gcm"
            )
        except Exception as exc:
            return self._reject(f"decrypt: {exc!r}")
        with self.lock:
            self.delivered.append(
                Delivered(
                    path, json.loads(plain), h.get("ttl", ""), h.get("urgency", ""), key, claims
                )
            )
        return 201
