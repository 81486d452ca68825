"""Live coverage: posting, editing, the readers' stream and poll endpoint, through the page
cache, JSON-LD, feeds, the news sitemap and the reporters' screen — on a real database."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import extruct
import feedparser
import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from akhbar.core import events
from akhbar.live import services
from akhbar.live.embeds import embed_info
from akhbar.live.models import Coverage, Entry, EntryRevision
from tests import factories as f
from tests.newsroom.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reporter():
    return make_user("contributor", "reporter")


@pytest.fixture
def editor():
    return make_user("editor", "live-editor")


@pytest.fixture
def coverage(editor):
    article = f.article(title="مباشر: اختبار التغطية", slug="live-test")
    return services.start_coverage(article, user=editor, summary="<ul><li>نقطة أولى</li></ul>")


def _post(coverage, user, text, **kwargs):
    return services.post_entry(coverage, user=user, text=text, **kwargs)


# --- Posting -------------------------------------------------------------------------------


def test_posting_an_entry_bumps_the_version_and_emits_one_event(coverage, reporter):
    seen = []
    events.subscribe(events.LiveCoverageChanged, seen.append, name="test-live")
    try:
        before = Coverage.objects.get(pk=coverage.pk).version
        entry = _post(coverage, reporter, "سطر أول\nسطر ثانٍ\n\nفقرة ثانية")
    finally:
        events.unsubscribe(events.LiveCoverageChanged, name="test-live")
    assert entry.body == "<p>سطر أول<br>سطر ثانٍ</p><p>فقرة ثانية</p>"
    assert entry.author_name == "كاتب reporter"
    assert Coverage.objects.get(pk=coverage.pk).version == before + 1
    assert [(e.change, e.entry_id, e.article_id) for e in seen] == [
        ("posted", entry.pk, coverage.article_id)
    ]
    assert services.current_version(coverage.pk) == before + 1


def test_posting_takes_a_handful_of_queries(coverage, reporter, django_assert_max_num_queries):
    _post(coverage, reporter, "تسخين")  # permission cache, profile
    with django_assert_max_num_queries(8):
        _post(coverage, reporter, "مدخل سريع من الميدان")


def test_hostile_and_oversized_entries(coverage, reporter):
    entry = _post(
        coverage,
        reporter,
        '<p onclick="x()">نص</p><script>alert(1)</script><img src=x onerror=alert(1)>',
    )
    assert (
        "script" not in entry.body and "onclick" not in entry.body and "onerror" not in entry.body
    )
    with pytest.raises(services.LiveError, match="أطول من المسموح"):
        _post(coverage, reporter, "ك" * 100_000)
    with pytest.raises(services.LiveError, match="اكتب نص المدخل"):
        _post(coverage, reporter, "   \u200f\u200b  ")
    with pytest.raises(services.LiveError, match="إكس أو يوتيوب"):
        _post(coverage, reporter, "", embed_url="javascript:alert(1)")
    assert Entry.objects.filter(coverage=coverage).count() == 1


def test_an_image_entry_is_validated_and_needs_alt_text(coverage, reporter):
    data = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 120, 200)).save(data, "JPEG")
    data.seek(0)
    data.name = "phone.jpg"
    with pytest.raises(services.LiveError, match="وصفًا للصورة"):
        _post(coverage, reporter, "", image=data)
    data.seek(0)
    entry = _post(coverage, reporter, "", image=data, image_alt="شارع مغمور بالمياه")
    assert entry.kind == Entry.Kind.IMAGE and entry.image.name.endswith(".jpg")
    bogus = io.BytesIO(b"<?php echo 1; ?>" * 10)
    bogus.name = "shell.jpg"
    with pytest.raises(services.LiveError):
        _post(coverage, reporter, "", image=bogus, image_alt="x")


@pytest.mark.parametrize(
    ("url", "provider", "frame"),
    [
        (
            "https://www.youtube.com/watch?v=abcDEF12345",
            "youtube",
            "youtube-nocookie.com/embed/abcDEF12345",
        ),
        ("https://youtu.be/abcDEF12345", "youtube", "youtube-nocookie.com/embed/abcDEF12345"),
        ("https://x.com/newsroom/status/1234567890", "x", "Tweet.html?id=1234567890"),
        ("https://twitter.com/newsroom/status/1234567890", "x", "Tweet.html?id=1234567890"),
        ("https://t.me/channel_name/42", "telegram", "t.me/channel_name/42?embed=1"),
    ],
)
def test_embeds_from_the_three_providers(url, provider, frame):
    found = embed_info(url)
    assert found is not None and found.provider == provider and frame in found.frame_src


@pytest.mark.parametrize(
    "url",
    [
        "http://www.youtube.com/watch?v=abcDEF12345",
        "https://evil.example/watch?v=abcDEF12345",
        "https://youtube.com.evil.example/watch?v=abc",
        "https://x.com/a/status/notdigits",
        "https://t.me/a/b/c",
        "javascript:alert(1)",
        "https://www.youtube.com/watch?v=<script>",
        "",
    ],
)
def test_anything_else_is_not_an_embed(url):
    assert embed_info(url) is None


def test_embed_entries_render_a_facade_without_third_party_requests(coverage, reporter, client):
    _post(coverage, reporter, "فيديو من الموقع", embed_url="https://youtu.be/abcDEF12345")
    html = client.get(coverage.article.get_absolute_url()).content.decode()
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/abcDEF12345"' in html
    assert "<iframe" not in html


def test_an_ended_coverage_takes_no_entries(coverage, reporter, editor):
    services.end_coverage(coverage, user=editor)
    with pytest.raises(services.LiveError, match="انتهت"):
        _post(coverage, reporter, "متأخر")


# --- Editing -------------------------------------------------------------------------------


def test_two_editors_saving_the_same_entry_later_wins_and_nothing_is_lost(coverage, editor):
    other = make_user("editor", "second-editor")
    entry = _post(coverage, editor, "النص الأول")
    opened = entry.version
    first = services.edit_entry(
        entry, user=editor, text="تعديل المحرّر الأول", expected_version=opened
    )
    assert first.conflict == ""
    second = services.edit_entry(
        entry, user=other, text="تعديل المحرّر الثاني", expected_version=opened
    )
    assert "عدّل" in second.conflict and "السجل" in second.conflict
    entry.refresh_from_db()
    assert "الثاني" in entry.body and entry.edited_at is not None
    kept = list(EntryRevision.objects.filter(entry=entry).values_list("body", flat=True))
    assert any("النص الأول" in b for b in kept) and any("الأول" in b for b in kept)


def test_reporters_change_only_their_own_entries(coverage, reporter, editor):
    mine = _post(coverage, reporter, "مدخلي")
    theirs = _post(coverage, editor, "مدخل المحرّر")
    services.edit_entry(mine, user=reporter, text="مدخلي بعد التعديل")
    with pytest.raises(services.LiveError):
        services.edit_entry(theirs, user=reporter, text="محاولة")
    with pytest.raises(services.LiveError):
        services.set_pinned(mine, True, user=reporter)
    services.set_pinned(theirs, True, user=editor)
    services.delete_entry(mine, user=reporter)
    assert list(services.visible_entries(coverage).values_list("pk", flat=True)) == [theirs.pk]


# --- Readers -------------------------------------------------------------------------------


def test_page_shows_summary_pinned_and_stream_and_a_reload_shows_new_entries(
    coverage, reporter, editor
):
    client = Client()
    pinned = _post(coverage, editor, "مدخل مثبّت مهم", is_pinned=True)
    _post(coverage, reporter, "أول تحديث من الميدان")
    url = coverage.article.get_absolute_url()
    first = client.get(url)
    html = first.content.decode()
    assert "أبرز الأحداث" in html and "نقطة أولى" in html
    assert f'id="pinned-{pinned.pk}"' in html and f'id="entry-{pinned.pk}"' in html
    assert "أول تحديث من الميدان" in html
    assert client.get(url)["X-Cache"] == "HIT"
    _post(coverage, reporter, "تحديث جديد بعد التخزين")
    again = client.get(url)  # no JavaScript: a reload shows it, through the page cache
    assert again["X-Cache"] == "MISS" and "تحديث جديد بعد التخزين" in again.content.decode()


def test_live_entries_do_not_empty_the_rest_of_the_page_cache(coverage, reporter, client):
    other = f.article(title="خبر عادي")
    client.get(other.get_absolute_url())
    assert client.get(other.get_absolute_url())["X-Cache"] == "HIT"
    _post(coverage, reporter, "مدخل جديد")
    assert client.get(other.get_absolute_url())["X-Cache"] == "HIT"


def test_the_poll_endpoint_is_small_cacheable_and_answers_304_without_queries(
    coverage, reporter, client, django_assert_num_queries
):
    entry = _post(coverage, reporter, "أول")
    url = f"/live/{coverage.pk}/updates.json"
    response = client.get(url)
    assert response.status_code == 200
    payload = response.json()
    assert payload["entries"][0]["id"] == entry.pk and "أول" in payload["entries"][0]["html"]
    assert f"p{coverage.article_id}" in response["Surrogate-Key"].split()
    assert "s-maxage" in response["Cache-Control"] and "public" in response["Cache-Control"]
    etag = response["ETag"]
    with django_assert_num_queries(0):
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_assert_num_queries(0):  # unchanged: the payload is cached per version
        assert client.get(url).json() == payload
    services.delete_entry(entry, user=reporter)
    newer = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert newer.status_code == 200 and newer["ETag"] != etag
    assert newer.json()["deleted"] == [entry.pk] and newer.json()["entries"] == []


def test_poll_endpoint_for_missing_or_unpublished_coverages(coverage, client):
    assert client.get("/live/999999/updates.json").status_code == 404
    coverage.article.status = "draft"
    coverage.article.save()
    assert client.get(f"/live/{coverage.pk}/updates.json").status_code == 404


def test_pages_of_older_entries_and_entry_links(coverage, reporter, client):
    ids = [_post(coverage, reporter, f"مدخل رقم {i}").pk for i in range(45)]
    url = coverage.article.get_absolute_url()
    html = client.get(url).content.decode()
    assert html.count('data-entry="') == 20 and f"?before={ids[25]}" in html
    second = client.get(url, {"before": ids[25]}).content.decode()
    assert f'id="entry-{ids[24]}"' in second and "الأحدث" in second
    assert "data-live-archive" in second  # older pages do not poll
    for bad in ("abc", "-1", "٣", "9" * 30, "1\x00"):
        assert client.get(url, {"before": bad}).status_code == 200
    link = client.get(f"/live/entry/{ids[3]}/")
    assert link.status_code == 302 and link["Location"].endswith(
        f"?before={ids[3] + 1}#entry-{ids[3]}"
    )
    target = client.get(link["Location"].split("#")[0]).content.decode()
    assert f'id="entry-{ids[3]}"' in target


def test_ten_thousand_entries_keep_the_page_bounded(
    coverage, reporter, client, django_assert_max_num_queries
):
    _post(coverage, reporter, "قليل")
    url = coverage.article.get_absolute_url()
    client.get(url)
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    Entry.objects.bulk_create(
        Entry(coverage=coverage, body=f"<p>مدخل {i}</p>", author_name="آلة") for i in range(10_000)
    )
    services.post_entry(coverage, user=reporter, text="الأخير")
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('data-entry="') == 20


def test_json_ld_is_a_live_blog_posting(coverage, reporter, editor, client):
    _post(coverage, reporter, "أول مدخل", title="عنوان المدخل")
    html = client.get(coverage.article.get_absolute_url()).content.decode()
    data = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
    live = next(d for d in data if d.get("@type") == "LiveBlogPosting")
    assert live["coverageStartTime"] and "coverageEndTime" not in live
    assert live["liveBlogUpdate"][0]["headline"] == "عنوان المدخل"
    assert live["liveBlogUpdate"][0]["url"].endswith("#entry-" + str(Entry.objects.get().pk))
    services.end_coverage(coverage, user=editor)
    html = Client().get(coverage.article.get_absolute_url()).content.decode()
    ended = next(
        d
        for d in extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
        if d.get("@type") == "LiveBlogPosting"
    )
    assert ended["coverageEndTime"]
    plain = f.article(title="خبر عادي")
    data = extruct.extract(
        client.get(plain.get_absolute_url()).content.decode(), syntaxes=["json-ld"]
    )
    assert any(d.get("@type") == "NewsArticle" for d in data["json-ld"])


def test_every_entry_is_in_the_coverage_feeds(coverage, reporter, client):
    for i in range(3):
        _post(coverage, reporter, f"مدخل الخلاصة {i}")
    for name in ("rss", "atom"):
        parsed = feedparser.parse(client.get(f"/live/{coverage.pk}/feed/{name}/").content)
        assert not parsed.bozo
        assert [e.title for e in parsed.entries] == [f"مدخل الخلاصة {i}" for i in (2, 1, 0)]


def test_news_sitemap_keeps_a_coverage_while_it_is_live(coverage, editor, client):
    Coverage.objects.filter(pk=coverage.pk).update(started_at=timezone.now() - timedelta(days=5))
    type(coverage.article).objects.filter(pk=coverage.article_id).update(
        published_at=timezone.now() - timedelta(days=5)
    )
    from akhbar.syndication.sitemaps import news_items

    assert coverage.article.slug in [slug for slug, *_ in news_items()]
    services.end_coverage(coverage, user=editor)
    assert coverage.article.slug not in [slug for slug, *_ in news_items()]


# --- Reporters' screen ---------------------------------------------------------------------


def test_reporter_screen_needs_a_newsroom_role(coverage, reporter, django_user_model):
    url = f"/live/{coverage.pk}/post/"
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    reader = django_user_model.objects.create_user("reader", "r@example.org", "x", is_staff=True)
    c = Client()
    c.force_login(reader)
    assert c.get(url).status_code == 403
    assert c.post(url, {"text": "ممنوع"}).status_code == 403
    assert not Entry.objects.exists()


def test_reporter_posts_with_and_without_javascript(coverage, reporter):
    c = Client()
    c.force_login(reporter)
    url = f"/live/{coverage.pk}/post/"
    page = c.get(url)
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    assert 'capture="environment"' in page.content.decode()
    plain = c.post(url, {"text": "مدخل من نموذج عادي"})
    assert plain.status_code == 302
    fetched = c.post(
        url, {"text": "مدخل عبر الجافاسكربت", "is_breaking": "on"}, HTTP_ACCEPT="application/json"
    )
    assert fetched.status_code == 201 and "عاجل" in fetched.json()["html"]
    refused = c.post(url, {"text": "ن" * 20_000})
    assert refused.status_code == 400
    assert (
        "أطول من المسموح" in refused.content.decode() and "ن" * 20_000 in refused.content.decode()
    )
    as_json = c.post(url, {"text": ""}, HTTP_ACCEPT="application/json")
    assert as_json.status_code == 400 and as_json.json()["error"]
    assert Entry.objects.count() == 2


def test_a_reporters_draft_is_kept_until_posted(coverage, reporter):
    c = Client()
    c.force_login(reporter)
    assert c.post(f"/live/{coverage.pk}/draft/", {"text": "نص لم يكتمل"}).json() == {"saved": True}
    assert "نص لم يكتمل" in c.get(f"/live/{coverage.pk}/post/").content.decode()
    c.post(f"/live/{coverage.pk}/post/", {"text": "نص لم يكتمل بعد الآن"})
    assert "نص لم يكتمل</textarea>" not in c.get(f"/live/{coverage.pk}/post/").content.decode()


def test_editor_pauses_ends_and_curates(coverage, editor, reporter):
    c = Client()
    c.force_login(editor)
    c.post(f"/live/{coverage.pk}/state/", {"summary": "حدث أول\n\nحدث ثانٍ"})
    c.post(f"/live/{coverage.pk}/state/", {"state": "paused"})
    coverage.refresh_from_db()
    assert coverage.state == "paused" and "حدث ثانٍ" in coverage.summary
    c.post(f"/live/{coverage.pk}/state/", {"state": "ended"})
    coverage.refresh_from_db()
    assert coverage.state == "ended" and coverage.ended_at is not None
    r = Client()
    r.force_login(reporter)
    assert r.post(f"/live/{coverage.pk}/state/", {"state": "live"}).status_code == 403
    assert r.post(f"/live/{coverage.pk}/state/", {"state": "bogus"}).status_code == 403
    assert c.post(f"/live/{coverage.pk}/state/", {"state": "bogus"}).status_code == 302


def test_demo_has_a_running_and_an_ended_coverage():
    from akhbar.demo.newsroom import load_demo

    load_demo()
    from akhbar.live.demo import load_live_demo

    assert load_live_demo() == 2
    assert load_live_demo() == 0
    running = Coverage.objects.get(state="live")
    assert running.entries.count() >= 15 and running.entries.filter(is_pinned=True).exists()
    assert running.summary and Coverage.objects.filter(state="ended").count() == 1
    html = Client().get(running.article.get_absolute_url()).content.decode()
    assert (
        "مباشر الآن" in html
        and json.loads(Client().get(f"/live/{running.pk}/updates.json").content)["entries"]
    )


def test_editors_reach_the_breaking_alert_confirmation_from_a_breaking_entry(coverage, editor):
    _post(coverage, editor, "عاجل: تطوّر كبير", is_breaking=True)
    c = Client()
    c.force_login(editor)
    assert "أرسل تنبيهًا عاجلًا" not in c.get(f"/live/{coverage.pk}/post/").content.decode()
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="change_edition"))
    html = c.get(f"/live/{coverage.pk}/post/").content.decode()
    alert = f"/admin/newsletters/edition/alert/{coverage.article_id}/"
    assert "أرسل تنبيهًا عاجلًا" in html and alert in html
    confirm = c.get(alert)
    assert confirm.status_code == 200 and coverage.article.title in confirm.content.decode()
