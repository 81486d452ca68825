"""Security headers on public, cached, admin and error pages; strict CSP; report-only mode."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories as f
from tests.newsroom.conftest import make_user

pytestmark = pytest.mark.django_db


def assert_secure(response) -> None:
    csp = response["Content-Security-Policy"]
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in csp.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self'")
    assert directives["style-src"].startswith("'self'")
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_public_page_and_its_cached_copy():
    article = f.article()
    c = Client()
    first = c.get(article.get_absolute_url())
    second = c.get(article.get_absolute_url())
    assert first.status_code == second.status_code == 200
    assert second.get("X-Cache", "").upper().startswith("HIT") or "Age" in second
    assert_secure(first)
    assert_secure(second)


@pytest.mark.parametrize("path", ["/", "/feed/", "/sitemap.xml", "/search/?q=خبر", "/robots.txt"])
def test_other_public_responses(path):
    f.article()
    for _ in range(2):  # fresh, then from the page cache
        r = Client().get(path)
        assert r.status_code == 200
        assert_secure(r)


def test_admin_pages():
    editor = make_user("editor", "hdr-editor")
    c = Client()
    assert_secure(c.get("/admin/login/"))
    c.force_login(editor)
    for path in ["/admin/", "/admin/newsroom/article/", "/admin/newsroom/article/add/"]:
        r = c.get(path)
        assert r.status_code == 200, path
        assert_secure(r)


def test_error_pages(settings):
    settings.ROOT_URLCONF = "tests.security.boom_urls"
    c = Client(raise_request_exception=False)
    assert_secure(c.get("/no-such-page/"))
    r = c.get("/", HTTP_HOST="evil.example")
    assert r.status_code == 400
    assert_secure(r)
    r = c.get("/boom/")
    assert r.status_code == 500
    assert_secure(r)


def test_report_only_mode(settings):
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = policy
    r = Client().get("/")
    assert "Content-Security-Policy" not in r
    assert "frame-ancestors 'none'" in r["Content-Security-Policy-Report-Only"]


def test_violation_reports_are_logged(caplog):
    r = Client().post(
        "/csp-report/",
        b'{"csp-report": {"violated-directive": "script-src"}}',
        content_type="application/csp-report",
    )
    assert r.status_code == 204
    assert "script-src" in caplog.text
