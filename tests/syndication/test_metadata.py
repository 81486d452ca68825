"""Page metadata as consumers read it: JSON-LD via extruct, Open Graph, canonical, feed links."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import unquote

import extruct
import lxml.html
import pytest
from django.core.cache import cache

from akhbar.site.models import Page, SiteSettings
from tests import factories as f

pytestmark = pytest.mark.django_db


def get(client, url: str) -> tuple[str, lxml.html.HtmlElement]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return html, lxml.html.fromstring(html)


def json_ld(html: str) -> dict[str, dict]:
    data = extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]
    return {item["@type"]: item for item in data}


def meta(doc, key: str) -> list[str]:
    return doc.xpath(f'//head/meta[@property="{key}" or @name="{key}"]/@content')


def canonical(doc) -> list[str]:
    return doc.xpath('//head/link[@rel="canonical"]/@href')


def feed_links(doc) -> list[tuple[str, str]]:
    return [
        (link.get("type"), unquote(link.get("href")))
        for link in doc.xpath('//head/link[@rel="alternate"]')
    ]


def test_article_news_article_json_ld_has_the_required_properties(client, illustrated):
    SiteSettings.objects.update_or_create(pk=1, defaults={"site_name": "صحيفة الغد"})
    html, doc = get(client, illustrated.get_absolute_url())
    data = json_ld(html)
    article = data["NewsArticle"]
    url = "http://testserver" + illustrated.get_absolute_url()
    assert article["headline"] == illustrated.title
    assert article["description"] == illustrated.excerpt
    assert article["image"][0].startswith("http://testserver/media/articles/")
    datetime.fromisoformat(article["datePublished"])
    assert datetime.fromisoformat(article["dateModified"]) >= datetime.fromisoformat(
        article["datePublished"]
    )
    assert article["author"] == [
        {
            "@type": "Person",
            "name": "سارة المحمد",
            "url": "http://testserver" + illustrated.author.get_absolute_url(),
        }
    ]
    publisher = article["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization" and publisher["name"] == "صحيفة الغد"
    assert publisher["logo"]["url"].startswith("http://testserver/")
    assert article["mainEntityOfPage"]["@id"] == url
    assert article["inLanguage"] == "ar"
    assert article["isAccessibleForFree"] is True
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["الرئيسية", "اقتصاد", illustrated.title]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert canonical(doc) == [url]


def test_article_open_graph_and_twitter_cards(client, illustrated):
    _, doc = get(client, illustrated.get_absolute_url())
    assert meta(doc, "og:type") == ["article"]
    assert meta(doc, "og:title") == [illustrated.title]
    assert meta(doc, "og:locale") == ["ar_AR"]
    assert meta(doc, "og:url") == ["http://testserver" + illustrated.get_absolute_url()]
    assert meta(doc, "og:image")[0].startswith("http://testserver/media/articles/")
    assert meta(doc, "og:image:alt") == ["ناقلة نفط في الخليج"]
    assert set(meta(doc, "article:tag")) == {"طاقة", "أسواق"}
    assert meta(doc, "article:section") == ["اقتصاد"]
    assert meta(doc, "twitter:card") == ["summary_large_image"]
    assert meta(doc, "twitter:title") == [illustrated.title]
    assert doc.findtext(".//title") == f"{illustrated.title} — أخبار"
    assert meta(doc, "description") == [illustrated.excerpt]
    assert meta(doc, "og:description") == [illustrated.excerpt]


def test_article_without_image_or_author(client):
    a = f.article(title="خبر بلا صورة")
    html, doc = get(client, a.get_absolute_url())
    article = json_ld(html)["NewsArticle"]
    assert "image" not in article
    assert article["author"][0]["@type"] == "Organization"
    assert meta(doc, "twitter:card") == ["summary"]
    assert meta(doc, "og:image") == []


def test_script_breakout_in_a_title_is_neutralised(client):
    a = f.article(title='خبر </script><script>alert("x")</script> & <!--', excerpt="</SCRIPT>")
    html, doc = get(client, a.get_absolute_url())
    assert "<script>alert" not in html
    scripts = doc.xpath('//script[@type="application/ld+json"]')
    assert len(scripts) == 2  # NewsArticle and BreadcrumbList, nothing injected
    article = json_ld(html)["NewsArticle"]
    assert article["headline"] == a.title
    assert article["description"] == "</SCRIPT>"


def test_home_has_website_search_action_and_site_feed(client):
    f.article()
    html, doc = get(client, "/")
    data = json_ld(html)
    website = data["WebSite"]
    target = website["potentialAction"]["target"]["urlTemplate"]
    assert target == "http://testserver/search/?q={search_term_string}"
    assert website["potentialAction"]["query-input"] == "required name=search_term_string"
    assert data["NewsMediaOrganization"]["name"] == "أخبار"
    assert canonical(doc) == ["http://testserver/"]
    assert meta(doc, "og:type") == ["website"]
    assert ("application/rss+xml", "http://testserver/feed/") in feed_links(doc)
    assert ("application/atom+xml", "http://testserver/feed/atom/") in feed_links(doc)


def test_archives_link_their_own_feeds_and_paginated_canonicals(client, settings):
    settings.AKHBAR = {**settings.AKHBAR, "ARTICLES_PER_PAGE": 1}
    section = f.category("ثقافة")
    section.slug = "ثقافة-وفنون"
    section.save()
    tag = f.tag("مسرح")
    writer = f.author("علي")
    for _ in range(2):
        f.article(category=section, tags=[tag], author=writer)
    _, doc = get(client, section.get_absolute_url())
    links = feed_links(doc)
    assert ("application/rss+xml", "http://testserver/category/ثقافة-وفنون/feed/") in links
    assert ("application/rss+xml", "http://testserver/feed/") in links
    assert [unquote(u) for u in canonical(doc)] == ["http://testserver/category/ثقافة-وفنون/"]
    assert "ثقافة" in meta(doc, "description")[0]
    _, doc = get(client, section.get_absolute_url() + "?page=2&utm_source=x")
    assert [unquote(u) for u in canonical(doc)] == [
        "http://testserver/category/ثقافة-وفنون/?page=2"
    ]
    _, doc = get(client, tag.get_absolute_url())
    assert ("application/atom+xml", f"http://testserver/tag/{tag.slug}/feed/atom/") in feed_links(
        doc
    )
    _, doc = get(client, writer.get_absolute_url())
    assert ("application/rss+xml", f"http://testserver/author/{writer.slug}/feed/") in feed_links(
        doc
    )


def test_static_page_canonical_and_description(client):
    Page.objects.create(title="من نحن", slug="about", body="<p>صحيفة مستقلة تأسست عام ٢٠٢٠.</p>")
    _, doc = get(client, "/p/about/")
    assert canonical(doc) == ["http://testserver/p/about/"]
    assert meta(doc, "description") == ["صحيفة مستقلة تأسست عام ٢٠٢٠."]


def test_syndicated_story_canonical_follows_the_setting(client, akhbar_settings):
    a = f.article(source_name="وكالة", source_url="https://agency.example/story/1")
    akhbar_settings["CANONICAL_TO_SOURCE"] = False
    _, doc = get(client, a.get_absolute_url())
    assert canonical(doc) == ["http://testserver" + a.get_absolute_url()]
    akhbar_settings["CANONICAL_TO_SOURCE"] = True
    cache.clear()  # a settings change means a restart in production; the page cache is fresh
    html, doc = get(client, a.get_absolute_url())
    assert canonical(doc) == ["https://agency.example/story/1"]
    assert json_ld(html)["NewsArticle"]["isBasedOn"] == "https://agency.example/story/1"


def test_404_page_has_no_canonical(client):
    response = client.get("/news/لا-يوجد/")
    assert response.status_code == 404
    assert canonical(lxml.html.fromstring(response.content)) == []


def test_metadata_adds_no_query(client, django_assert_max_num_queries, illustrated):
    """Same bound as the site's own page test: the head reuses what the view loaded."""
    SiteSettings.current()
    for url in ["/", illustrated.get_absolute_url(), illustrated.category.get_absolute_url()]:
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200
