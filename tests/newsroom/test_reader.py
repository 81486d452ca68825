"""Reader features: ticker window, read counting via beacon, most read, reading time, sharing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from akhbar.newsroom import services
from akhbar.newsroom.models import Article
from akhbar.newsroom.services import arabic_minutes
from tests import factories as f

pytestmark = pytest.mark.django_db
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def test_ticker_only_shows_recent_breaking_news(client, settings):
    f.article(title="عاجل حديث", is_breaking=True, published_at=timezone.now() - timedelta(hours=2))
    f.article(
        title="عاجل قديم", is_breaking=True, published_at=timezone.now() - timedelta(hours=30)
    )
    html = client.get("/").content.decode()
    ticker = html.split('class="ticker"')[1].split("</section>")[0]
    assert "عاجل حديث" in ticker and "عاجل قديم" not in ticker
    settings.AKHBAR = {**settings.AKHBAR, "BREAKING_HOURS": 48}
    cache.clear()  # the whole-page cache does not watch settings
    ticker = client.get("/").content.decode().split('class="ticker"')[1].split("</section>")[0]
    assert "عاجل قديم" in ticker


def test_beacon_counts_reads_in_cache_and_flushes_in_batches(client, settings):
    settings.AKHBAR = {**settings.AKHBAR, "HIT_FLUSH_EVERY": 5}
    a = f.article()
    html = client.get(a.get_absolute_url()).content.decode()
    assert f'data-hit-url="/hit/{a.pk}/"' in html
    for _ in range(4):
        r = client.post(f"/hit/{a.pk}/", HTTP_USER_AGENT=CHROME)
        assert r.status_code == 204 and not r.cookies
    a.refresh_from_db()
    assert a.view_count == 0  # still in the cache
    client.post(f"/hit/{a.pk}/", HTTP_USER_AGENT=CHROME)  # 5th read triggers the flush
    a.refresh_from_db()
    assert a.view_count == 5


def test_bots_and_bad_requests_are_not_counted(client):
    a = f.article()
    for ua in ["Googlebot/2.1", "facebookexternalhit/1.1", "curl/8.0", "", "python-requests/2"]:
        assert client.post(f"/hit/{a.pk}/", HTTP_USER_AGENT=ua).status_code == 204
    assert client.get(f"/hit/{a.pk}/").status_code == 405
    assert client.post("/hit/99999999999999999999999/", HTTP_USER_AGENT=CHROME).status_code == 204
    assert client.post("/hit/abc/").status_code == 404
    services.flush_hits()
    a.refresh_from_db()
    assert a.view_count == 0


def test_hit_request_costs_one_atomic_upsert(client, django_assert_num_queries):
    # One INSERT … ON CONFLICT DO UPDATE in a savepoint (akhbar.core.counters); none with Redis.
    a = f.article()
    with django_assert_num_queries(3):
        client.post(f"/hit/{a.pk}/", HTTP_USER_AGENT=CHROME)


def test_most_read_block_on_home(client):
    top = f.article(title="الأكثر قراءة اليوم")
    second = f.article(title="ثاني الأكثر قراءة")
    old = f.article(title="قديم كثير القراءة", published_at=timezone.now() - timedelta(days=30))
    Article.objects.filter(pk=top.pk).update(view_count=90)
    Article.objects.filter(pk=second.pk).update(view_count=40)
    Article.objects.filter(pk=old.pk).update(view_count=900)
    html = client.get("/").content.decode()
    block = html.split('class="most-read"')[1].split("</section>")[0]
    assert block.index("الأكثر قراءة اليوم") < block.index("ثاني الأكثر قراءة")
    assert "قديم كثير القراءة" not in block


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "دقيقة واحدة"),
        (2, "دقيقتان"),
        (3, "3 دقائق"),
        (10, "10 دقائق"),
        (11, "11 دقيقة"),
        (25, "25 دقيقة"),
        (100, "100 دقيقة"),
        (103, "103 دقائق"),
    ],
)
def test_reading_time_arabic_plurals(n, text):
    assert arabic_minutes(n) == text


def test_reading_time_and_share_links_on_article(client):
    word = "كلمة "
    a = f.article(body=f"<p>{word * 720}</p>")
    assert a.reading_minutes == 4
    html = client.get(a.get_absolute_url()).content.decode()
    assert "وقت القراءة: 4 دقائق" in html
    for host in (
        "https://wa.me/",
        "https://t.me/share/url",
        "https://x.com/intent/post",
        "https://www.facebook.com/sharer/sharer.php",
    ):
        assert host in html
    assert "data-copy-link=" in html and "نسخ الرابط" in html
    # No third-party script anywhere on the page.
    assert '<script src="http' not in html and '<script src="//' not in html


def test_print_stylesheet_hides_chrome(client):
    from django.contrib.staticfiles import finders

    with open(finders.find("akhbar/css/akhbar.css"), encoding="utf-8") as fh:
        css = fh.read()
    assert "@media print" in css and ".share" in css.split("@media print")[1]


def test_author_page_shows_bio(client):
    au = f.author("ليلى حسن")
    au.bio = "صحفية تغطي شؤون التعليم."
    au.save()
    f.article(author=au)
    html = client.get(au.get_absolute_url()).content.decode()
    assert "ليلى حسن" in html and "صحفية تغطي شؤون التعليم." in html
