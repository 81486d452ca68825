from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from akhbar.push.models import PushSubscription


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6 default
    list_display = ["__str__", "created_at", "last_success_at", "failures"]
    readonly_fields = ["endpoint", "p256dh", "auth", "created_at", "last_success_at", "failures"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
