"""The search box's suggestions in Chromium: ARIA combobox, keyboard, no-JS fallback."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site():
    section = factories.category(name="الطاقة")
    factories.tag(name="الطاقة الشمسية")
    articles = [
        factories.article(title="محطة للطاقة الشمسية قرب بلدة الرمال", category=section),
        factories.article(title="أسعار الطاقة ترتفع للشهر الثالث", category=section),
    ]
    return {"section": section, "articles": articles}


@pytest.mark.parametrize("width", [360, 1366])
def test_suggestions_combobox_with_keyboard(live_server, page_factory, site, width):
    page = page_factory(width=width, height=800)
    page.goto(live_server.url + "/")
    box = page.locator("#site-search-q")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    box.click()
    box.type("الطا", delay=30)
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    # Wait for the list of the whole prefix (a slow machine may show a shorter one first).
    page.wait_for_function(
        "id => document.querySelectorAll('#' + id + ' [role=option]').length >= 3",
        arg=box.get_attribute("aria-controls"),
    )
    assert box.get_attribute("aria-expanded") == "true"
    options = listbox.locator("[role=option]")
    assert 3 <= options.count() <= 8
    assert "الطاقة" in options.first.inner_text()
    box.press("ArrowDown")
    first = options.nth(0)
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    box.press("ArrowUp")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    screenshot(page, f"search-suggest-{width}")
    box.press("Escape")
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"
    assert box.input_value() == "الطا"  # Escape closed the list, kept the text

    # Enter on an active option opens it.
    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("ArrowDown")
    target = options.nth(2).inner_text()
    with page.expect_navigation():
        box.press("Enter")
    assert any(a.title in target for a in site["articles"]) or "/tag/" in page.url
    assert page.console_errors == []


def test_enter_without_an_active_option_submits_the_search(live_server, page_factory, site):
    page = page_factory(width=1366)
    page.goto(live_server.url + "/")
    page.locator("#site-search-q").type("الطاقة الشمسية", delay=20)
    with page.expect_navigation():
        page.locator("#site-search-q").press("Enter")
    assert "/search/?q=" in page.url
    assert site["articles"][0].get_absolute_url() in page.content()
    screenshot(page, "search-results-1366")


def test_plain_form_works_without_javascript(live_server, page_factory, site):
    page = page_factory(width=360, java_script_enabled=False)
    page.goto(live_server.url + "/")
    box = page.locator("#site-search-q")
    assert box.get_attribute("role") is None  # no half-working widget
    box.fill("أسعار الطاقة")
    with page.expect_navigation():
        box.press("Enter")
    assert site["articles"][1].get_absolute_url() in page.content()
    screenshot(page, "search-results-nojs-360")


def test_results_page_box_also_suggests(live_server, page_factory, site):
    page = page_factory(width=360, height=800)
    page.goto(live_server.url + "/search/?q=" + "محطه شمسيه")
    assert "نتائج تطابق" in page.content()
    box = page.locator("#search-q")
    box.fill("")
    box.type("محط", delay=30)
    page.locator("#" + box.get_attribute("aria-controls") + " [role=option]").first.wait_for()
    screenshot(page, "search-results-suggest-360")
    assert page.console_errors == []
