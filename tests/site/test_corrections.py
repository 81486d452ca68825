"""Corrections and updates readers can see: on the article, in JSON-LD, on a page, in a feed."""

from __future__ import annotations

import json

import pytest
from lxml import html as lxml_html

from akhbar.newsroom import services as newsroom
from tests import factories as f

pytestmark = pytest.mark.django_db


def _json_ld(content: bytes) -> list[dict]:
    doc = lxml_html.fromstring(content)
    return [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]


def test_notes_show_on_the_article_with_time_and_in_json_ld(client, settings):
    a = f.article(title="حريق في المصنع")
    newsroom.add_article_note(a, "correction", "كان عدد المصابين ثلاثة لا خمسة.")
    newsroom.add_article_note(a, "update", "أُخمد الحريق بالكامل.")
    page = client.get(a.get_absolute_url())
    text = page.content.decode()
    assert "كان عدد المصابين ثلاثة لا خمسة." in text and "أُخمد الحريق" in text
    header = text.split('class="article__header"')[1].split("</header>")[0]
    assert "article-notes" in header  # top by default
    data = next(d for d in _json_ld(page.content) if d.get("@type") == "NewsArticle")
    assert data["correction"][0]["text"].startswith("كان عدد")
    assert data["dateModified"] > data["datePublished"]
    settings.AKHBAR_NOTES_POSITION = "bottom"
    from django.core.cache import cache

    cache.clear()
    text = client.get(a.get_absolute_url()).content.decode()
    header = text.split('class="article__header"')[1].split("</header>")[0]
    assert "article-notes" not in header and "article-notes" in text


def test_corrections_page_and_feed(client):
    a = f.article(title="خبر صُحّح")
    hidden = f.article(status="draft")
    newsroom.add_article_note(a, "correction", "صُحّح اسم الوزير.")
    newsroom.add_article_note(hidden, "correction", "لا يظهر")
    page = client.get("/corrections/").content.decode()
    assert "صُحّح اسم الوزير." in page and "لا يظهر" not in page
    feed = client.get("/corrections/feed/")
    assert feed.status_code == 200 and "صُحّح اسم الوزير." in feed.content.decode()


def test_empty_note_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        newsroom.add_article_note(f.article(), "correction", "   ")
