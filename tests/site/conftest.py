"""Reader-side browser fixtures: the demo newsroom (with its pictures) behind a live server."""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class DemoSite:
    home: str
    section: str
    article: str  # a long story with a lead picture and one in its text
    gallery: str  # the story with a gallery
    opinion: str
    search: str


@pytest.fixture
def demo_site(settings, tmp_path) -> DemoSite:
    """The demo newsroom as `make run` loads it (pictures drawn into a temporary media root)."""
    from akhbar.demo.newsroom import load_demo
    from akhbar.newsroom.models import Article, Category

    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    article = Article.objects.get(slug="أول-رحلة-تجريبية-لمترو-المرجان")
    # Reads, so "most read" shows everywhere.
    for n, a in enumerate(Article.objects.order_by("-published_at")[:8]):
        Article.objects.filter(pk=a.pk).update(view_count=1000 - n)
    return DemoSite(
        home="/",
        section=Category.objects.get(slug="local").get_absolute_url(),
        article=article.get_absolute_url(),
        gallery=Article.objects.get(slug="معرض-المرجان-للكتاب-يفتح-أبوابه").get_absolute_url(),
        opinion=Article.objects.filter(is_opinion=True).first().get_absolute_url(),
        search="/search/?q=المترو",
    )
