"""Newsletters without reader accounts: lists, subscribers, consent, editions, deliveries.

A reader is an email address, nothing more: no password, no profile. Every link we mail is
signed (``akhbar.newsletters.tokens``), so a link is the reader's key to their preferences, and
erasing a subscriber rotates the key so old links stop working.

Delivery rows are the heart of sending: one row per (edition, subscriber), created before the
first message leaves and *claimed* atomically by a sender. That row is what guarantees a digest
interrupted by ``kill -9`` and resumed never reaches the same reader twice (see sending.py).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


def _new_key() -> str:
    return secrets.token_urlsafe(16)


class NewsletterList(models.Model):
    class Kind(models.TextChoices):
        DIGEST = "digest", "نشرة يومية"
        BREAKING = "breaking", "أخبار عاجلة"
        WEEKLY = "weekly", "نشرة أسبوعية لقسم"

    name = models.CharField("الاسم", max_length=120)
    slug = models.SlugField("المعرّف", max_length=80, unique=True, allow_unicode=True)
    kind = models.CharField("النوع", max_length=16, choices=Kind.choices, default=Kind.DIGEST)
    description = models.CharField("الوصف", max_length=300, blank=True)
    category = models.ForeignKey(
        "newsroom.Category",
        verbose_name="القسم",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="للنشرة الأسبوعية لقسم: أخبار هذا القسم وأقسامه الفرعية.",
    )
    send_time = models.TimeField(
        "وقت الإرسال (محلي)", default="07:00", help_text="بتوقيت المنطقة الزمنية أدناه."
    )
    time_zone = models.CharField("المنطقة الزمنية", max_length=64, default="Asia/Amman")
    weekday = models.PositiveSmallIntegerField(
        "يوم الإرسال للنشرة الأسبوعية",
        default=4,
        choices=[
            (0, "الاثنين"),
            (1, "الثلاثاء"),
            (2, "الأربعاء"),
            (3, "الخميس"),
            (4, "الجمعة"),
            (5, "السبت"),
            (6, "الأحد"),
        ],
    )
    story_count = models.PositiveSmallIntegerField("عدد الأخبار", default=8)
    auto_send = models.BooleanField(
        "إرسال تلقائي",
        default=False,
        help_text="إن لم يُفعَّل، تُحفظ النشرة بانتظار مراجعة محرر قبل إرسالها.",
    )
    is_active = models.BooleanField("مفعّلة", default=True)
    position = models.PositiveSmallIntegerField("الترتيب", default=0)

    class Meta:
        verbose_name = "قائمة بريدية"
        verbose_name_plural = "القوائم البريدية"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "بانتظار التأكيد"
        CONFIRMED = "confirmed", "مؤكَّد"
        UNSUBSCRIBED = "unsubscribed", "ألغى الاشتراك"

    email = models.CharField("البريد الإلكتروني", max_length=254, unique=True)
    status = models.CharField(
        "الحالة", max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    #: Part of every signed link; rotating it revokes every link ever mailed.
    key = models.CharField(max_length=32, default=_new_key, editable=False)
    created_at = models.DateTimeField("تاريخ التسجيل", default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField("تاريخ التأكيد", null=True, blank=True)
    unsubscribed_at = models.DateTimeField("تاريخ الإلغاء", null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    lists: models.ManyToManyField[NewsletterList, Subscription] = models.ManyToManyField(
        NewsletterList, through="Subscription", related_name="subscribers", verbose_name="القوائم"
    )

    class Meta:
        verbose_name = "مشترك"
        verbose_name_plural = "المشتركون"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.email


class Subscription(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subs")
    newsletter = models.ForeignKey(NewsletterList, on_delete=models.CASCADE, related_name="subs")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "اشتراك"
        verbose_name_plural = "الاشتراكات"
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "newsletter"], name="nl_sub_unique")
        ]
        indexes = [models.Index(fields=["newsletter", "active"], name="nl_sub_list_active")]

    def __str__(self) -> str:
        return f"{self.subscriber_id} → {self.newsletter_id}"


class Consent(models.Model):
    """What the reader agreed to, when, where, and in which words (GDPR art. 7(1))."""

    class Action(models.TextChoices):
        REQUESTED = "requested", "طلب اشتراك"
        CONFIRMED = "confirmed", "أكّد الاشتراك"
        CHANGED = "changed", "غيّر التفضيلات"
        UNSUBSCRIBED = "unsubscribed", "ألغى الاشتراك"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    action = models.CharField(max_length=16, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now)
    source = models.CharField("الصفحة", max_length=500, blank=True)
    lists = models.JSONField("القوائم", default=list)
    wording = models.TextField("نص الموافقة", blank=True)
    method = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = "سجل موافقة"
        verbose_name_plural = "سجل الموافقات"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class Edition(models.Model):
    class Status(models.TextChoices):
        HELD = "held", "بانتظار المراجعة"
        QUEUED = "queued", "في طابور الإرسال"
        SENDING = "sending", "قيد الإرسال"
        SENT = "sent", "أُرسلت"
        CANCELLED = "cancelled", "أُلغيت"

    class Kind(models.TextChoices):
        DIGEST = "digest", "نشرة"
        BREAKING = "breaking", "خبر عاجل"

    newsletter = models.ForeignKey(
        NewsletterList, verbose_name="القائمة", on_delete=models.PROTECT, related_name="editions"
    )
    kind = models.CharField("النوع", max_length=16, choices=Kind.choices, default=Kind.DIGEST)
    subject = models.CharField("العنوان", max_length=200)
    intro = models.TextField("مقدمة", blank=True)
    #: The local date a digest covers; unique per list so two schedulers never make two.
    edition_date = models.DateField("تاريخ النشرة", null=True, blank=True)
    article_ids = models.JSONField("الأخبار", default=list)
    article = models.ForeignKey(
        "newsroom.Article",
        verbose_name="الخبر العاجل",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "الحالة", max_length=16, choices=Status.choices, default=Status.HELD, db_index=True
    )
    public_key = models.CharField(max_length=32, default=_new_key, unique=True, editable=False)
    created_at = models.DateTimeField("أُنشئت", default=timezone.now)
    queued_at = models.DateTimeField("أُرسلت للطابور", null=True, blank=True)
    sent_at = models.DateTimeField("اكتمل الإرسال", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "عدد من النشرة"
        verbose_name_plural = "أعداد النشرات"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "edition_date"],
                condition=models.Q(kind="digest"),
                name="nl_one_digest_per_day",
            ),
            models.UniqueConstraint(
                fields=["newsletter", "article"],
                condition=models.Q(kind="breaking"),
                name="nl_one_alert_per_article",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("newsletters:edition", kwargs={"key": self.public_key})


class Delivery(models.Model):
    """One message of one edition to one reader; the unit a sender claims."""

    class Status(models.TextChoices):
        PENDING = "pending", "بالانتظار"
        CLAIMED = "claimed", "محجوزة للإرسال"
        SENT = "sent", "أُرسلت"
        FAILED = "failed", "فشلت"
        UNCERTAIN = "uncertain", "غير مؤكَّدة"
        SKIPPED = "skipped", "لم تُرسل (محظور أو ألغى)"
        BOUNCED = "bounced", "ارتدّت"
        COMPLAINED = "complained", "شكوى"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    claim = models.CharField(max_length=32, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    unsubscribed = models.BooleanField(default=False)

    class Meta:
        verbose_name = "رسالة"
        verbose_name_plural = "الرسائل"
        constraints = [
            models.UniqueConstraint(fields=["edition", "subscriber"], name="nl_one_per_reader")
        ]
        indexes = [models.Index(fields=["edition", "status", "id"], name="nl_delivery_queue")]

    def __str__(self) -> str:
        return f"{self.edition_id}/{self.pk} {self.status}"


class Suppression(models.Model):
    """Addresses we never mail again: hard bounces, complaints, manual blocks."""

    class Reason(models.TextChoices):
        BOUNCE = "bounce", "ارتداد دائم"
        COMPLAINT = "complaint", "شكوى بريد مزعج"
        MANUAL = "manual", "حظر يدوي"

    email = models.CharField("البريد الإلكتروني", max_length=254, unique=True)
    reason = models.CharField("السبب", max_length=16, choices=Reason.choices)
    detail = models.CharField("التفاصيل", max_length=500, blank=True)
    at = models.DateTimeField("التاريخ", default=timezone.now)
    edition = models.ForeignKey(Edition, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = "عنوان محظور"
        verbose_name_plural = "قائمة الحظر"
        ordering = ["-at"]

    def __str__(self) -> str:
        return self.email


class SoftBounce(models.Model):
    """Temporary failures; several in a row become a suppression."""

    email = models.CharField(max_length=254, db_index=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "ارتداد مؤقت"
        verbose_name_plural = "ارتدادات مؤقتة"

    def __str__(self) -> str:
        return self.email
