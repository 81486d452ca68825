"""axe-core (npm, pinned in package.json, tests only) finds no serious or critical violation on
the reader's pages, and a reader using only the keyboard can post a comment."""

from __future__ import annotations

import pytest

from akhbar.comments.models import Comment
from tests.site.browser_checks import axe_violations, load_everything

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_axe_finds_no_serious_violation(live_server, page_factory, demo_site):
    found: list[str] = []
    for width in (360, 1366):
        page = page_factory(width=width, height=800)
        for name, url in {
            "home": demo_site.home,
            "section": demo_site.section,
            "article": demo_site.article,
            "gallery": demo_site.gallery,
            "search": demo_site.search,
            "not-found": "/لا-توجد-صفحة-كهذه/",
        }.items():
            page.goto(live_server.url + url)
            load_everything(page)
            found += [f"{name} @{width}: {v}" for v in axe_violations(page)]
        # The comment form, empty and then refused with the server's Arabic messages.
        page.goto(live_server.url + demo_site.article + "#respond")
        found += [f"comment form @{width}: {v}" for v in axe_violations(page)]
        page.get_by_role("button", name="إرسال التعليق").click()
        page.wait_for_selector(".errorlist:not(:empty)")
        found += [f"comment errors @{width}: {v}" for v in axe_violations(page)]
    assert found == [], "\n".join(found)


def test_keyboard_only_reader_posts_a_comment(live_server, page_factory, demo_site):
    page = page_factory(width=1366, height=900)
    page.goto(live_server.url + demo_site.article)
    # Tab until the comment box has focus (no mouse, no locator clicks).
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "id_body":
            break
    else:
        pytest.fail("the comment box cannot be reached with Tab")
    page.wait_for_function("() => document.querySelector('[data-ts]').value !== ''")
    page.keyboard.type("تغطية ممتازة لرحلة المترو، شكراً للفريق.", delay=20)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_author_name"
    page.keyboard.type("قارئة من المرجان")
    page.keyboard.press("Tab")
    page.keyboard.type("reader@example.org")
    for _ in range(6):  # website, "remember me", then the send button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "إرسال التعليق"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-form-status]');"
        " return s && !s.hidden && !s.textContent.includes('جارٍ الإرسال'); }",
        timeout=15000,
    )
    status = page.locator("[data-form-status]").inner_text()
    assert Comment.objects.filter(author_name="قارئة من المرجان").exists(), status
