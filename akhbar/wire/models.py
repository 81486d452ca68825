"""Agency sources, the rules mapping their subjects to our sections and tags, what they sent."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models


class WireSource(models.Model):
    """An agency feed: files dropped in a folder (FTP/SFTP), pushed to us, or polled."""

    class Kind(models.TextChoices):
        FOLDER = "folder", "مجلد مراقَب"
        PUSH = "push", "استقبال عبر HTTP"
        POLL = "poll", "رابط يُجلب دوريًا"

    class Format(models.TextChoices):
        AUTO = "auto", "تلقائي"
        NEWSML = "newsml", "NewsML-G2"
        NINJS = "ninjs", "ninjs"
        RSS = "rss", "RSS/Atom"

    name = models.CharField("الاسم", max_length=200)
    kind = models.CharField("طريقة الاستلام", max_length=8, choices=Kind.choices)
    format = models.CharField("الصيغة", max_length=8, choices=Format.choices, default=Format.AUTO)
    folder = models.CharField(
        "المجلد", max_length=200, blank=True, help_text="اسم مجلد داخل مجلد الوكالات على الخادم"
    )
    url = models.URLField("الرابط", max_length=500, blank=True)
    secret = models.CharField("السر", max_length=100, blank=True, help_text="للاستقبال عبر HTTP")
    credit = models.CharField("اسم المصدر المعروض", max_length=200, help_text="يظهر بجانب «المصدر»")
    default_category = models.ForeignKey(
        "newsroom.Category",
        verbose_name="القسم الافتراضي",
        on_delete=models.PROTECT,
        related_name="+",
    )
    auto_publish = models.BooleanField("نشر تلقائي", default=False)
    is_active = models.BooleanField("مفعّل", default=True)
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_checked_at = models.DateTimeField("آخر فحص", null=True, blank=True, editable=False)
    last_error = models.TextField("آخر خطأ", blank=True, editable=False)

    class Meta:
        verbose_name = "مصدر وكالة"
        verbose_name_plural = "مصادر الوكالات"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.kind == self.Kind.PUSH and not self.secret:
            self.secret = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)


class SubjectRule(models.Model):
    """An agency subject (IPTC code like ``medtop:04000000`` or a word in its name) → a section
    and/or tag. Rules with no source apply to every source; lower position wins for sections."""

    source = models.ForeignKey(
        WireSource,
        verbose_name="المصدر",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules",
        help_text="فارغ = كل المصادر",
    )
    match = models.CharField(
        "الموضوع", max_length=200, help_text="رمز مثل medtop:04000000 أو كلمة من اسم الموضوع"
    )
    category = models.ForeignKey(
        "newsroom.Category",
        verbose_name="القسم",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    tag = models.ForeignKey(
        "newsroom.Tag",
        verbose_name="الوسم",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField("الترتيب", default=0)

    class Meta:
        verbose_name = "قاعدة موضوع"
        verbose_name_plural = "قواعد المواضيع"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.match

    def matches(self, code: str, name: str) -> bool:
        m = self.match.strip().casefold()
        return bool(m) and (m == code.casefold() or (":" not in m and m in name.casefold()))


class WireItem(models.Model):
    """One agency item (by guid) and the article it became; later versions update it."""

    source = models.ForeignKey(WireSource, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=500)
    version = models.PositiveIntegerField(default=1)
    article = models.ForeignKey(
        "newsroom.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pubstatus = models.CharField(max_length=16, default="usable")
    embargo = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "newsroom.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="مشابه لـ",
    )
    duplicate_score = models.FloatField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "خبر وكالة"
        verbose_name_plural = "أخبار الوكالات"
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="wireitem_source_guid")
        ]

    def __str__(self) -> str:
        return f"{self.guid} v{self.version}"


class WireLog(models.Model):
    """What happened to each item (and each file): the source's log editors read."""

    class Level(models.TextChoices):
        OK = "ok", "تم"
        SKIPPED = "skipped", "تُجوهل"
        ERROR = "error", "خطأ"

    source = models.ForeignKey(WireSource, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    filename = models.CharField("الملف", max_length=300, blank=True)
    guid = models.CharField(max_length=500, blank=True)
    level = models.CharField("النتيجة", max_length=8, choices=Level.choices)
    message = models.TextField("الرسالة")
    article = models.ForeignKey(
        "newsroom.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "سجل الوكالة"
        verbose_name_plural = "سجل الوكالات"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.level}: {self.message[:60]}"
