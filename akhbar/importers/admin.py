"""Admin for partner feeds, and read-only views of what the WordPress import left behind."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from akhbar.core.text import count_phrase
from akhbar.importers.feeds import fetch_all
from akhbar.importers.models import ImportedItem, LegacyUrl, PartnerFeed, PartnerFeedItem


@admin.register(PartnerFeed)
class PartnerFeedAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6 default
    list_display = (
        "name", "url", "default_category", "auto_publish", "is_active", "last_fetched_at",
        "last_created", "last_error",
    )  # fmt: skip
    list_filter = ("is_active", "auto_publish")
    search_fields = ("name", "url")
    readonly_fields = (
        "last_fetched_at", "last_status", "last_error", "last_created", "last_skipped", "etag",
        "last_modified",
    )  # fmt: skip
    actions = ["fetch_now"]

    #: The fetch outcomes in the admin's language (the log keeps the English codes).
    OUTCOMES = {"ok": "جُلبت", "not-modified": "لم تتغير", "error": "تعذّر الجلب"}

    @admin.action(description="جلب الخلاصات المحددة الآن")
    def fetch_now(self, request: HttpRequest, queryset: QuerySet[PartnerFeed]) -> None:
        for result in fetch_all(queryset):
            level = messages.ERROR if result.outcome == "error" else messages.SUCCESS
            self.message_user(
                request,
                f"{result.feed.name}: {self.OUTCOMES.get(result.outcome, result.outcome)}،"
                f" الجديد: {count_phrase(result.created, 'article')}"
                + (f" — {result.error}" if result.error else ""),
                level,
            )


@admin.register(PartnerFeedItem)
class PartnerFeedItemAdmin(admin.ModelAdmin):
    list_display = ("guid", "feed", "article", "seen_at")
    list_filter = ("feed",)
    raw_id_fields = ("article",)


@admin.register(LegacyUrl)
class LegacyUrlAdmin(admin.ModelAdmin):
    list_display = ("old_path", "article", "category", "tag", "author", "page", "created_at")
    search_fields = ("old_path",)
    raw_id_fields = ("article", "category", "tag", "author", "page")


@admin.register(ImportedItem)
class ImportedItemAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6 default
    list_display = ("kind", "key", "source", "object_id", "needs_linking", "imported_at")
    list_filter = ("kind", "needs_linking", "source")
    search_fields = ("key", "guid", "old_permalink")
    readonly_fields = [f.name for f in ImportedItem._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
