"""The strict CSP in real Chromium: no violation on public pages, error pages and the admin
(login, dashboard, article editor with autocomplete and rich text, user admin, moderation)."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.newsroom.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile
    + ':' + e.lineNumber);
});
"""


def visit(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(150)  # late violations (scripts run after load)
    return page.evaluate("window.__csp")


def test_public_and_error_pages_have_no_csp_violation(live_server, page_factory):
    article = f.article(tags=[f.tag("طقس")], paragraphs=8)
    f.comment(article)
    page = page_factory()
    page.add_init_script(WATCH)
    for path in [
        "/",
        article.get_absolute_url(),
        article.get_absolute_url(),  # from the page cache
        article.category.get_absolute_url(),
        "/search/?q=خبر",
        "/no-such-page/",
    ]:
        assert visit(page, live_server.url + path) == [], path
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_admin_has_no_csp_violation(live_server, page_factory):
    make_user("administrator", name="csp-admin")
    writer = make_user("contributor", name="csp-writer")
    article = f.article(created_by=writer)
    f.comment(article, status="pending")
    page = page_factory()
    page.add_init_script(WATCH)
    assert visit(page, live_server.url + "/admin/login/") == []
    page.fill("#id_username", "csp-admin")
    page.fill("#id_password", "كلمة-سر-طويلة-123")
    with page.expect_navigation():
        page.click("input[type=submit]")
    for path in [
        "/admin/",
        "/admin/newsroom/article/",
        "/admin/newsroom/article/add/",
        f"/admin/newsroom/article/{article.pk}/change/",
        f"/admin/newsroom/article/{article.pk}/revisions/",
        f"/admin/newsroom/article/{article.pk}/preview-link/",
        "/admin/comments/comment/",
        "/admin/auth/user/",
        f"/admin/auth/user/{writer.pk}/change/",
        "/admin/password_change/",
    ]:
        assert visit(page, live_server.url + path) == [], path
    # The editor and the autocomplete widgets really run under the policy.
    page.goto(live_server.url + "/admin/newsroom/article/add/")
    page.wait_for_selector("[data-editor] [contenteditable]:not([hidden])")
    page.locator(".akhbar-editor__area").click()
    page.keyboard.type("نص تجريبي")
    page.locator(".select2-selection").first.click()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__csp") == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
