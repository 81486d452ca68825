"""The user and group admin with no way up: see :mod:`akhbar.accounts.permissions`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import QuerySet
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest

from akhbar.accounts.permissions import assignable_groups, can_manage

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldsetSpec

admin.site.unregister(User)
admin.site.unregister(Group)

PRIVILEGED = ("is_superuser", "user_permissions")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Django's user admin, narrowed for everyone who is not a superuser."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        # A superuser is invisible to, and out of reach of, everyone else.
        return qs.filter(is_superuser=False)

    def _is_self(self, request: HttpRequest, obj: Any) -> bool:
        return obj is not None and obj.pk == request.user.pk

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return self._is_self(request, obj) or can_manage(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_delete_permission(request, obj):
            return False
        if self._is_self(request, obj):
            return request.user.is_superuser
        return can_manage(request.user, obj)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> _FieldsetSpec:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        hidden = set(PRIVILEGED)
        if self._is_self(request, obj):
            hidden |= {"is_staff", "is_active", "groups"}
        narrowed: list[tuple[Any, Any]] = []  # (name, options) as Django's fieldsets
        for name, options in fieldsets:
            fields = [f for f in options.get("fields", ()) if f not in hidden]
            if fields:
                narrowed.append((name, {**options, "fields": fields}))
        return narrowed

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["last_login", "date_joined"]
        return readonly

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = assignable_groups(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not request.user.is_superuser:
            # Belt and braces: whatever the form let through, nothing privileged changes.
            if obj.pk:
                stored = User.objects.get(pk=obj.pk)
                obj.is_superuser = stored.is_superuser
                if self._is_self(request, obj):
                    for name in ("is_staff", "is_active"):
                        setattr(obj, name, getattr(stored, name))
            else:
                obj.is_superuser = False
        super().save_model(request, obj, form, change)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    """Groups carry permissions: only superusers shape them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser
