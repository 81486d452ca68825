"""The audit log in the admin: administrators read and search it; nobody adds, edits or
deletes (the database refuses too, see :mod:`akhbar.audit.models`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from akhbar.audit.models import AuditEntry
from akhbar.audit.services import ACTIONS


def can_read(user: Any) -> bool:
    """Superusers, and administrators (whoever manages accounts) or anyone granted the
    model's view permission."""
    return bool(
        user.is_active
        and user.is_staff
        and (
            user.is_superuser
            or user.has_perm("audit.view_auditentry")
            or user.has_perm("auth.change_user")
        )
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action_label", "target_repr", "ip"]
    list_filter = ["action", "at"]
    search_fields = ["actor_name", "target_repr", "ip", "target_id"]
    date_hierarchy = "at"
    list_per_page = 100
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    show_full_result_count = False  # counting millions of rows on every page view is slow

    @admin.display(description="الإجراء", ordering="action")
    def action_label(self, obj: AuditEntry) -> str:
        return ACTIONS.get(obj.action, obj.action)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_read(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_read(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict:
        return {}
