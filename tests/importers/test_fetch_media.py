"""`--fetch-media` goes through the SSRF guard: a local server is refused by default and
reached only when AKHBAR_ALLOW_PRIVATE_FETCH is on."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from akhbar.importers.models import ImportedItem
from akhbar.importers.wordpress import import_wordpress
from tests.importers.conftest import ARABIC

pytestmark = pytest.mark.django_db

OLD = "https://akhbar-old.example.org/wp-content/uploads/2024/05/library.jpg"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


class Handler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        Handler.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(JPEG)))
        self.end_headers()
        self.wfile.write(JPEG)


@pytest.fixture
def export(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    Handler.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/uploads/library.jpg"
    path = tmp_path / "export.xml"
    path.write_text(ARABIC.read_text().replace(OLD, url))
    yield path
    httpd.shutdown()
    httpd.server_close()


def attachment() -> dict:
    return ImportedItem.objects.get(kind="attachment").data


def test_media_on_a_private_address_is_refused_by_default(export, settings):
    settings.AKHBAR_ALLOW_PRIVATE_FETCH = False
    report = import_wordpress(export, fetch_media=True)
    assert not attachment().get("local")
    assert Handler.hits == []
    assert any("not a public address" in w for w in report.warnings)


def test_media_is_fetched_when_private_fetches_are_allowed(export, settings):
    settings.AKHBAR_ALLOW_PRIVATE_FETCH = True
    import_wordpress(export, fetch_media=True)
    local = attachment()["local"]
    assert local.startswith("wordpress/") and Handler.hits == ["/uploads/library.jpg"]
    assert (settings.MEDIA_ROOT / local).read_bytes() == JPEG
