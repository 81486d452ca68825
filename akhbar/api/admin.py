"""Partners' keys and webhooks in the Arabic admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from akhbar.api import webhooks
from akhbar.api.models import ApiKey, Webhook, WebhookDelivery, hash_key


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "is_active",
        "rate_limit_per_minute",
        "request_count",
        "last_used_at",
    ]
    list_filter = ["is_active"]
    readonly_fields = ["prefix", "request_count", "last_used_at", "created_at", "revoked_at"]
    fields = ["name", "is_active", "rate_limit_per_minute", *readonly_fields]
    actions = ["revoke"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if not change:
            import secrets

            raw = "akh_" + secrets.token_urlsafe(32)
            obj.prefix, obj.key_hash = raw[:8], hash_key(raw)
            messages.warning(request, f"انسخ المفتاح الآن، فلن يظهر مرة أخرى: {raw}")
        elif not obj.is_active and obj.revoked_at is None:
            from django.utils import timezone

            obj.revoked_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description="إلغاء المفاتيح المحددة")
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for key in queryset:
            key.revoke()
        messages.success(request, "أُلغيت المفاتيح المحددة.")


class WebhookForm(forms.ModelForm):
    # Declared to pass assume_scheme (Django 6's default; no deprecation warning on 5.2).
    url = forms.URLField(label="الرابط", max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label="الأحداث",
        choices=[(n, n) for n in [*webhooks.event_names()]],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "events", "secret", "is_active"]


class DeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    extra = 0
    max_num = 0
    can_delete = False
    readonly_fields = (
        "created_at",
        "event",
        "status",
        "attempts",
        "response_code",
        "error",
        "next_attempt_at",
    )
    fields = readonly_fields
    ordering = ["-created_at"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).order_by("-created_at")


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6 default
    form = WebhookForm
    list_display = ["name", "url", "is_active", "consecutive_failures", "disabled_reason"]
    list_filter = ["is_active"]
    readonly_fields = ["consecutive_failures", "disabled_reason", "created_at"]
    inlines = [DeliveryInline]
    actions = ["send_test_action"]
    change_form_template = "admin/api/webhook/change_form.html"

    def save_model(self, request: HttpRequest, obj: Webhook, form: Any, change: bool) -> None:
        if obj.is_active:
            obj.consecutive_failures, obj.disabled_reason = 0, ""
        super().save_model(request, obj, form, change)

    def get_urls(self) -> list:
        return [
            path(
                "<int:pk>/send-test/",
                self.admin_site.admin_view(self.send_test_view),
                name="api_webhook_send_test",
            ),
            *super().get_urls(),
        ]

    def send_test_view(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        hook = get_object_or_404(Webhook, pk=pk)
        if request.method == "POST" and self.has_change_permission(request, hook):
            self._report(request, webhooks.send_test(hook))
        return HttpResponseRedirect(reverse("admin:api_webhook_change", args=[pk]))

    @admin.action(description="إرسال اختبار")
    def send_test_action(self, request: HttpRequest, queryset: Any) -> None:
        for hook in queryset:
            self._report(request, webhooks.send_test(hook))

    def _report(self, request: HttpRequest, delivery: WebhookDelivery) -> None:
        delivery.refresh_from_db()
        if delivery.status == WebhookDelivery.Status.DELIVERED:
            messages.success(
                request, f"وصل الاختبار إلى «{delivery.webhook}» (HTTP {delivery.response_code})."
            )
        elif delivery.attempts:
            messages.error(request, f"أخفق الاختبار إلى «{delivery.webhook}»: {delivery.error}")
        else:
            messages.info(request, f"أُضيف الاختبار إلى قائمة الإرسال لـ«{delivery.webhook}».")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "webhook",
        "event",
        "status",
        "attempts",
        "response_code",
        "error",
    ]
    list_filter = ["status", "event", "webhook"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
