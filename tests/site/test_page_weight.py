"""Page weight of a real article page in Chromium: what a reader on a phone downloads."""

from __future__ import annotations

import gzip
from urllib.parse import urlparse

import pytest

from akhbar.demo.newsroom import load_demo
from akhbar.newsroom.models import Article
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET = 60 * 1024  # HTML + CSS + JS, gzip-compressed


def test_article_page_weight_and_no_third_party_requests(live_server, page_factory):
    load_demo()
    article = max(Article.objects.published(), key=lambda a: len(a.body))
    page = page_factory(width=360, height=740, is_mobile=True)
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(live_server.url + article.get_absolute_url(), wait_until="networkidle")
    host = urlparse(live_server.url).netloc
    rows = []
    total = 0
    for response in responses:
        url = urlparse(response.url)
        assert url.netloc == host, f"third-party request: {response.url}"
        kind = response.request.resource_type
        body = response.body() if response.status == 200 else b""
        compressed = len(gzip.compress(body, 6))
        rows.append((kind, url.path, len(body), compressed))
        if kind in ("document", "stylesheet", "script"):
            total += compressed
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    report = "\n".join(f"{k:11} {c:>8} B gz {n:>8} B  {p}" for k, p, n, c in rows)
    (ARTIFACTS / "page-weight.txt").write_text(f"{report}\nHTML+CSS+JS gz: {total} B\n")
    print(f"\n{report}\nHTML+CSS+JS gzip total: {total} bytes (budget {BUDGET})")
    assert total <= BUDGET
    # Nothing render-blocking from elsewhere, and images below the fold wait until needed.
    lazy = page.evaluate(
        "[...document.querySelectorAll('main img')].slice(1).every(i => i.loading === 'lazy')"
    )
    assert lazy
