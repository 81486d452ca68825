"""The visual check: every reader page at 360 and 1366 px, screenshots in tests/artifacts/, and
a failure on horizontal overflow, interactive elements on top of each other, text sticking out
of its box, controls smaller than 24 x 24 px on a phone, or a focus ring that cannot be seen."""

from __future__ import annotations

import pytest

from tests.conftest import screenshot
from tests.site.browser_checks import (
    FOCUS_STYLE_JS,
    LAYOUT_PROBLEMS_JS,
    TARGET_SIZE_JS,
    load_everything,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _comment_errors(page, base: str, url: str) -> None:
    """Send the comment form empty: the server answers with its Arabic messages."""
    page.goto(base + url + "#respond")
    page.get_by_role("button", name="إرسال التعليق").click()
    page.wait_for_selector(".errorlist:not(:empty)")


def test_reader_pages_at_phone_and_desktop_widths(live_server, page_factory, demo_site):
    pages = {
        "home": demo_site.home,
        "section": demo_site.section,
        "article": demo_site.article,
        "gallery": demo_site.gallery,
        "opinion": demo_site.opinion,
        "search": demo_site.search,
        "comment-form": demo_site.article + "#respond",
        "comment-errors": None,
        "not-found": "/لا-توجد-صفحة-كهذه/",
    }
    problems: list[str] = []
    for width in (360, 1366):
        page = page_factory(width=width, height=800)
        for name, url in pages.items():
            if url is None:
                _comment_errors(page, live_server.url, demo_site.article)
            else:
                page.goto(live_server.url + url)
            load_everything(page)
            screenshot(page, f"reader-{name}-{width}")
            problems += [f"{name} @{width}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS_JS)]
            if width == 360:
                problems += [f"{name} @360 target: {p}" for p in page.evaluate(TARGET_SIZE_JS)]
        # The 404 page and the refused comment answer 404/400 on purpose; nothing else may fail.
        expected = "the server responded with a status of 40"
        assert [e for e in page.console_errors if expected not in e] == []
    assert problems == [], "\n".join(problems)


def test_focus_is_always_visible(live_server, page_factory, demo_site):
    for width in (360, 1366):
        page = page_factory(width=width, height=800)
        page.goto(live_server.url + demo_site.article)
        seen = 0
        for _ in range(60):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_STYLE_JS)
            if state is None:
                continue
            seen += 1
            assert state["visible"], (width, state["what"])
        assert seen > 30


def test_back_to_top_never_covers_content_or_a_form_field(live_server, page_factory, demo_site):
    covers = """() => {
      const b = document.querySelector('[data-to-top]');
      const s = getComputedStyle(b);
      if (s.visibility === 'hidden' || s.opacity === '0') return [];
      const r = b.getBoundingClientRect();
      return [...document.querySelectorAll('main *, footer *')].filter((el) => {
        if (el.contains(b) || b.contains(el) || el.closest('.to-top__bar')) return false;
        const q = el.getBoundingClientRect();
        return q.width > 0 && q.height > 0 && q.left < r.right && q.right > r.left &&
          q.top < r.bottom && q.bottom > r.top;
      }).map((el) => el.tagName + '.' + el.className);
    }"""
    for width in (360, 768, 1366, 1920):
        page = page_factory(width=width, height=800)
        page.goto(live_server.url + demo_site.article)
        height = page.evaluate("document.documentElement.scrollHeight")
        for y in range(0, height, 300):
            page.evaluate(f"window.scrollTo({{top: {y}, behavior: 'instant'}})")
            page.wait_for_timeout(20)
            assert page.evaluate(covers) == [], (width, y)
        # It is there to be used: at the end of the page on phones, floating on wide screens.
        to_top = page.get_by_role("link", name="زر الذهاب إلى الأعلى")
        to_top.wait_for(state="visible")
