"""The audit log: one row per staff action, written once, never changed.

Append-only at every level: the model refuses to save an existing row or delete one, its
queryset refuses ``update()`` and ``delete()``, the admin offers no add/change/delete, and the
database itself refuses ``UPDATE`` (SQLite and PostgreSQL triggers) and row ``DELETE``
(PostgreSQL; on SQLite the trigger would also stop the test runner's flush). The actor is
stored by id and name, not as a foreign key, so deleting an account neither cascades into nor
rewrites the history of what it did.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Audit entries are written once and never changed or deleted."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    at = models.DateTimeField("الوقت", default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField("رقم المستخدم", null=True, blank=True, db_index=True)
    actor_name = models.CharField("المستخدم", max_length=150, blank=True)
    action = models.CharField("الإجراء", max_length=64, db_index=True)
    target_type = models.CharField("نوع الهدف", max_length=100, blank=True)
    target_id = models.CharField("رقم الهدف", max_length=64, blank=True)
    target_repr = models.CharField("الهدف", max_length=300, blank=True)
    ip = models.GenericIPAddressField("العنوان", null=True, blank=True)
    details = models.JSONField("التفاصيل", default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "حدث تدقيق"
        verbose_name_plural = "سجل التدقيق"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("audit entries cannot be deleted")
