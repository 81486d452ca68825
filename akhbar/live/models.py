"""A live coverage and its entries.

A coverage hangs off an ordinary :class:`~akhbar.newsroom.models.Article` (one to one): the
article keeps its headline, section, author, photo, URL, search entry and workflow, so a live
page is found, shared, scheduled and unpublished exactly like any story. The entries are the
stream readers follow.

``Coverage.version`` goes up by one on every change readers can see (an entry posted, edited,
pinned or deleted; the summary; the state). It is the readers' ETag and the cache key of the
update payload, so a poll that finds nothing new costs one cache lookup and no query.
Deleted entries are kept as tombstones (``deleted_at``) for a while, so pages that still show
one can remove it on their next poll.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from akhbar.live.embeds import Embed, embed_info
from akhbar.newsroom.models import Article


class Coverage(models.Model):
    class State(models.TextChoices):
        LIVE = "live", "مباشر الآن"
        PAUSED = "paused", "متوقفة مؤقتًا"
        ENDED = "ended", "انتهت التغطية"

    article = models.OneToOneField(
        Article, verbose_name="المقال", related_name="live_coverage", on_delete=models.CASCADE
    )
    state = models.CharField("الحالة", max_length=10, choices=State, default=State.LIVE)
    summary = models.TextField(
        "أبرز الأحداث",
        blank=True,
        help_text="نقاط قصيرة يختارها المحرّرون تظهر أعلى التغطية (HTML منقّح).",
    )
    started_at = models.DateTimeField("بدأت في", default=timezone.now)
    ended_at = models.DateTimeField("انتهت في", null=True, blank=True)
    version = models.PositiveIntegerField("الإصدار", default=0, editable=False)
    updated_at = models.DateTimeField("آخر تغيير", auto_now=True)

    class Meta:
        verbose_name = "تغطية مباشرة"
        verbose_name_plural = "التغطيات المباشرة"
        permissions = [("post_entries", "يستطيع النشر في التغطيات المباشرة")]

    def __str__(self) -> str:
        return self.article.title

    @property
    def is_live(self) -> bool:
        return self.state == self.State.LIVE


class Entry(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", "نص"
        IMAGE = "image", "صورة"
        QUOTE = "quote", "اقتباس"
        EMBED = "embed", "منشور مضمّن"

    coverage = models.ForeignKey(
        Coverage, verbose_name="التغطية", related_name="entries", on_delete=models.CASCADE
    )
    kind = models.CharField("النوع", max_length=10, choices=Kind, default=Kind.TEXT)
    title = models.CharField("العنوان", max_length=200, blank=True)
    body = models.TextField("النص", blank=True, help_text="HTML منقّح")
    image = models.ImageField("الصورة", upload_to="live/%Y/%m/", blank=True)
    image_alt = models.CharField("النص البديل", max_length=300, blank=True)
    image_credit = models.CharField("مصدر الصورة", max_length=200, blank=True)
    quote_source = models.CharField("قائل الاقتباس", max_length=200, blank=True)
    embed_url = models.URLField("رابط المنشور", max_length=500, blank=True)
    is_breaking = models.BooleanField("عاجل", default=False)
    is_pinned = models.BooleanField("مثبّت", default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="الكاتب",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    author_name = models.CharField("اسم الكاتب", max_length=150, blank=True)
    created_at = models.DateTimeField("وقت النشر", default=timezone.now)
    edited_at = models.DateTimeField("وقت التعديل", null=True, blank=True)
    edited_by_name = models.CharField("عدّله", max_length=150, blank=True)
    deleted_at = models.DateTimeField("وقت الحذف", null=True, blank=True)
    version = models.PositiveIntegerField("الإصدار", default=1, editable=False)

    class Meta:
        verbose_name = "مدخل"
        verbose_name_plural = "المدخلات"
        indexes = [
            models.Index(fields=["coverage", "deleted_at", "-id"], name="live_entry_stream"),
            models.Index(fields=["coverage", "is_pinned"], name="live_entry_pinned"),
        ]

    def __str__(self) -> str:
        return self.title or self.body[:60]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("live:entry", args=[self.pk])

    @property
    def embed(self) -> Embed | None:
        return embed_info(self.embed_url) if self.embed_url else None


class EntryRevision(models.Model):
    """What an entry said before each edit: two reporters editing at once never lose text."""

    entry = models.ForeignKey(Entry, related_name="revisions", on_delete=models.CASCADE)
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    saved_by_name = models.CharField(max_length=150, blank=True)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "نسخة سابقة من مدخل"
        verbose_name_plural = "نسخ سابقة من المدخلات"

    def __str__(self) -> str:
        return f"{self.entry_id} @ {self.saved_at:%Y-%m-%d %H:%M}"


class Draft(models.Model):
    """Each reporter's unsent entry per coverage, kept while they type (and across devices)."""

    coverage = models.ForeignKey(Coverage, related_name="drafts", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coverage", "user"], name="live_one_draft_per_reporter")
        ]

    def __str__(self) -> str:
        return f"draft {self.coverage_id}/{self.user_id}"
