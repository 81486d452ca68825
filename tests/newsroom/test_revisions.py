"""Revisions on every save, a word-level Arabic diff, restore, and "آخر تحديث" for readers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from akhbar.newsroom import revisions, services
from akhbar.newsroom.models import Article, Revision
from tests import factories as f
from tests.newsroom.conftest import make_user

pytestmark = pytest.mark.django_db


def test_every_content_save_keeps_a_revision_with_who():
    editor = make_user("editor", name="e")
    a = f.article(title="العنوان الأول", body="<p>الجملة الأولى من الخبر.</p>")
    assert a.revisions.count() == 1
    a.body = "<p>الجملة الأولى المعدلة من الخبر.</p>"
    services.save_article(a, editor, a.status)
    assert a.revisions.count() == 2
    assert a.revisions.first().created_by == editor
    # Saving with no change to the words does not add noise.
    a.is_featured = True
    services.save_article(a, editor, a.status)
    assert a.revisions.count() == 2


def test_word_diff_marks_arabic_words_and_escapes_html():
    html = revisions.word_diff("قال الوزير إن الخطة جاهزة", "قال رئيس الوزراء إن الخطة <b>جاهزة")
    assert "<del>الوزير</del>" in html
    assert "<ins>رئيس الوزراء</ins>" in html
    assert "<b>" not in html and "&lt;b&gt;" in html


def test_admin_diff_and_restore(client):
    editor = make_user("editor", name="e")
    a = f.article(title="خبر أول", body="<p>كان الطقس مشمساً في بغداد.</p>")
    first = a.revisions.get()
    a.title = "خبر معدّل"
    a.body = "<p>كان الطقس ممطراً في بغداد.</p>"
    a.save()
    client.force_login(editor)
    html = client.get(f"/admin/newsroom/article/{a.pk}/revisions/").content.decode()
    assert "<del>مشمساً</del>" in html and "<ins>ممطراً</ins>" in html
    assert "<del>أول</del>" in html
    # Bad ids fall back to the defaults instead of failing.
    assert client.get(f"/admin/newsroom/article/{a.pk}/revisions/?a=x&b=99999").status_code == 200
    r = client.post(f"/admin/newsroom/article/{a.pk}/revisions/{first.pk}/restore/")
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.title == "خبر أول" and "مشمساً" in a.body
    assert a.revisions.count() == 3
    assert (
        client.get(f"/admin/newsroom/article/{a.pk}/revisions/{first.pk}/restore/").status_code
        == 405
    )
    assert (
        client.post(f"/admin/newsroom/article/{a.pk}/revisions/999999/restore/").status_code == 404
    )


def test_contributor_cannot_restore_a_colleagues_article(client):
    c = make_user("contributor", name="c")
    a = f.article()
    client.force_login(c)
    rev = a.revisions.get()
    assert (
        client.post(f"/admin/newsroom/article/{a.pk}/revisions/{rev.pk}/restore/").status_code
        == 403
    )


def test_last_updated_only_for_content_edits_after_publication(client):
    a = f.article(title="خبر", published_at=timezone.now() - timedelta(hours=3))
    assert "آخر تحديث" not in client.get(a.get_absolute_url()).content.decode()
    Article.objects.filter(pk=a.pk).update(view_count=500)  # reads are not an edit
    a.refresh_from_db()
    a.is_featured = True
    a.save()
    assert "آخر تحديث" not in client.get(a.get_absolute_url()).content.decode()
    a.body += "<p>فقرة جديدة أضيفت بعد النشر.</p>"
    a.correction_note = "ذكرت نسخة سابقة أن الجسر افتُتح أمس، والصحيح أنه افتُتح اليوم."
    a.save()
    html = client.get(a.get_absolute_url()).content.decode()
    assert "آخر تحديث" in html
    assert "تصحيح:" in html and "والصحيح أنه افتُتح اليوم" in html


def test_correction_note_is_escaped(client):
    a = f.article(correction_note="<script>alert(1)</script>")
    html = client.get(a.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_revision_str():
    a = f.article()
    assert a.title in str(Revision.objects.get(article=a))


def test_auto_excerpt_uses_the_first_paragraph_only():
    a = f.article(excerpt="", body="مقدمة بلا وسم<h2>عنوان</h2><p>فقرة</p>")
    assert a.excerpt == "مقدمة بلا وسم"
    b = f.article(excerpt="", body="<h2>عنوان فرعي</h2><p>الفقرة الأولى.</p><p>الثانية.</p>")
    assert b.excerpt == "الفقرة الأولى."
