"""The newsroom admin: dashboard, order, list, editor and moderation queue (issue 15)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from akhbar.comments.models import Comment
from akhbar.newsroom import services
from akhbar.newsroom.models import Article, Author, WorkflowEvent
from tests import factories as f
from tests.newsroom.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = make_user("editor", name="editor1")
    client.force_login(user)
    client.user = user
    return client


def test_dashboard_shows_the_days_work(editor_client):
    now = timezone.now()
    pending = f.article(title="مسودة تنتظر المحرر", status=Article.Status.PENDING)
    f.article(title="خبر مجدول لاحقاً", published_at=now + timedelta(minutes=5))
    f.article(title="خبر نُشر اليوم", published_at=now - timedelta(minutes=1), is_breaking=True)
    f.comment(pending, body="تعليق ينتظر الإشراف", status=Comment.Status.PENDING)
    page = editor_client.get("/admin/").content.decode()
    for text in [
        "بانتظار المراجعة",
        "مسودة تنتظر المحرر",
        "مجدول اليوم",
        "نُشر اليوم",
        "عاجل الآن",
        "الأكثر قراءة اليوم",
        "تعليقات بانتظار الإشراف",
        "تعليق ينتظر الإشراف",
        "/admin/comments/comment/?status__exact=pending",
        "مقال جديد",
        "خبر عاجل جديد",
        "/admin/newsroom/article/add/?is_breaking=on",
    ]:
        assert text in page, text
    if timezone.localtime(now + timedelta(minutes=5)).date() == timezone.localtime(now).date():
        assert "خبر مجدول لاحقاً" in page
    # Staff only see failed jobs if they may read the queue; superusers do.
    assert "مهام خلفية فشلت" not in page


def test_dashboard_failed_jobs_for_superuser(admin_client):
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.create(
        status="FAILED",
        task_path="akhbar.example.tasks.broken",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        exception_class_path="builtins.ValueError",
        traceback="Traceback: boom",
    )
    page = admin_client.get("/admin/").content.decode()
    assert "مهام خلفية فشلت" in page and "broken" in page
    assert "?failure=final" in page  # the pipeline admin's "failed for good" filter


def test_app_order_articles_first_import_last(admin_client):
    response = admin_client.get("/admin/")
    labels = [app["app_label"] for app in response.context["app_list"]]
    assert labels[0] == "newsroom" and labels[-1] == "importers"
    assert response.context["app_list"][0]["models"][0]["object_name"] == "Article"
    names = [app["name"] for app in response.context["app_list"]]
    assert "Tasks Database Backend" not in names


def test_admin_uses_the_sites_fonts_and_static_theme(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert "backoffice/admin.css" in page and "backoffice/admin.js" in page
    from django.contrib.staticfiles import finders

    css = Path(finders.find("backoffice/admin.css")).read_text(encoding="utf-8")
    assert "noto-naskh-arabic" in css and "Akhbar Kufi" in css


def test_article_list_chips_quick_filters_and_arabic_dates(editor_client):
    mine = f.article(title="مقالي الخاص", status=Article.Status.DRAFT)
    Article.objects.filter(pk=mine.pk).update(created_by=editor_client.user)
    f.article(title="مقال زميل قيد المراجعة", status=Article.Status.PENDING)
    when = timezone.now().replace(month=12, day=1, hour=6, minute=35)
    f.article(title="خبر قديم", published_at=when - timedelta(days=365))
    page = editor_client.get("/admin/newsroom/article/").content.decode()
    assert 'class="bo-chip bo-chip--pending"' in page and "bo-chip--draft" in page
    for label in ["مقالاتي", "بانتظار المراجعة", "مجدولة", "نُشرت اليوم"]:
        assert label in page
    # Arabic date order: day, month, year, then the time ("1 ديسمبر 2025، 6:35 ص").
    local = timezone.localtime(when - timedelta(days=365))
    assert f"{local.day} ديسمبر {local.year}، " in page
    mine_page = editor_client.get("/admin/newsroom/article/?quick=mine").content.decode()
    assert "مقالي الخاص" in mine_page and "مقال زميل" not in mine_page
    pending_page = editor_client.get("/admin/newsroom/article/?quick=pending").content.decode()
    assert "مقال زميل قيد المراجعة" in pending_page and "مقالي الخاص" not in pending_page


def test_workflow_log_speaks_arabic(editor_client):
    article = f.article(title="خبر للسجل", status=Article.Status.DRAFT)
    WorkflowEvent.objects.create(
        article=article, action="published", from_status="draft", to_status="published"
    )
    page = editor_client.get(f"/admin/newsroom/article/{article.pk}/change/").content.decode()
    log = page[page.index("سجل سير العمل") :]
    assert "مسودة" in log and "منشور" in log
    assert ">draft<" not in log and ">published<" not in log


def test_view_on_site_opens_the_preview_for_a_draft(editor_client):
    draft = f.article(title="مسودة للمعاينة", status=Article.Status.DRAFT)
    page = editor_client.get(f"/admin/newsroom/article/{draft.pk}/change/").content.decode()
    assert f"/preview/{draft.pk}/" in page
    assert editor_client.get(f"/preview/{draft.pk}/").status_code == 200
    live = f.article(title="خبر منشور")
    page = editor_client.get(f"/admin/newsroom/article/{live.pk}/change/").content.decode()
    assert live.get_absolute_url() in page


def test_author_profile_created_and_defaulted_for_staff(client):
    user = get_user_model().objects.create_superuser("chief", "c@example.org", "x-long-pass-1")
    client.force_login(user)
    page = client.get("/admin/newsroom/article/add/").content.decode()
    profile = Author.objects.get(user=user)
    assert profile.display_name == "chief"
    assert f'<option value="{profile.pk}" selected>' in page
    # A second visit reuses the profile.
    client.get("/admin/newsroom/article/add/")
    assert Author.objects.filter(user=user).count() == 1


def test_editor_form_counters_thumbnail_and_arabic_file_input(editor_client):
    page = editor_client.get("/admin/newsroom/article/add/").content.decode()
    assert 'data-counter="60"' in page and 'data-counter="160"' in page
    assert "اختر صورة" in page and 'class="bo-file__input"' in page
    assert 'data-ensure-url="/admin/related/tags/ensure/"' in page
    assert 'placeholder="سنة-شهر-يوم"' in page


def test_editor_shows_a_thumbnail_of_the_current_image(editor_client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.newsroom.conftest import jpeg_bytes

    settings.MEDIA_ROOT = tmp_path
    article = f.article(title="خبر مصوّر", image_alt="صورة")
    article.featured_image = SimpleUploadedFile("photo.jpg", jpeg_bytes(400, 300))
    article.save()
    page = editor_client.get(f"/admin/newsroom/article/{article.pk}/change/").content.decode()
    assert 'class="bo-thumb"' in page and article.featured_image.url in page


# --- Moderation queue ----------------------------------------------------------------------


def test_queue_opens_on_pending_with_probability_and_reasons(editor_client):
    article = f.article()
    f.comment(article, body="تعليق مقبول سابقاً")
    f.comment(
        article,
        body="تعليق ينتظر القرار",
        status=Comment.Status.PENDING,
        spam_probability=0.62,
        spam_reasons=[{"check": "classifier", "verdict": "hold", "reason": "كلمة «اضغط»"}],
    )
    page = editor_client.get("/admin/comments/comment/").content.decode()
    assert "تعليق ينتظر القرار" in page and "تعليق مقبول سابقاً" not in page
    assert "62٪" in page and "كلمة «اضغط»" in page
    assert 'data-shortcut="a"' in page and 'data-shortcut="s"' in page
    assert "موافقة للمحدد" in page
    every = editor_client.get("/admin/comments/comment/?status__exact=all").content.decode()
    assert "تعليق مقبول سابقاً" in every


def test_one_click_and_bulk_decisions(editor_client):
    article = f.article()
    one, two, three = (
        f.comment(article, body=f"تعليق {n}", status=Comment.Status.PENDING) for n in range(3)
    )
    r = editor_client.post(
        f"/admin/comments/comment/{one.pk}/moderate/approve/",
        {"next": "/admin/comments/comment/"},
    )
    assert r.status_code == 302 and r["Location"] == "/admin/comments/comment/"
    one.refresh_from_db()
    assert one.status == Comment.Status.APPROVED
    r = editor_client.post(
        "/admin/comments/comment/moderate-selected/spam/",
        {"_selected_action": [two.pk, three.pk]},
    )
    assert r.status_code == 302
    assert set(
        Comment.objects.filter(pk__in=[two.pk, three.pk]).values_list("status", flat=True)
    ) == {"spam"}
    messages = [str(m) for m in r.wsgi_request._messages]
    assert messages[-1] == "صُنّف كمزعج: تعليقان."
    # An unknown decision or a GET is refused, never a 500.
    assert editor_client.post(f"/admin/comments/comment/{one.pk}/moderate/nuke/").status_code == 403
    assert editor_client.get(f"/admin/comments/comment/{one.pk}/moderate/spam/").status_code == 405
    # A redirect target elsewhere is ignored.
    r = editor_client.post(
        f"/admin/comments/comment/{one.pk}/moderate/trash/", {"next": "https://evil.example/"}
    )
    assert r["Location"] == "/admin/comments/comment/"


def test_contributor_cannot_moderate(client):
    user = make_user("contributor", name="c1")
    client.force_login(user)
    comment = f.comment(f.article(), status=Comment.Status.PENDING)
    r = client.post(f"/admin/comments/comment/{comment.pk}/moderate/approve/")
    assert r.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_demo_spam_is_filed_as_spam_not_pending():
    from akhbar.demo.newsroom import load_demo

    load_demo()
    spam = Comment.objects.get(body__contains="اضغط الرابط")
    assert spam.status == Comment.Status.SPAM
    assert spam.spam_probability and spam.spam_probability >= 0.9
    assert spam.spam_reasons


def test_publish_via_service_still_records_arabic_states(editor_client):
    article = f.article(status=Article.Status.DRAFT)
    services.publish(article, editor_client.user)
    page = editor_client.get(f"/admin/newsroom/article/{article.pk}/change/").content.decode()
    assert "نُشر" in page
