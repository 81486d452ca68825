"""Admin building blocks any app may use (core depends on Django only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse


class SingletonAdmin(admin.ModelAdmin):
    """Admin for a one-row settings model with a ``current()`` classmethod: the list view
    jumps straight to that row, which can be neither added twice nor deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not self.model._default_manager.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        current = self.model.current()
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[current.pk])
        return HttpResponseRedirect(url)
