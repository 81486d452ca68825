"""Self-hosted web push: the site's VAPID key pair and readers' browser subscriptions.

A push subscription is an endpoint URL at the browser vendor's push service plus two keys the
browser made; it names no person. It is the only thing kept about a reader who turns alerts on.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class VapidKeys(models.Model):
    """One row (pk=1): the key pair every push is signed with (RFC 8292).

    Kept in the database, not a file, so several app servers and workers sign with the same
    key; changing it would silently orphan every reader's subscription.
    """

    private_pem = models.TextField()
    public_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "مفاتيح VAPID"
        verbose_name_plural = "مفاتيح VAPID"

    def __str__(self) -> str:
        return self.public_key[:16]


class PushSubscription(models.Model):
    endpoint = models.URLField("عنوان خدمة الإشعارات", max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField("تاريخ الاشتراك", default=timezone.now, db_index=True)
    last_success_at = models.DateTimeField("آخر إرسال ناجح", null=True, blank=True)
    failures = models.PositiveSmallIntegerField("إخفاقات متتالية", default=0)

    class Meta:
        verbose_name = "اشتراك إشعارات"
        verbose_name_plural = "اشتراكات الإشعارات"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        from urllib.parse import urlsplit

        return urlsplit(self.endpoint).hostname or "?"
