"""Tag suggestions in the real admin article form: click a suggestion, the tag is added."""

from __future__ import annotations

import pytest

from akhbar.newsroom.models import Tag
from tests import factories as f
from tests.conftest import screenshot
from tests.newsroom.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "كلمة-سر-طويلة-123"


def test_clicking_suggestions_adds_existing_and_new_tags(live_server, page_factory):
    make_user("editor", name="editor1")
    existing = f.tag("الانتخابات")
    page = page_factory()
    page.goto(live_server.url + "/admin/login/?next=/admin/newsroom/article/add/")
    page.fill("#id_username", "editor1")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    page.wait_for_selector("[data-editor] [contenteditable]:not([hidden])")
    page.fill("#id_title", "الانتخابات المحلية في الموصل تنطلق الأسبوع المقبل")
    page.locator(".akhbar-editor__area").click()
    page.keyboard.type("تستعد محافظة نينوى وعاصمتها الموصل لإجراء الانتخابات المحلية.")
    page.get_by_role("button", name="اقترح وسوماً").click()
    page.locator(".related-suggestion").first.wait_for()
    screenshot(page, "admin-tag-suggestions")

    page.locator(".related-suggestion", has_text="الانتخابات").first.click()
    page.locator(".related-suggestion", has_text="الموصل").first.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#id_tags option:checked')].length === 2"
    )
    selected = page.eval_on_selector_all(
        "#id_tags option:checked", "els => els.map(e => [e.value, e.textContent])"
    )
    created = Tag.objects.get(name="الموصل")
    assert sorted(selected) == sorted(
        [[str(existing.pk), "الانتخابات"], [str(created.pk), "الموصل"]]
    )
    assert page.console_errors == []
