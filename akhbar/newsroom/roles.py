"""The four newsroom roles as Django groups, and who may do what to which article.

Model permissions say what a role may do at all; the ``can`` checks add ownership (a
contributor or author only touches their own articles) and the workflow rules (only a role
with ``publish_article`` may publish or schedule). The admin and the services both call
these functions, so the rules live in one place.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group

from akhbar.core.conf import akhbar_settings

CONTRIBUTOR = "contributor"
AUTHOR = "author"
EDITOR = "editor"
ADMINISTRATOR = "administrator"

_READ_TAXONOMY = ["newsroom.view_category", "newsroom.view_tag", "newsroom.view_author"]
_CONTRIBUTOR = [
    "newsroom.add_article",
    "newsroom.change_article",
    "newsroom.view_article",
    "newsroom.view_revision",
    *_READ_TAXONOMY,
]
_AUTHOR = [*_CONTRIBUTOR, "newsroom.delete_article", "newsroom.publish_article"]
_EDITOR = [
    *_AUTHOR,
    "newsroom.edit_others_article",
    "newsroom.view_workflowevent",
    *[
        f"newsroom.{verb}_{model}"
        for model in ("category", "tag", "author")
        for verb in ("add", "change", "delete")
    ],
    *[f"comments.{verb}_comment" for verb in ("view", "change", "delete")],
]
_ADMINISTRATOR = [
    *_EDITOR,
    "site.view_sitesettings",
    "site.change_sitesettings",
    *[f"site.{verb}_page" for verb in ("view", "add", "change", "delete")],
    *[f"auth.{verb}_user" for verb in ("view", "add", "change", "delete")],
    *[f"auth.{verb}_group" for verb in ("view",)],
]

# Group name (shown in the Arabic admin) -> permission codes "app_label.codename".
ROLES: dict[str, tuple[str, list[str]]] = {
    CONTRIBUTOR: ("مساهم", _CONTRIBUTOR),
    AUTHOR: ("كاتب", _AUTHOR),
    EDITOR: ("محرر", _EDITOR),
    ADMINISTRATOR: ("مدير الموقع", _ADMINISTRATOR),
}


def group_name(role: str) -> str:
    return ROLES[role][0]


def sync_roles(apps: Any = None) -> None:
    """Create or update the role groups with exactly their permissions (idempotent).

    Called by the data migration (with historical ``apps``) and by ``manage.py sync_roles``.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for _role, (name, codes) in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        perms = []
        for code in codes:
            app_label, codename = code.split(".", 1)
            perm = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is None:
                raise LookupError(f"permission {code} does not exist")
            perms.append(perm)
        group.permissions.set(perms)


def assign_role(user: Any, role: str) -> None:
    """Put ``user`` in one role's group (and let them into the admin)."""
    group = Group.objects.get(name=group_name(role))
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


# --- What a user may do to an article -------------------------------------------------------


def owns(user: Any, article: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or article is None:
        return False
    if article.created_by_id == user.pk:
        return True
    author = getattr(article, "author", None) if article.author_id else None
    return bool(author and author.user_id == user.pk)


def can_create(user: Any) -> bool:
    return user.has_perm("newsroom.add_article")


def can_edit(user: Any, article: Any) -> bool:
    """Edit others' needs edit_others; own published work needs the publish right."""
    if not user.has_perm("newsroom.change_article"):
        return False
    if user.has_perm("newsroom.edit_others_article"):
        return True
    if not owns(user, article):
        return False
    if article.status in ("draft", "pending"):
        return True
    return user.has_perm("newsroom.publish_article")


def can_publish(user: Any, article: Any = None) -> bool:
    """Publishing and scheduling are the same right (scheduling is publishing later)."""
    if not user.has_perm("newsroom.publish_article"):
        return False
    if article is None or article.pk is None or user.has_perm("newsroom.edit_others_article"):
        return True
    return owns(user, article)


def can_delete(user: Any, article: Any) -> bool:
    if not user.has_perm("newsroom.delete_article"):
        return False
    return user.has_perm("newsroom.edit_others_article") or owns(user, article)


def can_view(user: Any, article: Any) -> bool:
    """Preview a draft: anyone who could edit it, and editors for everything."""
    if user.has_perm("newsroom.edit_others_article"):
        return True
    return user.has_perm("newsroom.view_article") and owns(user, article)


def can_moderate(user: Any) -> bool:
    return user.has_perm("comments.change_comment")


def can_change_settings(user: Any) -> bool:
    return user.has_perm("site.change_sitesettings")


def allowed_statuses(user: Any, article: Any) -> list[str]:
    """The workflow states ``user`` may put ``article`` into from where it is now."""
    current = getattr(article, "status", None) or "draft"
    allowed = {"draft", "pending"}
    if can_publish(user, article):
        allowed |= {"published", "archived"}
    # Nobody loses sight of the state the article is already in.
    allowed.add(current)
    return [s for s in ("draft", "pending", "published", "archived") if s in allowed]


# --- What only editors may do to any article (impersonation) --------------------------------


def is_editor(user: Any) -> bool:
    """Editors, administrators and superusers (whoever may edit others' work)."""
    return bool(user.has_perm("newsroom.edit_others_article"))


def editor_only_problems(user: Any, article: Any) -> dict[str, str]:
    """Field -> Arabic message for what ``user`` changed on ``article`` that needs the editor
    role: crediting someone else, the breaking-news flag, a date further back than
    ``AKHBAR["BACKDATE_LIMIT_HOURS"]``. What was already so (set by an editor) stays allowed.
    """
    if is_editor(user):
        return {}
    from datetime import timedelta

    from django.utils import timezone

    before = (
        type(article)
        .objects.filter(pk=article.pk)
        .values("author_id", "is_breaking", "published_at")
        .first()
        if article.pk
        else None
    ) or {"author_id": None, "is_breaking": False, "published_at": None}
    problems: dict[str, str] = {}
    if article.author_id and article.author_id != before["author_id"]:
        author = getattr(article, "author", None)
        if author is None or author.user_id != getattr(user, "pk", None):
            problems["author"] = "نسبة المقال إلى كاتب آخر من صلاحيات المحرر؛ اختر اسمك أنت."
    if article.is_breaking and not before["is_breaking"]:
        problems["is_breaking"] = "وسم «عاجل» من صلاحيات المحرر."
    limit = timedelta(hours=akhbar_settings.backdate_limit_hours)
    when = article.published_at
    if when is not None and when != before["published_at"] and when < timezone.now() - limit:
        hours = int(limit.total_seconds() // 3600)
        problems["published_at"] = f"لا يمكن تأريخ النشر بأقدم من {hours} ساعة إلا بصلاحية المحرر."
    return problems
