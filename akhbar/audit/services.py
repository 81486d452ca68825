"""The audit log's public interface: :func:`record`, and the request context it reads.

Other apps call ``record("action", target=obj, **details)``; the actor and address come from
the current request (set by :class:`akhbar.audit.middleware.AuditContextMiddleware`) unless
given. Recording never raises: a failed audit write is logged, and the staff action that
caused it goes ahead (an outage of the log must not stop a newsroom publishing).
"""

from __future__ import annotations

import contextvars
import logging
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, transaction

log = logging.getLogger(__name__)

__all__ = ["ACTIONS", "RequestContext", "current", "record"]

#: Action code -> Arabic label shown to administrators.
ACTIONS: dict[str, str] = {
    "login": "تسجيل دخول",
    "login_failed": "محاولة دخول فاشلة",
    "logout": "تسجيل خروج",
    "lockout": "قفل بعد محاولات فاشلة",
    "account_created": "إنشاء حساب",
    "account_deleted": "حذف حساب",
    "account_flags_changed": "تغيير صلاحيات الحساب",
    "groups_changed": "تغيير الأدوار",
    "permissions_changed": "تغيير الأذونات",
    "group_permissions_changed": "تغيير أذونات دور",
    "password_changed": "تغيير كلمة المرور",
    "password_reset_requested": "طلب إعادة تعيين كلمة المرور",
    "two_factor_enabled": "تفعيل التحقق بخطوتين",
    "two_factor_failed": "رمز تحقق خاطئ",
    "recovery_code_used": "استخدام رمز استرداد",
    "article_published": "نشر مقال",
    "article_unpublished": "إلغاء نشر مقال",
    "article_deleted": "حذف مقال",
    "settings_changed": "تغيير الإعدادات",
    "admin_added": "إضافة من لوحة الإدارة",
    "admin_changed": "تعديل من لوحة الإدارة",
    "admin_deleted": "حذف من لوحة الإدارة",
}


@dataclass(frozen=True)
class RequestContext:
    actor_id: int | None
    actor_name: str
    ip: str | None


# The request being served. Held as the request itself and read only when an entry is
# written: touching request.user on every request would load the session and add
# "Vary: Cookie" to public pages.
_request: contextvars.ContextVar[Any] = contextvars.ContextVar("akhbar_audit_request", default=None)


def current() -> RequestContext | None:
    """Who is acting and from where, in the request being served (None outside one)."""
    request = _request.get()
    if request is None:
        return None
    from akhbar.core.net import client_ip

    user: Any = getattr(request, "user", None)  # a user, AnonymousUser or None
    authenticated = bool(user is not None and user.is_authenticated)
    return RequestContext(
        actor_id=user.pk if authenticated else None,
        actor_name=user.get_username() if authenticated else "",
        ip=client_ip(request) or None,
    )


def set_request(request: Any) -> contextvars.Token:
    return _request.set(request)


def reset_request(token: contextvars.Token) -> None:
    _request.reset(token)


def _actor(actor: Any) -> tuple[int | None, str]:
    if actor is None:
        ctx = current()
        return (ctx.actor_id, ctx.actor_name) if ctx else (None, "")
    if isinstance(actor, int):
        from django.contrib.auth import get_user_model

        name = get_user_model().objects.filter(pk=actor).values_list("username", flat=True).first()
        return actor, name or f"#{actor}"
    if getattr(actor, "is_authenticated", False):
        return actor.pk, actor.get_username()
    return None, ""


def build_entry(
    action: str,
    *,
    actor: Any = None,
    target: Any = None,
    target_type: str = "",
    target_id: Any = "",
    target_repr: str = "",
    ip: str | None = None,
    **details: Any,
) -> Any:
    """One unsaved entry (see :func:`record`); :func:`record_many` writes several at once."""
    from akhbar.audit.models import AuditEntry

    actor_id, actor_name = _actor(actor)
    if ip is None and (ctx := current()):
        ip = ctx.ip
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
        target_repr = target_repr or str(target)
    return AuditEntry(
        actor_id=actor_id,
        actor_name=actor_name[:150],
        action=action[:64],
        target_type=str(target_type)[:100],
        target_id=str(target_id or "")[:64],
        target_repr=str(target_repr)[:300],
        ip=ip or None,
        details=details,
    )


def record(action: str, **kwargs: Any) -> None:
    """Append one entry. ``actor`` is a user, a user id or None (the current request's user);
    ``target`` a model instance (or give ``target_type``/``target_id``/``target_repr``)."""
    record_many([build_entry(action, **kwargs)])


def record_many(entries: list[Any]) -> None:
    """Append entries in one statement (a bulk import publishes hundreds of articles at once)."""
    from akhbar.audit.models import AuditEntry

    if not entries:
        return
    try:
        # A savepoint: a failure must not break the caller's transaction.
        with transaction.atomic():
            AuditEntry.objects.bulk_create(entries)
    except (DatabaseError, TypeError, ValueError):
        log.exception("could not write audit entries %s", sorted({e.action for e in entries}))
