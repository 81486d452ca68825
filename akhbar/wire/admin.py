from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from akhbar.wire.models import SubjectRule, WireItem, WireLog, WireSource


class RuleInline(admin.TabularInline):
    model = SubjectRule
    extra = 1
    autocomplete_fields = ["tag"]


@admin.register(WireSource)
class WireSourceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6 default
    list_display = [
        "name",
        "kind",
        "format",
        "credit",
        "auto_publish",
        "is_active",
        "last_checked_at",
        "last_error",
    ]
    list_filter = ["kind", "is_active"]
    inlines = [RuleInline]
    readonly_fields = ["last_checked_at", "last_error"]


@admin.register(SubjectRule)
class SubjectRuleAdmin(admin.ModelAdmin):
    list_display = ["match", "source", "category", "tag", "position"]
    list_editable = ["position"]
    autocomplete_fields = ["tag"]


@admin.register(WireItem)
class WireItemAdmin(admin.ModelAdmin):
    list_display = [
        "guid",
        "source",
        "version",
        "pubstatus",
        "embargo",
        "article",
        "duplicate_of",
        "updated_at",
    ]
    list_filter = ["source", "pubstatus"]
    search_fields = ["guid"]
    raw_id_fields = ["article", "duplicate_of"]


@admin.register(WireLog)
class WireLogAdmin(admin.ModelAdmin):
    list_display = ["at", "source", "level", "filename", "guid", "message"]
    list_filter = ["source", "level"]
    search_fields = ["guid", "filename", "message"]
    readonly_fields = [f.name for f in WireLog._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
