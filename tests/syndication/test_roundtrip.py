"""Arabic text and percent-encoded Arabic slugs survive every machine format intact."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

import extruct
import feedparser
import lxml.html
import pytest
from django.template import Context, Template
from django.utils import timezone
from lxml import etree

from akhbar.site import services
from akhbar.site.models import SiteSettings
from akhbar.syndication.metadata import page_head
from tests import factories as f

pytestmark = pytest.mark.django_db

TITLE = "مُدُنٌ «عربية» تحتفل — ١٢٣ عاماً؟ & <تقرير>"
SLUG = "مدن-عربية-تحتفل"


@pytest.fixture
def story(db):
    section = f.category("شؤون عربية")
    section.slug = "شؤون-عربية"
    section.save()
    label = f.tag("تراث")
    label.slug = "تراث-شعبي"
    label.save()
    writer = f.author("نور الهدى")
    writer.slug = "نور-الهدى"
    writer.save()
    return f.article(
        title=TITLE,
        slug=SLUG,
        excerpt="احتفالات «كبيرة» في العواصم",
        category=section,
        tags=[label],
        author=writer,
        published_at=timezone.now(),
    )


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_feeds_round_trip(client, story):
    for base in ["/", "/category/شؤون-عربية/", "/tag/تراث-شعبي/", "/author/نور-الهدى/"]:
        for suffix in ["feed/", "feed/atom/"]:
            url = quote(base + suffix)
            response = client.get(url)
            assert response.status_code == 200, url
            parsed = feedparser.parse(response.content)
            assert not parsed.bozo
            (entry,) = parsed.entries
            assert entry.title == TITLE
            assert entry.summary == "احتفالات «كبيرة» في العواصم"
            assert unquote(path_of(entry.link)) == f"/news/{SLUG}/"
            assert entry.author == "نور الهدى"
            assert client.get(path_of(entry.link)).status_code == 200


def test_sitemaps_round_trip(client, story):
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    found = []
    for section in ["articles", "categories", "tags", "authors"]:
        root = etree.fromstring(client.get(f"/sitemap-{section}.xml").content)
        found += [e.text for e in root.iterfind(".//sm:loc", ns)]
    assert all(u.isascii() for u in found)
    assert {unquote(path_of(u)) for u in found} == {
        f"/news/{SLUG}/",
        "/category/شؤون-عربية/",
        "/tag/تراث-شعبي/",
        "/author/نور-الهدى/",
    }
    for url in found:
        assert client.get(path_of(url)).status_code == 200
    news = etree.fromstring(client.get("/news-sitemap.xml").content)
    assert news.findtext(".//{http://www.google.com/schemas/sitemap-news/0.9}title") == TITLE


def test_page_metadata_round_trip(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    doc = lxml.html.fromstring(html)
    assert doc.xpath('//meta[@property="og:title"]/@content') == [TITLE]
    assert unquote(doc.xpath('//link[@rel="canonical"]/@href')[0]).endswith(f"/news/{SLUG}/")
    data = extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]
    article = next(d for d in data if d["@type"] == "NewsArticle")
    assert article["headline"] == TITLE
    assert article["keywords"] == ["تراث"]
    assert unquote(article["author"][0]["url"]).endswith("/author/نور-الهدى/")


def test_page_head_itself_runs_no_query(rf, django_assert_num_queries, story):
    """The head only reads what the article view already loaded."""
    article = services.article_for_reader(SLUG)
    context = Context(
        {
            "request": rf.get(article.get_absolute_url()),
            "site_settings": SiteSettings.current(),
            "article": article,
        }
    )
    context.template = Template("", name="site/article.html")
    with django_assert_num_queries(0):
        head = page_head(context)
    assert head.og_type == "article" and len(head.json_ld) == 2
