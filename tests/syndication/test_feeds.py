"""RSS and Atom feeds, read back by feedparser (a real consumer) and by a strict validator."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote, unquote

import feedparser
import pytest
from django.utils import timezone
from lxml import etree

from akhbar.newsroom.models import Article
from akhbar.site.models import SiteSettings
from tests import factories as f
from tests.syndication.validators import validate_atom, validate_rss

pytestmark = pytest.mark.django_db


def fetch(client, url: str, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response


def parse(response) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def check(url: str, response) -> None:
    problems = (validate_atom if "/atom/" in url else validate_rss)(response.content)
    assert problems == [], problems


def feed_urls(article: Article) -> list[str]:
    urls = []
    for base in [
        "/",
        article.category.get_absolute_url(),
        article.tags.first().get_absolute_url(),
        article.author.get_absolute_url(),
    ]:
        urls += [f"{base}feed/", f"{base}feed/atom/"]
    return urls


def test_every_article_feed_parses_validates_and_lists_the_story(client, illustrated):
    hidden = f.article(
        title="مسودة سرية", status=Article.Status.DRAFT, category=illustrated.category
    )
    for url in feed_urls(illustrated):
        response = fetch(client, url)
        check(url, response)
        parsed = parse(response)
        assert parsed.feed.language == "ar", url
        titles = [e.title for e in parsed.entries]
        assert titles == [illustrated.title], (url, titles)
        assert hidden.title not in response.content.decode()
        entry = parsed.entries[0]
        assert entry.link == "http://testserver" + illustrated.get_absolute_url()
        assert unquote(entry.link).endswith("/news/ارتفاع-أسعار-النفط/")
        assert entry.author == "سارة المحمد"
        assert {t.term for t in entry.tags} == {"اقتصاد", "طاقة", "أسواق"}
        assert (
            entry.id == f"tag:testserver,{illustrated.created_at:%Y-%m-%d}:article-{illustrated.pk}"
        )
        enclosure = entry.enclosures[0]
        assert enclosure.href.startswith("http://testserver/media/articles/")
        assert enclosure.type == "image/png"
        assert int(enclosure.length) == illustrated.featured_image.size
        assert "أسعار النفط &amp; تراجع" in response.content.decode()


def test_rss_and_atom_carry_the_language_markers(client, illustrated):
    rss = etree.fromstring(fetch(client, "/feed/").content)
    assert rss.findtext("channel/language") == "ar"
    atom = etree.fromstring(fetch(client, "/feed/atom/").content)
    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"


def test_excerpt_by_default_full_text_when_configured(client, akhbar_settings):
    f.article(
        excerpt="ملخص قصير", body='<p>الفقرة الأولى</p><p><img src="/media/x.png" alt=""></p>'
    )
    akhbar_settings["FEED_FULL_TEXT"] = False
    for url in ["/feed/", "/feed/atom/"]:
        entry = parse(fetch(client, url)).entries[0]
        assert entry.summary == "ملخص قصير"
        assert "content" not in entry
    akhbar_settings["FEED_FULL_TEXT"] = True
    # An unchanged save emits no event (nothing readers see changed), so caches stay; a new
    # server setting takes effect with a new generation (in production: a restart).
    from akhbar.site.cache import bump_content_version

    bump_content_version()
    for url in ["/feed/", "/feed/atom/"]:
        response = fetch(client, url)
        check(url, response)
        entry = parse(response).entries[0]
        assert "الفقرة الأولى" in entry.content[0].value
        # Relative image URLs are made absolute: the body is read far from the site.
        assert 'src="http://testserver/media/x.png"' in entry.content[0].value


def test_guid_survives_a_title_and_slug_change(client):
    a = f.article(title="عنوان أول")
    before = parse(fetch(client, "/feed/atom/")).entries[0].id
    rss_before = parse(fetch(client, "/feed/")).entries[0].id
    a.title, a.slug = "عنوان مصحح", "عنوان-مصحح"
    a.save()
    after = parse(fetch(client, "/feed/atom/")).entries[0]
    assert after.title == "عنوان مصحح"
    assert after.id == before
    assert parse(fetch(client, "/feed/")).entries[0].id == rss_before


def test_category_feed_includes_subcategories_like_the_archive(client):
    sport = f.category("رياضة")
    football = f.category("كرة القدم", parent=sport)
    f.article(title="مباراة الأمس", category=football)
    f.article(title="خبر خارج القسم")
    titles = [e.title for e in parse(fetch(client, f"/category/{sport.slug}/feed/")).entries]
    assert titles == ["مباراة الأمس"]


def test_percent_encoded_arabic_slugs_reach_the_right_feed(client):
    section = f.category("ثقافة")
    section.slug = "ثقافة-وفنون"
    section.save()
    f.article(title="معرض الكتاب", category=section)
    url = "/category/" + quote("ثقافة-وفنون") + "/feed/"
    parsed = parse(fetch(client, url))
    assert parsed.feed.title.endswith("ثقافة")
    assert [e.title for e in parsed.entries] == ["معرض الكتاب"]
    assert unquote(parsed.feed.link).endswith("/category/ثقافة-وفنون/")


def test_comment_feed_lists_only_approved_comments(client):
    a = f.article(title="خبر للنقاش")
    f.comment(a, author_name="ليلى", body="رأي <b>منشور</b>\nسطر ثان")
    f.comment(a, author_name="مزعج", body="رابط دعائي", status="spam")
    f.comment(a, author_name="منتظر", body="ينتظر المراجعة", status="pending")
    for url in [
        f"{a.get_absolute_url()}comments/feed/",
        f"{a.get_absolute_url()}comments/feed/atom/",
    ]:
        response = fetch(client, url)
        check(url, response)
        parsed = parse(response)
        assert [e.author for e in parsed.entries] == ["ليلى"]
        assert "&lt;b&gt;منشور" in parsed.entries[0].summary  # escaped, not markup
        assert "#comment-" in parsed.entries[0].link
        assert "رابط دعائي" not in response.content.decode()


def test_new_approved_comment_appears_in_cached_comment_feed(client):
    a = f.article()
    url = f"{a.get_absolute_url()}comments/feed/"
    assert parse(fetch(client, url)).entries == []
    f.comment(a, author_name="جديد")
    assert [e.author for e in parse(fetch(client, url)).entries] == ["جديد"]


@pytest.mark.parametrize(
    "url",
    [
        "/category/no-such/feed/",
        "/tag/no-such/feed/atom/",
        "/author/no-such/feed/",
        "/news/no-such/comments/feed/",
        "/category/%D8%B2%D8%B2/feed/",
    ],
)
def test_unknown_feed_subjects_are_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.content.decode()


def test_comment_feed_of_an_unpublished_article_is_404(client):
    a = f.article(status=Article.Status.DRAFT)
    assert client.get(f"{a.get_absolute_url()}comments/feed/").status_code == 404


def test_control_characters_are_removed_so_xml_stays_well_formed(client, akhbar_settings):
    akhbar_settings["FEED_FULL_TEXT"] = True
    f.comment(
        f.article(
            title="عنوان\x0bفيه\x01محارف\x1fتحكم",  # no NUL: PostgreSQL refuses it
            excerpt="ملخص\x08غريب",
            body="<p>نص\x0cمن وورد</p>",
        ),
        body="تعليق\x07برنين",
    )
    a = Article.objects.get()
    for url in ["/feed/", "/feed/atom/", f"{a.get_absolute_url()}comments/feed/"]:
        response = fetch(client, url)
        etree.fromstring(response.content)  # raises if not well-formed
        parsed = parse(response)
        check(url, response)
        assert parsed.entries[0].title in {"عنوانفيهمحارفتحكم", "تعليق من قارئ"}


def test_conditional_get_returns_304(client):
    f.article()
    first = fetch(client, "/feed/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    assert client.get("/feed/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/feed/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get("/feed/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_feed_is_cached_and_invalidated_on_publish_edit_unpublish(
    client, django_assert_num_queries
):
    a = f.article(title="الخبر الأول")
    fetch(client, "/feed/")
    with django_assert_num_queries(0):
        # served from the page cache, the one cache layer for pages and feeds alike
        assert fetch(client, "/feed/")["X-Cache"] == "HIT"
    draft = f.article(title="خبر ينشر لاحقاً", status=Article.Status.DRAFT)
    assert "خبر ينشر لاحقاً" not in fetch(client, "/feed/").content.decode()
    draft.status = Article.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()
    assert "خبر ينشر لاحقاً" in fetch(client, "/feed/").content.decode()
    a.title = "الخبر الأول بعد التعديل"
    a.save()
    assert "بعد التعديل" in fetch(client, "/feed/").content.decode()
    a.status = Article.Status.DRAFT
    a.save()
    assert "الخبر الأول" not in fetch(client, "/feed/").content.decode()
    draft.delete()
    assert parse(fetch(client, "/feed/")).entries == []


def test_scheduled_article_appears_when_due_despite_the_cache(client):
    a = f.article(published_at=timezone.now() + timedelta(seconds=1))
    assert a.title not in fetch(client, "/feed/").content.decode()
    import time

    time.sleep(2.1)
    assert a.title in fetch(client, "/feed/").content.decode()


def test_site_name_change_reaches_the_feed(client):
    f.article()
    fetch(client, "/feed/")
    s = SiteSettings.current()
    s.site_name = "جريدة الغد"
    s.save()
    assert parse(fetch(client, "/feed/")).feed.title == "جريدة الغد"


def test_feed_queries_are_bounded(client, django_assert_max_num_queries):
    tags = [f.tag() for _ in range(3)]
    writer = f.author()
    for _ in range(40):
        f.article(tags=tags, author=writer)
    with django_assert_max_num_queries(8):
        assert len(parse(fetch(client, "/feed/")).entries) == 30


def test_post_is_refused(client):
    assert client.post("/feed/").status_code == 405
