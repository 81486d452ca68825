"""The audit log: fed by logins, role changes, publications and settings; readable by
administrators; changed by nobody, not even through the database."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import DatabaseError, connection, transaction
from django.test import Client

from akhbar.audit.models import AppendOnlyError, AuditEntry
from akhbar.audit.services import record
from akhbar.core import events
from akhbar.newsroom import roles
from tests import factories as f
from tests.newsroom.conftest import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "كلمة-سر-طويلة-123"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def test_logins_failures_and_logouts_with_the_address():
    make_user("editor", "audited")
    c = Client(REMOTE_ADDR="198.51.100.9")
    c.post("/admin/login/", {"username": "audited", "password": "خطأ"})
    c.post("/admin/login/", {"username": "audited", "password": PASSWORD})
    c.post("/admin/logout/")
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries][-3:] == ["login_failed", "login", "logout"]
    failed = entries[-3]
    assert failed.target_repr == "audited" and failed.ip == "198.51.100.9"
    assert PASSWORD not in str(failed.details) and "خطأ" not in str(failed.details)
    assert entries[-2].actor_name == "audited"


def test_role_and_permission_changes_name_the_actor():
    admin_user = make_user("administrator", "boss")
    writer = make_user("contributor", "writer")
    c = Client()
    c.force_login(admin_user)
    editor_group = Group.objects.get(name=roles.group_name("editor"))
    baseline = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    r = c.post(
        f"/admin/auth/user/{writer.pk}/change/",
        {
            "username": "writer", "email": writer.email, "is_active": "on", "is_staff": "on",
            "groups": [str(editor_group.pk)], "date_joined_0": "2024-01-01",
            "date_joined_1": "00:00:00",
        },
    )  # fmt: skip
    assert r.status_code == 302
    changes = AuditEntry.objects.filter(
        action="groups_changed", target_id=str(writer.pk), id__gt=baseline
    )
    assert changes.exists() and all(e.actor_name == "boss" for e in changes)
    assert any(roles.group_name("editor") in e.details["names"] for e in changes)
    assert AuditEntry.objects.filter(action="admin_changed", actor_name="boss").exists()
    # Outside a request (a shell, a script), changes are still logged.
    writer.is_superuser = True
    writer.save()
    writer.user_permissions.add(Permission.objects.get(codename="change_user"))
    entry = AuditEntry.objects.filter(action="account_flags_changed").latest("id")
    assert entry.details["changes"]["is_superuser"] == [False, True]
    assert AuditEntry.objects.filter(action="permissions_changed").exists()


def test_publication_and_settings_events(django_capture_on_commit_callbacks):
    editor = make_user("editor", "publisher")
    article = f.article(title="خبر للتدقيق")
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(events.ArticlePublished(article_id=article.pk, actor_id=editor.pk))
        events.emit(events.ArticleUnpublished(article_id=article.pk, actor_id=editor.pk))
        events.emit(events.ArticleDeleted(article_id=article.pk, actor_id=editor.pk))
        events.emit(events.SiteSettingsChanged(actor_id=editor.pk))
    assert actions()[-4:] == [
        "article_published", "article_unpublished", "article_deleted", "settings_changed",
    ]  # fmt: skip
    # The factory published the article through the write path too (no actor): take ours.
    published = AuditEntry.objects.filter(action="article_published").latest("id")
    assert published.actor_name == "publisher" and published.target_repr == "خبر للتدقيق"


def test_nobody_can_change_or_delete_an_entry():
    record("login", target_repr="x")
    entry = AuditEntry.objects.latest("id")
    entry.action = "nothing"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(action="nothing")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    # Not even with SQL.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'nothing'")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.get(pk=entry.pk).action == "login"


def test_administrators_read_it_nobody_edits_it():
    record("login", target_repr="x")
    entry = AuditEntry.objects.latest("id")
    superuser = get_user_model().objects.create_superuser("root", "r@example.org", PASSWORD)
    for user, can_read in [
        (make_user("administrator", "reader-admin"), True),
        (superuser, True),
        (make_user("editor", "reader-editor"), False),
        (make_user("author", "reader-author"), False),
    ]:
        c = Client()
        c.force_login(user)
        listing = c.get("/admin/audit/auditentry/")
        assert (listing.status_code == 200) is can_read, user
        if not can_read:
            continue
        assert "تسجيل دخول" in listing.content.decode()
        change = c.get(f"/admin/audit/auditentry/{entry.pk}/change/")
        assert change.status_code == 200 and 'name="action"' not in change.content.decode()
        c.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"action": "nothing"})
        deleted = c.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"})
        assert deleted.status_code == 403
        assert c.get("/admin/audit/auditentry/add/").status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "login"


def test_public_pages_do_not_touch_the_session():
    f.article()
    r = Client().get("/")
    assert "Cookie" not in r.get("Vary", "")
