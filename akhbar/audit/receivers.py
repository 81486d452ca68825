"""What feeds the audit log: Django's auth signals, account and role changes, the admin's own
change log, django-axes lockouts and the publishing pipeline's events."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from akhbar.audit.services import build_entry, record, record_many
from akhbar.core import events
from akhbar.core.net import client_ip

if TYPE_CHECKING:
    from django.contrib.contenttypes.models import ContentType

FLAGS = ("is_superuser", "is_staff", "is_active")


def _ip(request: Any) -> str | None:
    return (client_ip(request) or None) if request is not None else None


def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record("login", actor=user, target=user, ip=_ip(request))


def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record("logout", actor=user, target=user, ip=_ip(request))


def on_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    # Never the password: credentials are cleansed by Django, and only the name is kept.
    username = str(credentials.get("username", ""))[:150]
    record("login_failed", actor=None, target_repr=username, ip=_ip(request), username=username)


def on_lockout(sender: Any, request: Any = None, username: str = "", **kwargs: Any) -> None:
    record("lockout", actor=None, target_repr=str(username)[:150], ip=_ip(request))


def before_user_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        instance._audit_before = None
        return
    before = sender.objects.filter(pk=instance.pk).values(*FLAGS, "password").first()
    instance._audit_before = before


def after_user_save(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kw: Any
) -> None:
    if raw:
        return
    if created:
        record(
            "account_created",
            target=instance,
            **{flag: getattr(instance, flag) for flag in FLAGS},
        )
        return
    before = getattr(instance, "_audit_before", None)
    if not before:
        return
    changed = {
        flag: [before[flag], getattr(instance, flag)]
        for flag in FLAGS
        if before[flag] != getattr(instance, flag)
    }
    if changed:
        record("account_flags_changed", target=instance, changes=changed)
    if before["password"] != instance.password:
        record("password_changed", target=instance)


def after_user_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    record("account_deleted", target=instance)


def _names(model: Any, pk_set: Any) -> list[str]:
    if not pk_set:
        return []
    if model is Group:
        return sorted(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
    return sorted(
        f"{app}.{code}"
        for app, code in model.objects.filter(pk__in=pk_set).values_list(
            "content_type__app_label", "codename"
        )
    )


def _m2m(action_name: str) -> Callable[..., None]:
    def handler(sender: Any, *, instance: Any, action: str, reverse: bool, model: Any,
                pk_set: Any, **kwargs: Any) -> None:  # fmt: skip
        if action not in ("post_add", "post_remove", "pre_clear"):
            return
        if action == "pre_clear" and not reverse:
            pk_set = set(getattr(instance, _relation(action_name)).values_list("pk", flat=True))
        if reverse:
            # group.user_set.add(user): the targets are the users.
            for pk in pk_set or ():
                record(action_name, target_type="auth.user", target_id=pk,
                       change=action, names=[str(instance)])  # fmt: skip
            return
        record(action_name, target=instance, change=action, names=_names(model, pk_set))

    return handler


def _relation(action_name: str) -> str:
    return {
        "groups_changed": "groups",
        "permissions_changed": "user_permissions",
        "group_permissions_changed": "permissions",
    }[action_name]


def on_admin_log(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    action = {ADDITION: "admin_added", CHANGE: "admin_changed", DELETION: "admin_deleted"}.get(
        instance.action_flag, "admin_changed"
    )
    # django-stubs declares LogEntry's foreign keys without their model.
    ct = cast("ContentType | None", instance.content_type)
    model = ct.model_class() if ct else None
    record(
        action,
        actor=instance.user_id,
        target_type=model._meta.label_lower if model else "",
        target_id=instance.object_id or "",
        target_repr=instance.object_repr,
        message=instance.get_change_message()[:1000],
    )


def _article_event(action: str) -> Callable[[tuple[Any, ...]], None]:
    """Batch handler: an import publishes hundreds of articles in one delivery; their titles
    are read in one query and their entries written in one statement."""

    def handler(batch: tuple[Any, ...]) -> None:
        from django.apps import apps

        model = apps.get_model("newsroom", "Article")
        ids = {event.article_id for event in batch}
        titles = dict(model.objects.filter(pk__in=ids).values_list("pk", "title"))
        entries = []
        for event in batch:
            entries.append(
                build_entry(
                    action,
                    actor=event.actor_id,
                    target_type="newsroom.article",
                    target_id=event.article_id,
                    target_repr=titles.get(event.article_id) or f"#{event.article_id}",
                )
            )
        record_many(entries)

    return handler


def on_settings_changed(event: Any) -> None:
    record("settings_changed", actor=event.actor_id, target_type="site.settings")


def connect() -> None:
    user_model = get_user_model()
    uid = "akhbar.audit"
    user_logged_in.connect(on_login, dispatch_uid=f"{uid}.login")
    user_logged_out.connect(on_logout, dispatch_uid=f"{uid}.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid=f"{uid}.login_failed")
    pre_save.connect(before_user_save, sender=user_model, dispatch_uid=f"{uid}.user_pre")
    post_save.connect(after_user_save, sender=user_model, dispatch_uid=f"{uid}.user_post")
    post_delete.connect(after_user_delete, sender=user_model, dispatch_uid=f"{uid}.user_del")
    m2m_changed.connect(
        _m2m("groups_changed"), sender=user_model.groups.through, dispatch_uid=f"{uid}.groups",
        weak=False,
    )  # fmt: skip
    m2m_changed.connect(
        _m2m("permissions_changed"), sender=user_model.user_permissions.through,
        dispatch_uid=f"{uid}.perms", weak=False,
    )  # fmt: skip
    m2m_changed.connect(
        _m2m("group_permissions_changed"), sender=Group.permissions.through,
        dispatch_uid=f"{uid}.group_perms", weak=False,
    )  # fmt: skip
    post_save.connect(on_admin_log, sender=LogEntry, dispatch_uid=f"{uid}.admin_log")
    try:
        from axes.signals import user_locked_out
    except ImportError:  # pragma: no cover - axes is a dependency
        pass
    else:
        user_locked_out.connect(on_lockout, dispatch_uid=f"{uid}.lockout")
    events.subscribe(
        events.ArticlePublished, _article_event("article_published"), name="audit", batch=True
    )
    events.subscribe(
        events.ArticleUnpublished, _article_event("article_unpublished"), name="audit", batch=True
    )
    events.subscribe(
        events.ArticleDeleted, _article_event("article_deleted"), name="audit", batch=True
    )
    events.subscribe(events.SiteSettingsChanged, on_settings_changed, name="audit")
