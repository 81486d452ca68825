"""Polled sources and photos against a real HTTP server on 127.0.0.1 (conditional GET)."""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from akhbar.newsroom.models import Article
from akhbar.wire import ingest
from akhbar.wire.models import WireLog, WireSource
from tests import factories as f

pytestmark = pytest.mark.django_db


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 500), (30, 90, 160)).save(out, "JPEG")
    return out.getvalue()


class Agency:
    def __init__(self, doc: dict) -> None:
        self.doc = json.dumps(doc, ensure_ascii=False).encode()
        self.photo = _jpeg()
        self.hits: list[tuple[str, str]] = []
        agency = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                agency.hits.append((self.path, self.headers.get("If-None-Match", "")))
                if self.path == "/photo.jpg":
                    return self._send(200, agency.photo, "image/jpeg")
                if self.headers.get("If-None-Match") == '"v1"':
                    return self._send(304, b"", "application/json")
                return self._send(200, agency.doc, "application/json")

            def _send(self, code: int, body: bytes, ctype: str) -> None:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("ETag", '"v1"')
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def agency(settings, tmp_path):
    settings.AKHBAR_ALLOW_PRIVATE_FETCH = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    doc = {
        "uri": "urn:ninjs:agency.example:photo-1",
        "type": "text",
        "version": "1",
        "language": "ar",
        "headlines": [{"role": "main", "value": "موسم قطف الزيتون يبدأ في القرى الجبلية"}],
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": "<p>بدأ المزارعون قطف الزيتون.</p>",
            }
        ],
        "associations": [
            {
                "name": "featureimage",
                "type": "picture",
                "uri": "urn:photo:1",
                "by": "مصوّر الوكالة",
                "copyrightNotice": "© الوكالة 2026، للاستخدام التحريري فقط",
                "descriptions": [{"role": "caption", "value": "مزارعة تقطف الزيتون"}],
                "renditions": [{"name": "original", "href": "PHOTO", "contentType": "image/jpeg"}],
            }
        ],
    }
    a = Agency(doc)
    a.doc = a.doc.replace(b"PHOTO", f"{a.base}/photo.jpg".encode())
    yield a
    a.close()


def test_polled_source_with_photo_and_conditional_get(agency):
    source = WireSource.objects.create(
        name="وكالة مجلوبة",
        kind="poll",
        url=f"{agency.base}/feed.json",
        credit="الوكالة",
        default_category=f.category(),
    )
    r = ingest.poll(source)
    assert r.created == 1, (r.errors, r.fatal)
    a = Article.objects.get()
    assert a.featured_image and a.image_caption == "مزارعة تقطف الزيتون"
    assert "مصوّر الوكالة" in a.image_credit and "للاستخدام التحريري فقط" in a.image_credit
    assert a.image_renditions.get("webp")  # renditions made like any upload
    source.refresh_from_db()
    assert source.etag == '"v1"'
    assert ingest.poll(source).created == 0
    assert agency.hits[-1] == ("/feed.json", '"v1"')  # asked with If-None-Match, got 304


def test_polled_private_address_refused_without_setting(settings):
    settings.AKHBAR_ALLOW_PRIVATE_FETCH = False
    source = WireSource.objects.create(
        name="x",
        kind="poll",
        url="http://127.0.0.1:9/feed",
        credit="x",
        default_category=f.category(),
    )
    r = ingest.poll(source)
    assert "not a public address" in r.fatal
    assert WireLog.objects.get(source=source).level == "error"
