"""Partner feeds fetched from a real HTTP server on 127.0.0.1 started by the test."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command

from akhbar.importers.feeds import fetch_all
from akhbar.importers.models import PartnerFeed, PartnerFeedItem
from akhbar.newsroom.models import Article
from tests import factories

pytestmark = pytest.mark.django_db


def rss(items: list[tuple[str, str, str]], encoding: str = "utf-8") -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Fri, 17 May 2024 09:30:00 +0000</pubDate>"
        f"<description><![CDATA[{d}]]></description></item>"
        for t, link, d in items
    )
    doc = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        f"<title>شريك</title><link>https://partner.example/</link>{body}</channel></rss>"
    )
    return doc.encode(encoding)


NORMAL = [
    ("وزير الاقتصاد يعلن خطة للنمو", "https://partner.example/a", "<p>نص الخبر الأول.</p>"),
    (
        "افتتاح معرض الكتاب",
        "https://partner.example/b",
        "<p>يفتتح المعرض أبوابه غداً.</p><script>alert(1)</script>",
    ),
]


class Handler(BaseHTTPRequestHandler):
    hits: dict[str, list[dict]] = {}
    changing_version = 1

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _send(self, body: bytes, ctype: str = "application/rss+xml", **headers: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        Handler.hits.setdefault(self.path, []).append(dict(self.headers))
        if self.path == "/normal.xml":
            self._send(rss(NORMAL))
        elif self.path == "/changing.xml":
            items = [("خبر متغير أول", "https://partner.example/c1", "<p>أول.</p>")]
            if Handler.changing_version > 1:
                items.append(("خبر متغير ثان", "https://partner.example/c2", "<p>ثان.</p>"))
            self._send(rss(items))
        elif self.path == "/etag.xml":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            self._send(
                rss([("خبر بعلامة", "https://partner.example/e", "<p>نص.</p>")]),
                ETag='"v1"',
                Last_Modified="Fri, 17 May 2024 09:30:00 GMT",
            )
        elif self.path == "/slow.xml":
            time.sleep(2)
            self._send(rss([("بطيء", "https://partner.example/s", "x")]))
        elif self.path == "/broken.xml":
            self._send(b'<?xml version="1.0"?><rss><channel><item><title>x</titl></item>')
        elif self.path == "/cp1256.xml":
            self._send(
                rss(
                    [("أمطار غزيرة في العاصمة", "https://partner.example/w", "<p>طقس.</p>")],
                    encoding="windows-1256",
                ),
                ctype="application/rss+xml",
            )
        else:
            self.send_error(404)


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # the slow source's client hangs up on purpose


@pytest.fixture
def server():
    Handler.hits = {}
    Handler.changing_version = 1
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def feeds(server, settings):
    # The partner server runs on 127.0.0.1, which the SSRF guard refuses unless allowed.
    settings.AKHBAR_ALLOW_PRIVATE_FETCH = True
    category = factories.category("شركاء")

    def make(name: str, path: str, **kwargs) -> PartnerFeed:
        return PartnerFeed.objects.create(
            name=name, url=f"{server}{path}", default_category=category, **kwargs
        )

    return {
        "normal": make("عادي", "/normal.xml", attribution="وكالة الأنباء", auto_publish=True),
        "changing": make("متغير", "/changing.xml"),
        "etag": make("304", "/etag.xml"),
        "slow": make("بطيء", "/slow.xml"),
        "broken": make("معطوب", "/broken.xml"),
        "cp1256": make("ويندوز", "/cp1256.xml"),
    }


def by_name(results):
    return {r.feed.name: r for r in results}


def test_fetch_every_kind_of_source(feeds):
    results = by_name(fetch_all(timeout=0.5))
    assert results["عادي"].created == 2
    article = Article.objects.get(source_url="https://partner.example/b")
    assert article.status == Article.Status.PUBLISHED
    assert article.source_name == "وكالة الأنباء"
    assert "<script" not in article.body and "alert" not in article.body
    assert Article.objects.get(source_url="https://partner.example/c1").status == "draft"
    assert results["بطيء"].outcome == "error" and "timed out" in results["بطيء"].error
    assert results["معطوب"].outcome == "error" and "malformed" in results["معطوب"].error
    assert Article.objects.filter(title="أمطار غزيرة في العاصمة").exists()  # windows-1256
    for key in ("slow", "broken"):
        feeds[key].refresh_from_db()
        assert feeds[key].last_error
    feeds["normal"].refresh_from_db()
    assert feeds["normal"].last_error == "" and feeds["normal"].last_created == 2


def test_second_fetch_is_conditional_and_skips_known_items(feeds, server):
    fetch_all(timeout=0.5)
    Handler.changing_version = 2
    results = by_name(fetch_all(timeout=0.5))
    assert results["304"].outcome == "not-modified"
    assert Handler.hits["/etag.xml"][-1].get("If-None-Match") == '"v1"'
    assert Handler.hits["/etag.xml"][-1].get("If-Modified-Since") == (
        "Fri, 17 May 2024 09:30:00 GMT"
    )
    assert results["متغير"].created == 1
    assert results["متغير"].skipped["already imported"] == 1
    assert results["عادي"].created == 0 and results["عادي"].skipped["already imported"] == 2
    assert Article.objects.filter(source_url="https://partner.example/c2").count() == 1
    assert PartnerFeedItem.objects.count() == Article.objects.count()


def test_article_with_same_link_is_not_imported_again(feeds):
    factories.article(source_url="https://partner.example/a")
    results = by_name(fetch_all([feeds["normal"]], timeout=0.5))
    assert results["عادي"].created == 1
    assert results["عادي"].skipped["already imported"] == 1


def test_near_duplicate_is_skipped(feeds, django_capture_on_commit_callbacks):
    pytest.importorskip("akhbar.related.services")
    from akhbar.related import services

    if not hasattr(services, "find_near_duplicates"):
        pytest.skip("related app has no find_near_duplicates yet")
    text = " ".join(["يفتتح معرض الكتاب الدولي أبوابه غداً بمشاركة مئات دور النشر"] * 6)
    NORMAL.append(("معرض الكتاب يفتتح غداً", "https://partner.example/dup", f"<p>{text}</p>"))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            factories.article(title="معرض الكتاب يفتتح غداً", body=f"<p>{text}</p>")
        results = by_name(fetch_all([feeds["normal"]], timeout=0.5))
    finally:
        NORMAL.pop()
    assert results["عادي"].skipped["near-duplicate of an existing article"] == 1
    assert results["عادي"].created == 2


def test_command_runs_all_sources_and_reports(feeds):
    out = StringIO()
    call_command("fetch_feeds", "--timeout", "0.5", stdout=out)
    text = out.getvalue()
    assert "timed out" in text and "malformed" in text
    assert Article.objects.count() == 5


def test_command_shows_progress_off_a_terminal_and_ends_with_one_summary_line(feeds):
    chosen = [str(feeds[name].pk) for name in ("normal", "etag", "broken")]
    args = [arg for pk in chosen for arg in ("--feed", pk)]
    out, err = StringIO(), StringIO()
    call_command("fetch_feeds", *args, "--timeout", "0.5", stdout=out, stderr=err)
    assert err.getvalue().splitlines() == [
        "Fetching partner feeds: 1/3 (33%)",
        "Fetching partner feeds: 2/3 (66%)",
        "Fetching partner feeds: 3/3 (100%)",
    ]
    last = out.getvalue().splitlines()[-1]
    assert last.startswith("Fetched 3 partner feeds in ")
    assert last.endswith(": 3 new articles, 0 unchanged, 1 failed.")
    assert "Partner feeds" in out.getvalue()  # the table, before the summary

    # The second time the ETag source answers 304; --no-progress leaves stderr empty.
    out, err = StringIO(), StringIO()
    call_command("fetch_feeds", *args, "--no-progress", stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert out.getvalue().splitlines()[-1].endswith(": 0 new articles, 1 unchanged, 1 failed.")


def test_feeds_on_private_addresses_are_refused_by_default(feeds, settings):
    settings.AKHBAR_ALLOW_PRIVATE_FETCH = False
    results = by_name(fetch_all([feeds["normal"]], timeout=0.5))
    assert results["عادي"].outcome == "error"
    assert "not a public address" in results["عادي"].error
    feeds["normal"].refresh_from_db()
    assert "refused" in feeds["normal"].last_error
    assert Handler.hits == {}  # the partner server was never contacted
    assert Article.objects.count() == 0
