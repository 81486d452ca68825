"""The browsable API docs and the corrections readers see, in real Chromium (360 and 1366 px)."""

from __future__ import annotations

import pytest

from akhbar.newsroom import services as newsroom
from tests import factories as f
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_from_local_files(live_server, page_factory):
    page = page_factory(1366, 900)
    external: list[str] = []
    page.on(
        "request",
        lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() >= 10
    screenshot(page, "api-docs-1366")
    assert external == [] and page.console_errors == []


@pytest.mark.parametrize("width", [360, 1366])
def test_corrections_on_article_and_page(live_server, page_factory, width):
    a = f.article(title="انقطاع الكهرباء عن أحياء العاصمة")
    newsroom.add_article_note(a, "correction", "كان عدد الأحياء المتأثرة أربعة لا ستة.")
    newsroom.add_article_note(a, "update", "عادت الكهرباء إلى كل الأحياء مساءً.")
    page = page_factory(width, 900)
    page.goto(live_server.url + a.get_absolute_url())
    notes = page.locator(".article-notes li")
    assert notes.count() == 2 and notes.first.is_visible()
    screenshot(page, f"article-notes-{width}")
    page.goto(live_server.url + "/corrections/")
    assert page.locator(".corrections-list li").count() == 2
    screenshot(page, f"corrections-page-{width}")
    assert page.console_errors == []
