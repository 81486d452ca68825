"""Every role against the user admin: change self, change others, change a superuser, add a
user with each flag. Only superusers can grant superuser status, permissions or account-
managing groups; a site administrator manages editorial accounts only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client

from akhbar.newsroom import roles
from tests.newsroom.conftest import make_user

pytestmark = pytest.mark.django_db
User = get_user_model()
ROLES = [None, *roles.ROLES]


@pytest.fixture(autouse=True)
def _fast_hashers(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def group(role: str) -> Group:
    return Group.objects.get(name=roles.group_name(role))


def change_data(user, **overrides) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "groups": [str(g.pk) for g in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


@pytest.fixture
def superuser():
    return User.objects.create_superuser("admin", "admin@example.org", "كلمة-سر-المدير-1")


@pytest.mark.parametrize("role", ROLES)
def test_nobody_but_a_superuser_makes_themself_superuser(role, superuser):
    user = make_user(role, f"self-{role}")
    c = client_for(user)
    perm = Permission.objects.get(codename="change_user")
    r = c.post(
        f"/admin/auth/user/{user.pk}/change/",
        change_data(
            user,
            is_superuser="on",
            is_staff="on",
            groups=[str(g.pk) for g in Group.objects.all()],
            user_permissions=[str(perm.pk)],
        ),
    )
    assert r.status_code in (200, 302, 403)
    user.refresh_from_db()
    assert not user.is_superuser
    assert not user.user_permissions.exists()
    before = {g.name for g in Group.objects.filter(user=user)}
    assert before == ({roles.group_name(role)} if role else set())


@pytest.mark.parametrize("role", ROLES)
def test_nobody_but_a_superuser_touches_a_superuser(role, superuser):
    user = make_user(role, f"other-{role}")
    c = client_for(user)
    r = c.get(f"/admin/auth/user/{superuser.pk}/change/")
    assert r.status_code in (302, 403, 404)
    r = c.post(f"/admin/auth/user/{superuser.pk}/change/", change_data(superuser, email="x@evil"))
    r = c.post(
        f"/admin/auth/user/{superuser.pk}/password/",
        {"password1": "مرور-جديد-للمهاجم-9", "password2": "مرور-جديد-للمهاجم-9"},
    )
    r = c.post(f"/admin/auth/user/{superuser.pk}/delete/", {"post": "yes"})
    superuser.refresh_from_db()
    assert superuser.email == "admin@example.org"
    assert superuser.check_password("كلمة-سر-المدير-1")
    if role is not None:
        listing = c.get("/admin/auth/user/").content.decode()
        assert f"/admin/auth/user/{superuser.pk}/change/" not in listing


def test_site_administrator_manages_editorial_accounts():
    admin_user = make_user("administrator", "site-admin")
    writer = make_user("contributor", "writer")
    c = client_for(admin_user)
    r = c.post(
        f"/admin/auth/user/{writer.pk}/change/",
        change_data(writer, email="new@example.org", groups=[str(group("editor").pk)]),
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    writer.refresh_from_db()
    assert writer.email == "new@example.org"
    assert [g.name for g in writer.groups.all()] == [roles.group_name("editor")]
    r = c.post(
        f"/admin/auth/user/{writer.pk}/password/",
        {"password1": "مرور-جديد-للكاتب-7", "password2": "مرور-جديد-للكاتب-7"},
    )
    assert r.status_code == 302
    writer.refresh_from_db()
    assert writer.check_password("مرور-جديد-للكاتب-7")


def test_site_administrator_cannot_grant_administrator_or_permissions():
    admin_user = make_user("administrator", "site-admin")
    writer = make_user("contributor", "writer")
    c = client_for(admin_user)
    perm = Permission.objects.get(codename="change_user")
    c.post(
        f"/admin/auth/user/{writer.pk}/change/",
        change_data(
            writer,
            groups=[str(group("administrator").pk)],
            is_superuser="on",
            user_permissions=[str(perm.pk)],
        ),
    )
    writer.refresh_from_db()
    assert not writer.is_superuser and not writer.user_permissions.exists()
    assert [g.name for g in writer.groups.all()] == [roles.group_name("contributor")]
    form = c.get(f"/admin/auth/user/{writer.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in form and 'name="user_permissions"' not in form


def test_site_administrator_cannot_edit_another_administrator():
    admin_user = make_user("administrator", "site-admin")
    other = make_user("administrator", "other-admin")
    c = client_for(admin_user)
    page = c.get(f"/admin/auth/user/{other.pk}/change/")
    assert page.status_code in (200, 403) and 'name="email"' not in page.content.decode()
    c.post(f"/admin/auth/user/{other.pk}/change/", change_data(other, email="x@evil.example"))
    c.post(
        f"/admin/auth/user/{other.pk}/password/",
        {"password1": "مرور-جديد-للمهاجم-9", "password2": "مرور-جديد-للمهاجم-9"},
    )
    other.refresh_from_db()
    assert other.check_password("كلمة-سر-طويلة-123") and other.email != "x@evil.example"


def test_site_administrator_changes_own_name_but_not_own_flags():
    admin_user = make_user("administrator", "site-admin")
    c = client_for(admin_user)
    r = c.post(
        f"/admin/auth/user/{admin_user.pk}/change/",
        change_data(admin_user, first_name="سلمى", is_superuser="on"),
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    admin_user.refresh_from_db()
    assert admin_user.first_name == "سلمى" and not admin_user.is_superuser


@pytest.mark.parametrize("flag", ["is_superuser", "is_staff", "is_active"])
def test_site_administrator_adds_a_user_without_privileged_flags(flag):
    admin_user = make_user("administrator", "site-admin")
    c = client_for(admin_user)
    r = c.post(
        "/admin/auth/user/add/",
        {
            "username": f"new-{flag}",
            "password1": "كلمة-سر-جديدة-طويلة-5",
            "password2": "كلمة-سر-جديدة-طويلة-5",
            "usable_password": "true",
            flag: "on",
            "groups": [str(group("administrator").pk)],
        },
    )
    assert r.status_code == 302
    new = User.objects.get(username=f"new-{flag}")
    assert not new.is_superuser and not new.groups.exists()


@pytest.mark.parametrize("role", [None, "contributor", "author", "editor"])
def test_roles_without_account_rights_cannot_open_the_user_admin(role):
    user = make_user(role, f"no-rights-{role}")
    c = client_for(user)
    assert c.get("/admin/auth/user/").status_code in (302, 403)
    assert c.get(f"/admin/auth/user/{user.pk}/change/").status_code in (302, 403)
    r = c.post("/admin/auth/user/add/", {"username": "x", "password1": "a", "password2": "a"})
    assert r.status_code in (302, 403) and not User.objects.filter(username="x").exists()


def test_only_superusers_change_groups(superuser):
    admin_user = make_user("administrator", "site-admin")
    c = client_for(admin_user)
    g = group("contributor")
    perm = Permission.objects.get(codename="change_user")
    r = c.post(f"/admin/auth/group/{g.pk}/change/", {"name": g.name, "permissions": [perm.pk]})
    assert r.status_code == 403
    assert not g.permissions.filter(pk=perm.pk).exists()
    r = client_for(superuser).get(f"/admin/auth/group/{g.pk}/change/")
    assert r.status_code == 200


def test_superuser_can_do_everything(superuser):
    writer = make_user("contributor", "writer")
    c = client_for(superuser)
    r = c.post(
        f"/admin/auth/user/{writer.pk}/change/",
        change_data(writer, is_superuser="on", groups=[str(group("administrator").pk)]),
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    writer.refresh_from_db()
    assert writer.is_superuser
