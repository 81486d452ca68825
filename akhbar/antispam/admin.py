from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from akhbar.antispam.models import AntispamSettings


@admin.register(AntispamSettings)
class AntispamSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return not AntispamSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        current = AntispamSettings.current()
        url = reverse("admin:antispam_antispamsettings_change", args=[current.pk])
        return HttpResponseRedirect(url)
