"""Public pages: what a reader sees, what they must not see, and what bad URLs do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from akhbar.newsroom.models import Article
from akhbar.site.models import Page, SiteSettings
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_home_shows_breaking_featured_latest_and_category_blocks(client):
    politics = f.category("سياسة")
    sport = f.category("رياضة")
    football = f.category("كرة القدم", parent=sport)
    f.article(title="عاجل: انقطاع الكهرباء", category=politics, is_breaking=True)
    f.article(title="قصة مميزة عن المدينة", category=politics, is_featured=True)
    f.article(title="فوز الفريق في النهائي", category=football)
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'class="ticker"' in html and "عاجل: انقطاع الكهرباء" in html
    assert "قصة مميزة عن المدينة" in html
    # A sub-category's story appears in its parent section's block.
    assert f'id="sec-{sport.pk}"' in html
    assert "فوز الفريق في النهائي" in html


def test_article_page_has_every_part_of_the_seed_page(client):
    SiteSettings.objects.update_or_create(pk=1, defaults={"copyright_holder": "مؤسسة الخبر"})
    a = f.article(title="عنوان الخبر الرئيسي", paragraphs=9, tags=[f.tag("بغداد")])
    sibling = f.article(title="خبر من القسم نفسه", category=a.category)
    f.comment(a, author_name="سلمى", body="تعليق منشور")
    html = client.get(a.get_absolute_url()).content.decode()
    assert "<h1" in html and "عنوان الخبر الرئيسي" in html
    assert "أظهر المزيد" in html and "اظهر المزيد" not in html
    assert "مقالات ذات صلة" in html and sibling.title in html
    assert "اترك تعليقاً" in html
    assert "لن يتم نشر عنوان بريدك الإلكتروني" in html
    assert "الحقول الإلزامية مشار إليها بـ" in html
    assert "للحدّ من التعليقات المزعجة" in html and "/p/privacy/" in html
    assert 'aria-label="زر الذهاب إلى الأعلى"' in html
    assert f"© {timezone.localdate().year} مؤسسة الخبر" in html
    assert "سلمى" in html and "تعليق منشور" in html
    # The whole body is in the HTML even though "show more" collapses part of it.
    assert html.count("<p>") >= 9


def test_hijri_date_follows_the_setting(client):
    a = f.article()
    SiteSettings.objects.update_or_create(pk=1, defaults={"show_hijri_date": True})
    assert 'class="hijri"' in client.get(a.get_absolute_url()).content.decode()
    s = SiteSettings.current()
    s.show_hijri_date = False
    s.save()
    assert 'class="hijri"' not in client.get(a.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.PENDING},
        {"status": Article.Status.ARCHIVED},
        {"published_at": timezone.now() + timedelta(days=1)},  # scheduled
    ],
)
def test_unpublished_articles_are_invisible(client, kwargs):
    hidden = f.article(title="سرّ غرفة الأخبار", **kwargs)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    for url in ["/", hidden.category.get_absolute_url()]:
        assert "سرّ غرفة الأخبار" not in client.get(url).content.decode()


def test_scheduled_article_goes_live_without_cron(client):
    a = f.article(published_at=timezone.now() + timedelta(seconds=1))
    assert client.get(a.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=a.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert client.get(a.get_absolute_url()).status_code == 200


def test_unapproved_comments_are_not_shown(client):
    a = f.article()
    f.comment(a, body="رسالة مزعجة", status="spam")
    f.comment(a, body="بانتظار الإشراف", status="pending")
    html = client.get(a.get_absolute_url()).content.decode()
    assert "رسالة مزعجة" not in html and "بانتظار الإشراف" not in html
    assert "reader@example.org" not in html


def test_archives_paginate_and_reject_bad_pages(client, settings):
    settings.AKHBAR = {**settings.AKHBAR, "ARTICLES_PER_PAGE": 3}
    c = f.category("اقتصاد")
    t = f.tag("النفط")
    au = f.author("ليلى")
    for _ in range(7):
        f.article(category=c, tags=[t], author=au)
    for url in [c.get_absolute_url(), t.get_absolute_url(), au.get_absolute_url()]:
        assert client.get(url).status_code == 200
        assert client.get(url + "?page=3").status_code == 200
        assert client.get(url + "?page=abc").status_code == 200  # first page
        assert client.get(url + "?page=").status_code == 200
        for bad in ["-1", "0", "4", "999999", "99999999999999999999999"]:
            r = client.get(url + f"?page={bad}")
            assert r.status_code == 404, (url, bad)
            assert "الصفحة غير موجودة" in r.content.decode()


def test_unknown_slugs_give_the_arabic_404(client):
    for url in [
        "/news/لا-يوجد/",
        "/category/nothing/",
        "/tag/nothing/",
        "/author/nobody/",
        "/p/nothing/",
        "/news/%D8%A7%ZZ/",
        "/no/such/path/",
    ]:
        r = client.get(url)
        assert r.status_code == 404, url
        body = r.content.decode()
        assert "الصفحة غير موجودة" in body and 'dir="rtl"' in body


def test_static_page(client):
    Page.objects.create(
        slug="about", title="من نحن", body="<p>نحن غرفة أخبار</p><script>x</script>"
    )
    r = client.get("/p/about/")
    assert r.status_code == 200
    assert "نحن غرفة أخبار" in r.content.decode() and "<script>x" not in r.content.decode()


def test_article_body_is_sanitised_on_save():
    a = f.article(
        body='<p onclick="x()">نص</p><script>alert(1)</script><a href="javascript:x">l</a>'
    )
    a.refresh_from_db()
    assert "<script" not in a.body and "onclick" not in a.body and "javascript:" not in a.body
    assert "نص" in a.body


def test_arabic_slug_is_generated_and_unique():
    c = f.category()
    one = Article.objects.create(title="افتتاح المكتبة الوطنية", category=c)
    two = Article.objects.create(title="افتتاح المكتبة الوطنية", category=c)
    assert one.slug == "افتتاح-المكتبة-الوطنية"
    assert two.slug == "افتتاح-المكتبة-الوطنية-2"


def test_excerpt_is_filled_from_first_paragraph():
    a = f.article(excerpt="", body="<p>الفقرة الأولى من الخبر.</p><p>الثانية.</p>")
    assert a.excerpt == "الفقرة الأولى من الخبر."


def test_server_error_page_is_arabic_and_leaks_nothing(client, settings):
    from akhbar.site.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "حدث خطأ غير متوقع" in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize("size", [1, 30])
def test_public_pages_use_bounded_queries(client, django_assert_max_num_queries, size):
    cats = [f.category() for _ in range(3)]
    t = f.tag()
    au = f.author()
    first = None
    for i in range(size):
        a = f.article(category=cats[i % 3], tags=[t], author=au, is_featured=i < 2)
        f.comment(a)
        first = first or a
    SiteSettings.current()
    urls = [
        "/",
        first.get_absolute_url(),
        cats[0].get_absolute_url(),
        t.get_absolute_url(),
        au.get_absolute_url(),
    ]
    for url in urls:
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200


def test_parent_category_archive_includes_subcategory_stories(client):
    sport = f.category("رياضة")
    football = f.category("كرة القدم", parent=sport)
    f.article(title="مباراة القمة", category=football)
    f.article(title="سباق الدراجات", category=sport)
    page = client.get(sport.get_absolute_url()).content.decode()
    assert "مباراة القمة" in page and "سباق الدراجات" in page
    assert "كرة القدم" in page  # the sub-category chip
    child = client.get(football.get_absolute_url()).content.decode()
    assert "مباراة القمة" in child and "سباق الدراجات" not in child


@pytest.mark.parametrize(
    "url", ["/news/%00/", "/category/a%00b/", "/p/%00%ff/", "/preview/s/%00/", "/tag/%00"]
)
def test_nul_bytes_in_urls_are_a_404_on_every_database(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert "الصفحة غير موجودة" in r.content.decode()


def test_nul_bytes_in_query_parameters_are_dropped(client, admin_client):
    c = f.category("اقتصاد")
    f.article(category=c)
    assert client.get(c.get_absolute_url() + "?page=%001").status_code == 200
    assert admin_client.get("/admin/newsroom/article/?q=%00x").status_code == 200
    assert admin_client.get("/admin/comments/comment/?q=a%00").status_code == 200


@pytest.mark.parametrize("model", ["site/sitesettings", "antispam/antispamsettings"])
def test_settings_admins_open_their_single_row(admin_client, model):
    r = admin_client.get(f"/admin/{model}/")
    assert r.status_code == 302 and r["Location"].endswith("/1/change/")
    assert admin_client.get(r["Location"]).status_code == 200
    assert admin_client.get(f"/admin/{model}/add/").status_code == 403


def test_article_query_count_does_not_grow_with_comments(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(article) -> int:
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    SiteSettings.current()  # the row exists, as on any running site
    quiet = f.article()
    busy = f.article(category=quiet.category)
    for i in range(25):
        f.comment(busy, body=f"تعليق {i}")
    assert count(busy) == count(quiet)


def test_optimize_db_command(capsys):
    from django.core.management import call_command

    f.article()
    call_command("optimize_db")
    assert "statistics refreshed" in capsys.readouterr().out


def test_arabic_indic_numerals_apply_to_the_interface_not_to_editors_text(client):
    """One setting: dates, Hijri dates, times, counts, reading time and page numbers follow it;
    a number an editor wrote in a title or the text stays as written."""
    SiteSettings.objects.update_or_create(pk=1, defaults={"numerals": "arabic-indic"})
    a = f.article(title="افتتاح 3 مدارس جديدة", paragraphs=9)
    for _ in range(4):
        f.comment(a)
    for n in range(14):  # two archive pages
        f.article(category=a.category, title=f"خبر القسم {n}")
    page = client.get(a.get_absolute_url()).content.decode()
    assert "افتتاح 3 مدارس جديدة" in page  # editors' text untouched
    meta = page[page.index('class="meta article__meta"') : page.index("</header>")]
    assert not any(d in meta for d in "0123456789"), meta  # date, Hijri date, reading time
    assert "٤ تعليقات" in page
    archive = client.get(a.category.get_absolute_url()).content.decode()
    assert "صفحة ١ من ٢" in archive
    home = client.get("/").content.decode()
    assert "٤ تعليقات" in home and "4 تعليقات" not in home


def test_count_grammar_in_teasers(client):
    a = f.article(title="خبر بتعليق واحد")
    f.comment(a)
    b = f.article(title="خبر بتعليقين")
    f.comment(b)
    f.comment(b)
    home = client.get("/").content.decode()
    assert "تعليق واحد" in home and "تعليقان" in home
    assert "1 تعليق" not in home and "2 تعليق" not in home


def test_home_section_blocks_cost_the_same_queries_for_3_or_25_sections():
    """The sections' newest stories come in one query whatever their number, and each block
    still shows its own newest stories, a sub-section's rolled up, the opinion column apart."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from akhbar.site import services

    now = timezone.now()

    def section_with_stories(n: int, parent=None):
        c = f.category(parent=parent)
        for hours in range(3):
            f.article(
                title=f"قصة {n}-{hours}", category=c, published_at=now - timedelta(hours=hours + n)
            )
        return c

    sections = [section_with_stories(n) for n in range(3)]
    with CaptureQueriesContext(connection) as few:
        services.home_page()
    sections += [section_with_stories(n) for n in range(3, 25)]
    child = section_with_stories(40, parent=sections[0])
    f.article(title="رأي الكاتب", category=sections[1], is_opinion=True, published_at=now)
    with CaptureQueriesContext(connection) as many:
        home = services.home_page()
    assert len(many) == len(few)
    blocks = {b.category.pk: b.articles for b in home.blocks}
    assert child.pk not in blocks  # a sub-section has no block of its own
    shown_top = {a.pk for a in home.featured}
    for section in sections:
        expected = list(
            Article.objects.filter(category__in=[section, *section.children.all()])
            .exclude(pk__in=shown_top)
            .exclude(is_opinion=True)
            .order_by("-published_at", "-id")[:4]
        )
        assert blocks[section.pk] == expected, section.name
    assert any(a.category_id == child.pk for a in blocks[sections[0].pk])
    assert [a.title for a in home.opinion] == ["رأي الكاتب"]


def test_home_section_blocks_fall_back_to_one_query_per_section(monkeypatch):
    """Should Django ever compile the per-section query unexpectedly (the category's value
    not found once among its parameters), the blocks are the same, one query a section."""
    from django.db.models.sql.query import Query

    from akhbar.site import services

    sections = [f.category() for _ in range(3)]
    for i in range(9):
        f.article(category=sections[i % 3])
    expected = [(b.category.pk, b.articles) for b in services.home_page().blocks]
    compile_sql = Query.sql_with_params

    def twice(self):
        sql, params = compile_sql(self)
        return sql, (*params, services._ANY_CATEGORY)

    monkeypatch.setattr(Query, "sql_with_params", twice)
    assert [(b.category.pk, b.articles) for b in services.home_page().blocks] == expected
