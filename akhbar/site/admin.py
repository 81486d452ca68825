from django.contrib import admin

from akhbar.core.admin import SingletonAdmin
from akhbar.site.models import Page, SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonAdmin):
    pass


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "is_published", "updated_at"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
