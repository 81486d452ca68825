"""Partners' API keys, webhook subscriptions and the log of every webhook delivery."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import models
from django.utils import timezone

KEY_PREFIX_LEN = 8


def hash_key(raw: str) -> str:
    """SHA-256 of the key: keys are long random strings, so a slow hash adds nothing here and
    every request must check one quickly; the raw key is shown once and never stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKey(models.Model):
    """One partner's key: stored hashed, revocable, with its own rate limit and usage count."""

    name = models.CharField("الشريك", max_length=200)
    prefix = models.CharField("بداية المفتاح", max_length=16, editable=False, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField("مفعّل", default=True)
    rate_limit_per_minute = models.PositiveIntegerField(
        "الحد الأقصى للطلبات في الدقيقة", default=600
    )
    request_count = models.PositiveBigIntegerField("عدد الطلبات", default=0, editable=False)
    last_used_at = models.DateTimeField("آخر استخدام", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("تاريخ الإنشاء", auto_now_add=True)
    revoked_at = models.DateTimeField("تاريخ الإلغاء", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "مفتاح واجهة برمجية"
        verbose_name_plural = "مفاتيح الواجهة البرمجية"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, name: str, **fields: Any) -> tuple[ApiKey, str]:
        """Create a key; returns the row and the raw key (shown to the admin once)."""
        raw = "akh_" + secrets.token_urlsafe(32)
        key = cls.objects.create(
            name=name, prefix=raw[:KEY_PREFIX_LEN], key_hash=hash_key(raw), **fields
        )
        return key, raw

    def revoke(self) -> None:
        self.is_active = False
        self.revoked_at = timezone.now()
        self.save(update_fields=["is_active", "revoked_at"])


class Webhook(models.Model):
    """An address a partner gave us, told about the events it subscribed to."""

    name = models.CharField("الاسم", max_length=200)
    url = models.URLField("الرابط", max_length=500)
    events = models.JSONField(
        "الأحداث", default=list, help_text="أسماء الأحداث، مثل article.published"
    )
    secret = models.CharField(
        "السر المشترك", max_length=100, blank=True, help_text="يُولَّد تلقائيًا إن تُرك فارغًا"
    )
    is_active = models.BooleanField("مفعّل", default=True)
    consecutive_failures = models.PositiveIntegerField("إخفاقات متتالية", default=0, editable=False)
    disabled_reason = models.CharField("سبب الإيقاف", max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField("تاريخ الإنشاء", auto_now_add=True)

    class Meta:
        verbose_name = "خطاف ويب"
        verbose_name_plural = "خطافات الويب"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.secret:
            self.secret = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one webhook, with every attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "قيد الإرسال"
        DELIVERED = "delivered", "وصل"
        FAILED = "failed", "أخفق نهائيًا"

    webhook = models.ForeignKey(Webhook, related_name="deliveries", on_delete=models.CASCADE)
    event = models.CharField("الحدث", max_length=64)
    payload = models.JSONField("الحمولة")
    status = models.CharField(
        "الحالة", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("المحاولات", default=0)
    response_code = models.PositiveSmallIntegerField("رمز الاستجابة", null=True, blank=True)
    response_excerpt = models.CharField("بداية الرد", max_length=500, blank=True)
    error = models.CharField("الخطأ", max_length=500, blank=True)
    created_at = models.DateTimeField("وقت الإنشاء", default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField("آخر محاولة", null=True, blank=True)
    next_attempt_at = models.DateTimeField("المحاولة التالية", null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField("وقت الوصول", null=True, blank=True)

    class Meta:
        verbose_name = "إرسال خطاف"
        verbose_name_plural = "سجل إرسال الخطافات"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"
