"""Draft → pending → published (or scheduled) → archived, logged; previews for staff and links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.core.management import call_command
from django.utils import timezone

from akhbar.core import events
from akhbar.newsroom import services
from akhbar.newsroom.models import Article, WorkflowEvent
from tests import factories as f
from tests.newsroom.conftest import make_user

pytestmark = pytest.mark.django_db
A = WorkflowEvent.Action


def _draft(owner, **kw) -> Article:
    return f.article(status=Article.Status.DRAFT, published_at=None, created_by=owner, **kw)


def test_full_workflow_is_logged_with_who_and_when():
    writer = make_user("contributor", name="w")
    editor = make_user("editor", name="e")
    a = Article(title="خبر عن المدينة", body="<p>نص</p>", category=f.category())
    services.save_article(a, writer)
    services.submit_for_review(a, writer)
    services.publish(a, editor)
    services.archive(a, editor)
    events = list(a.events.order_by("at", "id"))
    assert [e.action for e in events] == [A.CREATED, A.SUBMITTED, A.PUBLISHED, A.ARCHIVED]
    assert [e.user for e in events] == [writer, writer, editor, editor]
    assert all(e.at <= timezone.now() for e in events)
    assert a.created_by == writer
    assert a.went_live_at is not None


def test_scheduled_article_goes_live_at_its_time_without_cron(client):
    editor = make_user("editor", name="e")
    a = _draft(editor, title="خبر مجدول")
    when = timezone.now() + timedelta(hours=2)
    services.publish(a, editor, when=when)
    assert a.events.first().action == A.SCHEDULED
    assert a.is_scheduled
    assert client.get(a.get_absolute_url()).status_code == 404
    assert "خبر مجدول" not in client.get("/").content.decode()
    # Time passes: the same query now finds it, with no job having run.
    later = when + timedelta(seconds=1)
    assert Article.objects.published(now=later).filter(pk=a.pk).exists()
    Article.objects.filter(pk=a.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert client.get(a.get_absolute_url()).status_code == 200


def test_publish_due_fires_hooks_once():
    editor = make_user("editor", name="e")
    a = _draft(editor)
    services.publish(a, editor, when=timezone.now() + timedelta(minutes=5))
    seen = []
    events.subscribe(events.ArticlePublished, lambda e: seen.append(e.article_id), name="t")
    try:
        assert services.publish_due() == []
        assert seen == []  # scheduled: nobody hears of it yet
        Article.objects.filter(pk=a.pk).update(published_at=timezone.now() - timedelta(seconds=1))
        call_command("publish_due", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert services.publish_due() == []  # only once
    finally:
        events.unsubscribe(events.ArticlePublished, name="t")
    assert seen == [a.pk]
    assert a.events.filter(action=A.WENT_LIVE).count() == 1


def test_staff_preview_of_a_draft(client):
    editor = make_user("editor", name="e")
    other = make_user("author", name="o")
    stranger = make_user("author", name="s")
    a = _draft(other, title="مسودة سرية")
    assert client.get(f"/preview/{a.pk}/").status_code == 302  # login first
    client.force_login(editor)
    r = client.get(f"/preview/{a.pk}/")
    assert r.status_code == 200 and "مسودة سرية" in r.content.decode()
    assert "معاينة" in r.content.decode()
    assert r["X-Robots-Tag"].startswith("noindex") and "no-store" in r["Cache-Control"]
    assert "data-hit-url" not in r.content.decode()  # previews do not count as reads
    client.force_login(stranger)  # an author may not preview a colleague's draft
    assert client.get(f"/preview/{a.pk}/").status_code == 404
    assert client.get("/preview/999999/").status_code == 404


def test_signed_preview_link_works_without_account_and_expires(client, settings):
    a = _draft(None, title="مسودة للمشاركة")
    token = services.preview_token(a)
    r = client.get(f"/preview/s/{token}/")
    assert r.status_code == 200 and "مسودة للمشاركة" in r.content.decode()
    # Tampered: another article id with the same signature.
    assert (
        client.get(f"/preview/s/{token.replace(str(a.pk), str(a.pk + 1), 1)}/").status_code == 404
    )
    assert client.get("/preview/s/garbage/").status_code == 404
    assert client.get("/preview/s/%00%ff/").status_code == 404
    # Expired: a token signed 49 hours ago.
    old = signing.TimestampSigner(salt=services.PREVIEW_SALT)
    value = str(a.pk)
    past = signing.b62_encode(int(timezone.now().timestamp()) - 49 * 3600)
    expired = f"{value}:{past}"
    expired = f"{expired}:{old.signature(expired)}"
    assert client.get(f"/preview/s/{expired}/").status_code == 404
    settings.AKHBAR = {**settings.AKHBAR, "PREVIEW_LINK_HOURS": 72}
    assert client.get(f"/preview/s/{expired}/").status_code == 200


def test_admin_preview_link_page(client):
    editor = make_user("editor", name="e")
    a = _draft(editor)
    client.force_login(editor)
    html = client.get(f"/admin/newsroom/article/{a.pk}/preview-link/").content.decode()
    assert "/preview/s/" in html and "48" in html


def test_publish_command_is_documented_in_help():
    from akhbar.newsroom.management.commands.publish_due import Command

    assert "went live" in Command.help
