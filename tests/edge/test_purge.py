"""Surrogate keys on pages, the keys each event purges, and the purge job against a real HTTP
server standing in for Varnish's PURGE endpoint (tests/deploy/test_varnish.py runs Varnish)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from akhbar.core import events, surrogate
from akhbar.edge import keys, services
from akhbar.edge.tasks import PurgeFailed, purge_keys
from tests import factories as f
from tests.deploy.servers import free_port

pytestmark = pytest.mark.django_db


def _keys(response) -> set[str]:
    return set(response["Surrogate-Key"].split())


def test_pages_carry_a_key_for_every_article_they_show(client):
    section, other = f.category("سياسة"), f.category("رياضة")
    t = f.tag("انتخابات")
    writer = f.author("كاتبة")
    shown = f.article(category=section, tags=[t], author=writer)
    elsewhere = f.article(category=other)

    home = _keys(client.get("/"))
    assert {"akhbar", "home", f"a{shown.pk}", f"a{elsewhere.pk}"} <= home

    page = _keys(client.get(shown.get_absolute_url()))
    assert {f"p{shown.pk}", f"a{shown.pk}", f"tn{t.pk}"} <= page
    assert f"p{elsewhere.pk}" not in page

    listing = _keys(client.get(section.get_absolute_url()))
    assert {f"s{section.pk}", f"a{shown.pk}"} <= listing
    assert f"a{elsewhere.pk}" not in listing
    assert f"t{t.pk}" in _keys(client.get(t.get_absolute_url()))
    assert f"u{writer.pk}" in _keys(client.get(writer.get_absolute_url()))

    feed = _keys(client.get("/feed/"))
    assert {"feed", f"a{shown.pk}"} <= feed
    section_feed = client.get(f"{section.get_absolute_url()}feed/")
    assert f"fs{section.pk}" in _keys(section_feed)
    assert "sitemap" in _keys(client.get("/sitemap.xml"))
    # Served again from the page cache, the page keeps its keys.
    again = client.get(section.get_absolute_url())
    assert again["X-Cache"] == "HIT" and f"a{shown.pk}" in _keys(again)


def test_a_parent_section_page_carries_its_subsections_keys(client):
    parent = f.category("اقتصاد")
    child = f.category("أسواق", parent=parent)
    item = f.article(category=child)
    got = _keys(client.get(parent.get_absolute_url()))
    assert {f"s{parent.pk}", f"s{child.pk}", f"a{item.pk}"} <= got


def test_event_keys_are_exact():
    ids = {"article_id": 7, "category_ids": (3,), "tag_ids": (5, 6), "author_ids": (2,)}
    published = keys.for_event(events.ArticlePublished(**ids))
    assert {"a7", "p7", "home", "s3", "t5", "t6", "u2", "feed", "fs3", "sitemap"} <= published
    headline = keys.for_event(events.ArticleUpdated(**ids, fields=frozenset({"title"})))
    assert {"a7", "p7"} <= headline
    assert not {"home", "s3", "t5", "u2", "sitemap", "akhbar"} & headline
    moved = keys.for_event(events.ArticleUpdated(**ids, fields=frozenset({"category"})))
    assert {"home", "s3"} <= moved
    assert keys.for_event(events.CommentApproved(comment_id=1, article_id=7)) == {"p7"}
    assert keys.for_event(events.CommentRemoved(comment_id=1, article_id=7)) == {"p7"}
    assert keys.for_event(events.SiteSettingsChanged()) == {"akhbar"}
    assert keys.for_event(events.TaxonomyRenamed(kind="tag", object_id=5)) == {"t5", "ft5", "tn5"}
    assert keys.for_event(events.TaxonomyRenamed(kind="category", object_id=3)) == {"akhbar"}
    assert keys.for_event(events.TaxonomyChanged(kind="category", object_id=3)) == {"s3", "fs3"}
    assert keys.for_event(events.PeopleChanged(author_id=2)) == {"u2", "fu2", "un2"}
    assert keys.for_event(events.ArticleSaved(article_id=7)) == set()
    live = events.LiveCoverageChanged(article_id=7, coverage_id=4, entry_id=9, version=3)
    assert keys.for_event(live) == {"p7", "live4"}


def test_header_value_is_bounded():
    many = {surrogate.article(i) for i in range(5000)} | {"home"}
    value = surrogate.header_value(many)
    assert value.split()[0] == "akhbar" and "home" in value and len(value) < 8000


class _FakeVarnish(BaseHTTPRequestHandler):
    """A real HTTP server answering PURGE like the VCL does (X-Purged), recording keys."""

    received: list[str] = []
    status = 200

    def do_PURGE(self) -> None:
        type(self).received.append(self.headers.get("xkey", ""))
        self.send_response(type(self).status)
        self.send_header("X-Purged", "2")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def purge_server() -> Iterator[str]:
    _FakeVarnish.received = []
    _FakeVarnish.status = 200
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _FakeVarnish)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_publishing_enqueues_a_purge_of_the_right_keys(
    settings, purge_server, django_capture_on_commit_callbacks
):
    settings.AKHBAR = {**settings.AKHBAR, "VARNISH_URLS": [purge_server]}
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(events.ArticlePublished(article_id=9, category_ids=(4,)))
    assert len(_FakeVarnish.received) == 1
    sent = set(_FakeVarnish.received[0].split())
    assert {"a9", "p9", "home", "s4", "feed"} <= sent


def test_purge_job_reports_each_varnish_and_fails_visibly_when_unreachable(
    settings, purge_server, caplog
):
    dead = f"http://127.0.0.1:{free_port()}"
    settings.AKHBAR = {**settings.AKHBAR, "VARNISH_TIMEOUT": 0.5}
    outcome = services.purge(["a1", "home"], [purge_server, dead])
    assert outcome.purged == {purge_server: 2} and dead in outcome.failed
    # The immediate (test) backend cannot defer a retry: the job fails, logged, and the
    # event's delivery (hence the publication) is unaffected.
    result = purge_keys.enqueue(["a1"], [dead])
    assert result.status == "FAILED"
    assert result.errors[0].exception_class is PurgeFailed
    assert "edge purge gave up" in caplog.text


def test_purges_are_chunked_and_a_refusal_is_a_failure(settings, purge_server):
    many = [f"a{i}" for i in range(250)]
    outcome = services.purge(many, [purge_server])
    assert len(_FakeVarnish.received) == 3 and outcome.purged[purge_server] == 6
    _FakeVarnish.status = 403
    refused = services.purge(["a1"], [purge_server])
    assert purge_server in refused.failed and "403" in refused.failed[purge_server]


def test_backoff_grows_and_is_capped(settings):
    settings.AKHBAR = {**settings.AKHBAR, "VARNISH_RETRY_BASE_SECONDS": 2.0}
    assert [services.backoff_seconds(n) for n in (1, 2, 3)] == [2.0, 4.0, 8.0]
    assert services.backoff_seconds(20) == 300.0
