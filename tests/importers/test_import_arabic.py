"""The hand-written Arabic export: every kind of record, imported, re-imported, redirected."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from akhbar.comments.models import Comment
from akhbar.importers.models import ImportedItem, LegacyUrl
from akhbar.importers.wordpress import WordPressImporter
from akhbar.newsroom.models import Article, Author, Category, Tag
from akhbar.site.models import Page
from tests.importers.conftest import ARABIC

pytestmark = pytest.mark.django_db

BASE = "https://akhbar-old.example.org"


def q(text: str) -> str:
    return quote(text).lower()


@pytest.fixture
def report():
    return WordPressImporter().import_file(ARABIC)


def test_everything_is_imported(report):
    assert report.ok, report.fatal
    assert report.errors == []
    assert Article.objects.count() == 4  # the trashed post is skipped
    assert report.skipped[("post", "status trash")] == 1
    assert Page.objects.count() == 1
    assert Author.objects.count() == 2
    assert Category.objects.filter(slug__in=["news-ar", "محليات", "العاصمة", "رياضة"]).count() == 4
    assert {"ثقافة", "كتب", "كرة القدم"} <= set(Tag.objects.values_list("name", flat=True))


def test_authors_become_users_with_unusable_passwords(report):
    user = get_user_model().objects.get(username="samira")
    assert not user.has_usable_password()
    assert user.email == "samira@example.org"
    assert user.author_profile.display_name == "سميرة الحسن"


def test_nested_categories_child_before_parent(report):
    capital = Category.objects.get(slug="العاصمة")
    assert capital.parent.slug == "محليات"
    assert capital.parent.parent.slug == "news-ar"


def test_post_fields(report):
    library = Article.objects.get(slug="افتتاح-مكتبة-جديدة-في-المدينة")
    assert library.status == Article.Status.PUBLISHED
    assert library.published_at == datetime(2024, 5, 17, 9, 30, tzinfo=UTC)
    assert library.is_featured
    assert library.category.slug == "العاصمة"
    assert library.author.display_name == "سميرة الحسن"
    assert library.excerpt == "مكتبة عامة جديدة في وسط المدينة."
    assert "<script" not in library.body and "alert" not in library.body
    assert "wp:paragraph" not in library.body
    assert "<figcaption>واجهة المكتبة</figcaption>" in library.body
    assert library.image_alt == "واجهة المكتبة الجديدة"
    assert library.image_caption == "واجهة المكتبة العامة"
    record = ImportedItem.objects.get(kind="post", key="101")
    assert record.data["featured_image_url"].endswith("/2024/05/library.jpg")
    assert set(library.tags.values_list("name", flat=True)) == {"ثقافة", "كتب"}


def test_local_date_without_gmt_uses_time_zone(settings):
    WordPressImporter(time_zone="Asia/Riyadh").import_file(ARABIC)
    match = Article.objects.get(slug="فوز-الفريق-المحلي")
    assert match.published_at == datetime(2024, 5, 18, 17, 0, tzinfo=UTC)  # 20:00 in Riyadh
    assert match.category.slug == "رياضة"
    # Its second category stays visible as a tag.
    assert "محليات" in set(match.tags.values_list("name", flat=True))


def test_statuses(report):
    draft = Article.objects.get(title="مسودة لم تنشر")
    assert draft.status == Article.Status.DRAFT and draft.published_at is None
    scheduled = Article.objects.get(title="خبر مجدول")
    assert scheduled.status == Article.Status.PUBLISHED and scheduled.is_scheduled


def test_comments_threads_and_statuses(report):
    library = Article.objects.get(slug="افتتاح-مكتبة-جديدة-في-المدينة")
    comments = {c.author_name: c for c in library.comments.all()}
    assert len(comments) == 5  # the pingback is skipped
    assert report.skipped[("comment", "pingback/trackback")] == 1
    assert comments["سميرة"].parent == comments["قارئ أول"]
    assert comments["ردّ على الرد"].parent == comments["سميرة"]  # came before its parent
    assert comments["ردّ على الرد"].depth == 2
    assert comments["سميرة"].body == "تفتح يوم السبت إن شاء الله."
    assert comments["بائع"].status == Comment.Status.SPAM
    assert comments["قارئ ثانٍ"].status == Comment.Status.PENDING
    assert comments["قارئ أول"].created_at == datetime(2024, 5, 17, 10, 0, tzinfo=UTC)
    assert str(comments["قارئ أول"].ip_address) == "192.0.2.10"


def test_rerun_updates_instead_of_duplicating(report):
    before = (
        Article.objects.count(), Comment.objects.count(), Category.objects.count(),
        Tag.objects.count(), Page.objects.count(), Author.objects.count(),
        LegacyUrl.objects.count(),
    )  # fmt: skip
    Article.objects.filter(slug="فوز-الفريق-المحلي").update(title="عنوان غيّره محرر")
    again = WordPressImporter().import_file(ARABIC)
    assert again.ok and not again.created
    assert again.updated["post"] == 4 and again.updated["comment"] == 7
    after = (
        Article.objects.count(), Comment.objects.count(), Category.objects.count(),
        Tag.objects.count(), Page.objects.count(), Author.objects.count(),
        LegacyUrl.objects.count(),
    )  # fmt: skip
    assert after == before
    assert Article.objects.filter(title="فوز الفريق المحلي").exists()


def test_command_prints_summary():
    from io import StringIO

    out = StringIO()
    call_command("import_wordpress", str(ARABIC), "--no-progress", stdout=out)
    text = out.getvalue()
    assert "Created" in text and "post" in text and "status trash" in text


@pytest.mark.parametrize(
    "old",
    [
        f"/2024/05/17/{q('افتتاح-مكتبة-جديدة-في-المدينة')}/",
        f"/2024/05/17/{q('افتتاح-مكتبة-جديدة-في-المدينة')}",
        f"/2024/05/17/{quote('افتتاح-مكتبة-جديدة-في-المدينة')}/",  # upper-case hex
        "/?p=101",
        "/index.php?p=101",
    ],
)
def test_old_post_urls_redirect(report, legacy_urls, client, old):
    library = Article.objects.get(slug="افتتاح-مكتبة-جديدة-في-المدينة")
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == library.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("old", "slug"),
    [
        (f"/category/news-ar/{q('محليات')}/{q('العاصمة')}/", "العاصمة"),
        (f"/category/news-ar/{q('محليات')}", "محليات"),
        ("/?cat=12", "العاصمة"),
    ],
)
def test_old_category_urls_redirect(report, legacy_urls, client, old, slug):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == Category.objects.get(slug=slug).get_absolute_url()


def test_category_url_that_still_exists_is_not_redirected(report, legacy_urls, client):
    assert client.get(f"/category/{q('العاصمة')}/").status_code == 200


def test_old_page_url_redirects(report, legacy_urls, client):
    page = Page.objects.get()
    for old in (f"/{q('من-نحن')}/", "/?page_id=200"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == page.get_absolute_url()
    assert client.get(page.get_absolute_url()).status_code == 200


def test_unknown_old_url_is_a_plain_404(report, legacy_urls, client):
    assert client.get("/2024/05/17/nothing-here/").status_code == 404
    assert client.get("/?p=999999").status_code == 200  # the home page, as before
