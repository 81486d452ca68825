"""Sitemaps, the Google News sitemap and robots.txt, validated against XSD schemas."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.utils import timezone
from lxml import etree

from akhbar.newsroom.models import Article
from akhbar.site.models import Page, SiteSettings
from tests import factories as f

pytestmark = pytest.mark.django_db

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" / "sitemap.xsd")))
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url: str) -> etree._Element:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    assert SCHEMA.validate(root), (url, str(SCHEMA.error_log))
    return root


def locs(root: etree._Element) -> list[str]:
    return [unquote(e.text) for e in root.iterfind(".//sm:loc", NS)]


def test_index_lists_every_section_and_each_section_validates(client, illustrated):
    Page.objects.create(title="من نحن", slug="about", body="<p>نحن</p>")
    index = xml(client, "/sitemap.xml")
    sections = locs(index)
    assert sections == [
        f"http://testserver/sitemap-{name}.xml"
        for name in ["articles", "categories", "tags", "authors", "pages"]
    ]
    everything = []
    for url in sections:
        everything += locs(xml(client, urlsplit(url).path))
    assert "http://testserver/news/ارتفاع-أسعار-النفط/" in everything
    assert "http://testserver/category/" + illustrated.category.slug + "/" in everything
    assert "http://testserver/author/" + illustrated.author.slug + "/" in everything
    assert "http://testserver/" in everything and "http://testserver/p/about/" in everything
    assert len([u for u in everything if "/tag/" in u]) == 2


def test_article_entries_have_lastmod_and_image(client, illustrated):
    root = xml(client, "/sitemap-articles.xml")
    (url,) = root.findall("sm:url", NS)
    lastmod = url.findtext("sm:lastmod", namespaces=NS)
    assert lastmod.startswith(str(illustrated.updated_at.date()))
    image = url.findtext("image:image/image:loc", namespaces=NS)
    assert image.startswith("http://testserver/media/articles/") and image.endswith(".png")
    # The URL is percent-encoded ASCII, as the protocol requires, and decodes to Arabic.
    raw = url.findtext("sm:loc", namespaces=NS)
    assert raw.isascii() and unquote(raw).endswith("/news/ارتفاع-أسعار-النفط/")


def test_only_live_articles_and_nonempty_archives_are_listed(client):
    live = f.article(title="منشور")
    f.article(title="مسودة", status=Article.Status.DRAFT, tags=[f.tag("وسم يتيم")])
    f.article(title="مجدول", published_at=timezone.now() + timedelta(days=1))
    everything = locs(xml(client, "/sitemap-articles.xml"))
    assert everything == ["http://testserver" + unquote(live.get_absolute_url())]
    assert locs(xml(client, "/sitemap-tags.xml")) == []
    assert len(locs(xml(client, "/sitemap-categories.xml"))) == 1


def test_parent_section_listed_when_its_stories_are_in_subsections(client):
    sport = f.category("رياضة")
    f.article(category=f.category("تنس", parent=sport))
    urls = locs(xml(client, "/sitemap-categories.xml"))
    assert f"http://testserver/category/{sport.slug}/" in urls


def test_sections_split_at_the_limit(client, akhbar_settings):
    akhbar_settings["SITEMAP_LIMIT"] = 2
    for _ in range(5):
        f.article()
    index = locs(xml(client, "/sitemap.xml"))
    assert [u for u in index if "articles" in u] == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
        "http://testserver/sitemap-articles.xml?p=3",
    ]
    pages = [locs(xml(client, f"/sitemap-articles.xml?p={n}")) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [2, 2, 1]
    assert len({url for page in pages for url in page}) == 5


def test_default_limit_is_the_protocol_maximum():
    from akhbar.syndication.sitemaps import ArticleSitemap

    assert ArticleSitemap().limit == 50_000


@pytest.mark.parametrize(
    "query",
    [
        "p=0",
        "p=-1",
        "p=abc",
        "p=2",
        "p=99999999999999999999",
        "p=1.5",
        "p=%D9%A1",
        "page=x",
        "page=7",
        "p=",
    ],
)
def test_sitemap_page_abuse_is_404_never_500(client, query):
    f.article()
    assert client.get(f"/sitemap-articles.xml?{query}").status_code == 404


def test_unknown_section_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_news_sitemap_has_only_the_last_48_hours(client):
    SiteSettings.objects.update_or_create(pk=1, defaults={"site_name": "صحيفة <الأخبار> & الرأي"})
    fresh = f.article(title="خبر اليوم: «عاجل»", published_at=timezone.now() - timedelta(hours=3))
    f.article(title="خبر قديم", published_at=timezone.now() - timedelta(hours=49))
    f.article(title="خبر مسودة", status=Article.Status.DRAFT)
    root = xml(client, "/news-sitemap.xml")
    (url,) = root.findall("sm:url", NS)
    assert unquote(url.findtext("sm:loc", namespaces=NS)).endswith(
        unquote(fresh.get_absolute_url())
    )
    news = url.find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "صحيفة <الأخبار> & الرأي"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "ar"
    assert news.findtext("news:title", namespaces=NS) == "خبر اليوم: «عاجل»"
    published = news.findtext("news:publication_date", namespaces=NS)
    assert published.startswith(str(fresh.published_at.date()))


def test_control_characters_do_not_break_the_news_sitemap(client):
    f.article(title="عنوان\x0bمع\x1bمحرف", published_at=timezone.now())
    root = xml(client, "/news-sitemap.xml")
    assert root.findtext(".//news:title", namespaces=NS) == "عنوانمعمحرف"


def test_robots_txt_points_at_the_sitemaps_and_hides_private_paths(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    for line in [
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /preview/",
        "Sitemap: http://testserver/sitemap.xml",
        "Sitemap: http://testserver/news-sitemap.xml",
    ]:
        assert line in text.splitlines()


def test_sitemaps_are_cached_and_invalidated(client, django_assert_num_queries):
    f.article(title="أول")
    client.get("/sitemap-articles.xml")
    client.get("/sitemap.xml")
    with django_assert_num_queries(0):
        assert client.get("/sitemap-articles.xml").status_code == 200
        assert client.get("/sitemap.xml").status_code == 200
    second = f.article(title="ثان")
    assert unquote(second.get_absolute_url()) in unquote(
        client.get("/sitemap-articles.xml").content.decode()
    )
    response = client.get("/sitemap-articles.xml")
    assert (
        client.get("/sitemap-articles.xml", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    )


def test_sitemap_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    cat = f.category()
    for _ in range(60):
        f.article(category=cat, tags=[f.tag()])
    # The index costs two aggregate queries per section (page count, newest lastmod).
    for url, most in [
        ("/sitemap.xml", 16),
        ("/sitemap-articles.xml", 6),
        ("/sitemap-tags.xml", 6),
        ("/sitemap-categories.xml", 6),
        ("/news-sitemap.xml", 6),
    ]:
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200
