"""The reader pages' style sheets travel inside the page (one round trip less on a slow phone
network, issue 15) and the Content-Security-Policy allows exactly their bytes by hash."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from akhbar.site import inline_css
from tests import factories as f

pytestmark = pytest.mark.django_db

STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _hash(css: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


def test_article_page_inlines_its_sheets_and_the_policy_allows_each_by_hash(client):
    article = f.article()
    for attempt in ("first render", "page-cache hit"):
        response = client.get(article.get_absolute_url())
        html = response.content.decode()
        sheets = STYLE.findall(html)
        assert len(sheets) == 3, attempt  # theme, search box, newsletter box
        style_src = next(
            d for d in response["Content-Security-Policy"].split(";") if "style-src" in d
        )
        for css in sheets:
            assert _hash(css) in style_src, attempt
        assert "'unsafe-inline'" not in style_src
        assert 'rel="stylesheet"' not in html  # nothing render-blocking left to fetch


def test_relative_urls_point_at_the_static_files():
    css = inline_css.sheet("akhbar/css/akhbar.css").css
    fonts = re.findall(r'url\("([^"]+\.woff2)"\)', css)
    assert fonts and all(u.startswith("/static/akhbar/fonts/") for u in fonts)
    assert "../" not in css


def test_only_the_listed_sheets_can_be_inlined():
    with pytest.raises(ValueError, match="INLINE_STYLESHEETS"):
        inline_css.sheet("admin/css/base.css")
