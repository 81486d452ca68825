"""Whole-page caching: fast for anonymous readers, never stale after an edit returns,
never per-reader."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from akhbar.comments.models import Comment
from akhbar.newsroom.models import Article
from akhbar.site.models import SiteSettings
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_second_anonymous_request_is_a_hit_with_cdn_headers(client, django_assert_num_queries):
    a = f.article(title="خبر مخزّن")
    first = client.get(a.get_absolute_url())
    assert first["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second = client.get(a.get_absolute_url())
    assert second["X-Cache"] == "HIT" and second.content == first.content
    control = second["Cache-Control"]
    assert "public" in control and "s-maxage=" in control and "stale-while-revalidate=" in control
    assert "site-article" in second["Surrogate-Key"] and second["ETag"]
    assert second["Cache-Tag"] == second["Surrogate-Key"].replace(" ", ",")
    assert "listing" in client.get("/")["Surrogate-Key"]


def test_conditional_get_answers_304(client):
    a = f.article()
    etag = client.get(a.get_absolute_url())["ETag"]
    assert client.get(a.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(a.get_absolute_url(), HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_edits_unpublishing_and_settings_are_seen_at_once(client):
    a = f.article(title="العنوان الأول")
    assert "العنوان الأول" in client.get("/").content.decode()
    assert "العنوان الأول" in client.get(a.get_absolute_url()).content.decode()
    a.title = "العنوان المصحّح"
    a.save()
    assert "العنوان المصحّح" in client.get("/").content.decode()
    assert "العنوان المصحّح" in client.get(a.get_absolute_url()).content.decode()
    a.status = Article.Status.DRAFT
    a.save()
    assert client.get(a.get_absolute_url()).status_code == 404
    assert "العنوان المصحّح" not in client.get("/").content.decode()
    s = SiteSettings.current()
    s.site_name = "اسم جديد للموقع"
    s.save()
    assert "اسم جديد للموقع" in client.get("/").content.decode()


def test_approving_a_comment_refreshes_the_article_page(client):
    a = f.article()
    c = f.comment(a, body="تعليق ينتظر", status="pending")
    assert "تعليق ينتظر" not in client.get(a.get_absolute_url()).content.decode()
    c = Comment.objects.get(pk=c.pk)
    c.status = "approved"
    c.save()
    assert "تعليق ينتظر" in client.get(a.get_absolute_url()).content.decode()


def test_spam_does_not_flush_the_cache(client):
    a = f.article()
    client.get(a.get_absolute_url())
    f.comment(a, status="spam")
    assert client.get(a.get_absolute_url())["X-Cache"] == "HIT"


def test_logged_in_users_pending_commenters_and_posts_bypass(client, django_user_model):
    a = f.article()
    client.get(a.get_absolute_url())
    staff = Client()
    staff.force_login(django_user_model.objects.create_user("ed", password="x-123456789"))
    r = staff.get(a.get_absolute_url())
    assert "X-Cache" not in r and "private" in r["Cache-Control"]
    commenter = Client()
    commenter.cookies["akhbar_comments"] = "anything"
    assert "X-Cache" not in commenter.get(a.get_absolute_url())
    assert "X-Cache" not in client.get(f"/comments/state/{a.pk}/")


def test_scheduled_article_appears_on_time_despite_the_cache(client):
    f.article(title="خبر حالي")
    f.article(title="خبر مجدول", published_at=timezone.now() + timedelta(seconds=2))
    assert "خبر مجدول" not in client.get("/").content.decode()
    time.sleep(3.1)
    assert "خبر مجدول" in client.get("/").content.decode()


def test_cache_can_be_turned_off(client, settings):
    settings.AKHBAR = {**settings.AKHBAR, "PAGE_CACHE": False}
    a = f.article()
    client.get(a.get_absolute_url())
    assert "X-Cache" not in client.get(a.get_absolute_url())
