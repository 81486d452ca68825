"""The reader's pages in real headless Chromium (Debian's), desktop and 360 px phone."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def newsroom():
    c = f.category("محليات")
    f.article(title="عاجل: افتتاح الجسر الجديد", category=c, is_breaking=True)
    for i in range(6):
        f.article(title=f"خبر محلي رقم {i}", category=c, is_featured=i == 0)
    long = f.article(
        title="المدينة تستعد لموسم الأمطار بخطة شاملة",
        category=c,
        paragraphs=14,
        tags=[f.tag("الطقس")],
    )
    f.comment(long, author_name="أحمد", body="شكراً على التغطية\nسطر ثانٍ")
    return long


def test_home_and_article_in_chromium(live_server, page_factory, newsroom):
    page = page_factory()
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.locator(".ticker").inner_text().count("عاجل") >= 1
    screenshot(page, "home-desktop")

    page.goto(live_server.url + newsroom.get_absolute_url())
    assert page.locator("h1").inner_text() == "المدينة تستعد لموسم الأمطار بخطة شاملة"
    # The self-hosted Arabic font is really used.
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Akhbar Naskh\"', 'عربي')")
    # On desktop the whole article shows: no "show more" at all.
    more = page.locator("[data-more]")
    assert more.is_visible()
    assert not page.get_by_role("button", name="أظهر المزيد").is_visible()
    screenshot(page, "article-desktop")

    page.mouse.wheel(0, 4000)
    page.set_viewport_size({"width": 1366, "height": 900})  # the floating button needs a margin
    page.wait_for_function("() => window.scrollY > 1000")
    to_top = page.get_by_role("link", name="زر الذهاب إلى الأعلى")
    to_top.wait_for(state="visible")
    page.wait_for_timeout(250)  # fade-in transition
    to_top.click()
    page.wait_for_function("() => window.scrollY === 0", timeout=5000)
    assert page.console_errors == []


def test_mobile_layout_has_no_horizontal_scroll(live_server, page_factory, newsroom):
    page = page_factory(width=360, height=740, is_mobile=True, has_touch=True)
    for url in ["/", newsroom.get_absolute_url(), newsroom.category.get_absolute_url()]:
        page.goto(live_server.url + url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (url, overflow)
    screenshot(page, "article-mobile")
    # On a phone the rest of a long article waits behind "أظهر المزيد" (with its hamza), still
    # in the page for find-in-page and search engines (hidden="until-found", not display:none).
    page.goto(live_server.url + newsroom.get_absolute_url())
    more = page.locator("[data-more]")
    button = page.get_by_role("button", name="أظهر المزيد")
    assert button.is_visible() and not more.is_visible()
    assert more.get_attribute("hidden") == "until-found"
    hidden_text = more.locator("p").first.text_content()
    button.click()
    assert more.is_visible() and not button.is_visible()
    assert page.get_by_text(hidden_text).first.is_visible()
    page.goto(live_server.url + "/")
    screenshot(page, "home-mobile")
    assert page.console_errors == []


def test_works_without_javascript(live_server, page_factory, newsroom):
    page = page_factory(java_script_enabled=False)
    page.goto(live_server.url + newsroom.get_absolute_url())
    assert page.locator("[data-more] p").first.is_visible()  # full text readable
    assert not page.get_by_role("button", name="أظهر المزيد").is_visible()
    assert page.get_by_role("link", name="زر الذهاب إلى الأعلى").is_visible()
