"""Every role against every action: what is allowed and what is refused, in services and admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from akhbar.newsroom import roles, services
from akhbar.newsroom.models import Article
from tests import factories as f
from tests.newsroom.conftest import make_user

pytestmark = pytest.mark.django_db

ACTIONS = [
    "create",
    "edit_own",
    "edit_others",
    "publish",
    "schedule",
    "delete",
    "moderate",
    "change_settings",
]
# role -> actions allowed. "delete" is checked on the user's own article; deleting others'
# is only for editors and administrators (checked separately below).
MATRIX = {
    "contributor": {"create", "edit_own"},
    "author": {"create", "edit_own", "publish", "schedule", "delete"},
    "editor": {
        "create",
        "edit_own",
        "edit_others",
        "publish",
        "schedule",
        "delete",
        "moderate",
    },
    "administrator": set(ACTIONS),
    None: set(),  # staff account with no role
}


def _draft(owner, **kw) -> Article:
    return f.article(status=Article.Status.DRAFT, published_at=None, created_by=owner, **kw)


def _try(action: str, user, other) -> bool:
    """Perform ``action`` through the services; True if it went through."""
    try:
        if action == "create":
            a = Article(title="خبر جديد", category=f.category(), status=Article.Status.DRAFT)
            services.save_article(a, user)
        elif action == "edit_own":
            a = _draft(user)
            a.title = "عنوان معدّل"
            services.save_article(a, user, a.status)
        elif action == "edit_others":
            a = _draft(other)
            a.title = "عنوان معدّل"
            services.save_article(a, user, a.status)
        elif action == "publish":
            services.publish(_draft(user), user)
        elif action == "schedule":
            services.publish(_draft(user), user, when=timezone.now() + timedelta(hours=3))
        elif action == "delete":
            services.delete_article(_draft(user), user)
        elif action == "moderate":
            if not roles.can_moderate(user):
                raise PermissionDenied
        elif action == "change_settings" and not roles.can_change_settings(user):
            raise PermissionDenied
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize("role", [*roles.ROLES, None])
@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix_in_services(role, action):
    user = make_user(role, name=f"u-{role}")
    other = make_user("author", name="other")
    assert _try(action, user, other) is (action in MATRIX[role]), (role, action)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("contributor", False), ("author", False), ("editor", True), ("administrator", True)],
)
def test_only_editors_delete_or_publish_others_articles(role, allowed):
    user = make_user(role, name=f"u-{role}")
    other = make_user("author", name="other")
    assert roles.can_delete(user, _draft(other)) is allowed
    assert roles.can_publish(user, _draft(other)) is allowed


def test_contributor_cannot_edit_own_article_once_published():
    user = make_user("contributor", name="c")
    editor = make_user("editor", name="e")
    a = _draft(user)
    services.submit_for_review(a, user)
    services.publish(a, editor)
    assert not roles.can_edit(user, a)


def test_roles_are_groups_created_by_the_migration():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"مساهم", "كاتب", "محرر", "مدير الموقع"} <= names
    editor = Group.objects.get(name="محرر")
    codes = {p.codename for p in editor.permissions.all()}
    assert {"change_comment", "change_category", "edit_others_article"} <= codes
    assert "change_sitesettings" not in codes


# --- The same rules in the admin --------------------------------------------------------------


ADMIN_MATRIX = {
    # role: (sees others' article in list, may open it, may open own, add page, settings page)
    "contributor": (False, False, True, True, False),
    "author": (False, False, True, True, False),
    "editor": (True, True, True, True, False),
    "administrator": (True, True, True, True, True),
}


@pytest.mark.parametrize("role", list(ADMIN_MATRIX))
def test_admin_enforces_roles(client, role):
    user = make_user(role, name=f"u-{role}")
    other = make_user("author", name="other")
    theirs = _draft(other, title="مقال زميل")
    mine = _draft(user, title="مقالي أنا")
    client.force_login(user)
    listing = client.get("/admin/newsroom/article/").content.decode()
    sees, opens_theirs, opens_mine, adds, settings_page = ADMIN_MATRIX[role]
    assert opens_mine
    assert ("مقال زميل" in listing) is sees
    assert "مقالي أنا" in listing
    r = client.get(f"/admin/newsroom/article/{theirs.pk}/change/")
    assert (r.status_code == 200) is opens_theirs, r.status_code
    assert client.get(f"/admin/newsroom/article/{mine.pk}/change/").status_code == 200
    assert (client.get("/admin/newsroom/article/add/").status_code == 200) is adds
    r = client.get("/admin/site/sitesettings/1/change/")
    assert (r.status_code == 200) is settings_page, r.status_code
    r = client.get("/admin/comments/comment/")
    assert (r.status_code == 200) is (role in ("editor", "administrator"))


def test_contributor_status_choices_stop_at_review(client):
    user = make_user("contributor", name="c")
    client.force_login(user)
    html = client.get("/admin/newsroom/article/add/").content.decode()
    assert 'value="pending"' in html
    assert 'value="published"' not in html
