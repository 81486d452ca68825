"""Coverages in the admin: start one from an article, curate the summary, open the phone
posting screen. Entries are posted from that screen (``live:post``), not from admin forms."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from akhbar.live import services
from akhbar.live.models import Coverage, Entry


@admin.register(Coverage)
class CoverageAdmin(admin.ModelAdmin):
    list_display = ("article", "state", "started_at", "entries_link")
    list_filter = ("state",)
    search_fields = ("article__title",)
    autocomplete_fields = ("article",)
    fields = ("article", "state", "summary", "started_at", "ended_at")
    readonly_fields = ("ended_at",)

    @admin.display(description="شاشة النشر")
    def entries_link(self, obj: Coverage) -> str:
        return format_html('<a href="{}">انشر مدخلات</a>', reverse("live:post", args=[obj.pk]))

    def save_model(self, request: HttpRequest, obj: Coverage, form: Any, change: bool) -> None:
        if not change:
            coverage = services.start_coverage(
                obj.article, user=request.user, summary=obj.summary or ""
            )
            obj.pk = coverage.pk
            return
        if "summary" in form.changed_data:
            services.set_summary(obj, obj.summary, user=request.user)
        if "state" in form.changed_data:
            services.set_state(obj, obj.state, user=request.user)
        elif form.changed_data:
            super().save_model(request, obj, form, change)


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "coverage", "author_name", "created_at", "is_pinned", "deleted_at")
    list_filter = ("is_breaking", "is_pinned")
    search_fields = ("title", "body", "coverage__article__title")
    readonly_fields = [f.name for f in Entry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
