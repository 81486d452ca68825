from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from akhbar.site.models import Page, SiteSettings


class SingletonAdmin(admin.ModelAdmin):
    """Admin for a one-row settings model with a ``current()`` classmethod: the list view
    jumps straight to that row, which can be neither added twice nor deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not self.model._default_manager.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        current = self.model.current()
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[current.pk])
        return HttpResponseRedirect(url)


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonAdmin):
    pass


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "is_published", "updated_at"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
