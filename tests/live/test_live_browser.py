"""Live coverage in Chromium: a reader's page learns of new entries without reloading and
inserts them on request without moving what the reader is reading; embedded posts make no
third-party request until clicked; a reporter posts from a phone-sized screen."""

from __future__ import annotations

import pytest

from akhbar.live import services
from tests import factories as f
from tests.conftest import screenshot
from tests.newsroom.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def running(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AKHBAR = {**getattr(settings, "AKHBAR", {}), "LIVE_POLL_SECONDS": 1}
    editor = make_user("editor", "browser-editor")
    article = f.article(title="مباشر: متابعة في المتصفح", slug="live-browser")
    coverage = services.start_coverage(article, user=editor, summary="<ul><li>أهم ما جرى</li></ul>")
    for i in range(25):
        services.post_entry(coverage, user=editor, text=f"مدخل قديم رقم {i} " + "كلام " * 30)
    services.post_entry(
        coverage, user=editor, text="فيديو", embed_url="https://www.youtube.com/watch?v=abcDEF12345"
    )
    return coverage, editor


def test_reader_sees_new_entries_without_reloading(live_server, page_factory, running):
    coverage, editor = running
    page = page_factory(1366, 900)
    outside: list[str] = []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(live_server.url)
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page.goto(live_server.url + coverage.article.get_absolute_url())
    screenshot(page, "live-reader-1366")
    page.evaluate("window.scrollTo(0, 1400)")  # the reader is deep in the stream
    page.wait_for_timeout(100)
    anchor_id = page.locator("[data-entry]").nth(8).get_attribute("id")
    anchor = page.locator(f"#{anchor_id}")
    before = anchor.bounding_box()["y"]
    services.post_entry(coverage, user=editor, text="تطوّر جديد الآن", is_breaking=True)
    button = page.locator("[data-live-show]")
    button.wait_for(state="visible", timeout=8000)
    assert "تحديث جديد واحد" in button.inner_text()
    assert page.locator("text=تطوّر جديد الآن").count() == 0  # nothing inserted by itself
    button.click()
    page.locator("text=تطوّر جديد الآن").wait_for(state="attached")
    assert abs(anchor.bounding_box()["y"] - before) < 3  # what they read did not move
    assert outside == []  # no request to YouTube before the reader asks
    page.locator("[data-embed-load]").first.click()
    assert page.locator("iframe[src*='youtube-nocookie.com']").count() == 1
    assert page.console_errors == []


def test_reader_page_at_360(live_server, page_factory, running):
    coverage, _ = running
    page = page_factory(360, 800)
    page.goto(live_server.url + coverage.article.get_absolute_url() + "#live")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "live-reader-360")


def test_reporter_posts_from_a_phone(live_server, page_factory, running):
    coverage, _ = running
    reporter = make_user("contributor", "phone-reporter")
    page = page_factory(360, 740)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", reporter.username)
    page.fill("#id_password", "كلمة-سر-طويلة-123")
    page.click("[type=submit]")
    page.goto(live_server.url + f"/live/{coverage.pk}/post/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("#entry-text", "مراسلنا من الميدان: الطريق مفتوح الآن")
    page.click(".reporter__send")
    page.locator("[data-reporter-status]", has_text="نُشر المدخل").wait_for()
    assert page.input_value("#entry-text") == ""
    assert page.locator("[data-reporter-entries] >> text=الطريق مفتوح الآن").count() == 1
    screenshot(page, "live-reporter-360")
    assert page.console_errors == []
