"""What the importers remember: where each imported row came from, old URLs, partner feeds.

``ImportedItem`` is the importer's memory between runs (re-importing updates instead of
duplicating) and between passes (links that arrive before their target are resolved from it
after the stream, so the file is never held in memory). ``LegacyUrl`` keeps the old site's
links working; it points at the live object, so a later slug change is followed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

if TYPE_CHECKING:
    from akhbar.newsroom.models import Article, Author, Category, Tag
    from akhbar.site.models import Page


class ImportedItem(models.Model):
    class Kind(models.TextChoices):
        AUTHOR = "author", "كاتب"
        CATEGORY = "category", "قسم"
        TAG = "tag", "وسم"
        POST = "post", "مقال"
        PAGE = "page", "صفحة"
        ATTACHMENT = "attachment", "مرفق"
        COMMENT = "comment", "تعليق"

    source = models.CharField("المصدر", max_length=200, help_text="عنوان موقع ووردبريس الأصلي")
    kind = models.CharField("النوع", max_length=16, choices=Kind.choices)
    key = models.CharField("المفتاح", max_length=255, help_text="رقم ووردبريس أو الاسم المختصر")
    wp_id = models.BigIntegerField("رقم ووردبريس", null=True, blank=True)
    guid = models.CharField("GUID", max_length=500, blank=True, db_index=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    content_object = GenericForeignKey("content_type", "object_id")
    old_permalink = models.CharField("الرابط القديم", max_length=1000, blank=True)
    data = models.JSONField("بيانات إضافية", default=dict, blank=True)
    # Set while something this row points at (a parent, a featured image) is not resolved yet.
    needs_linking = models.BooleanField(default=False, db_index=True)
    imported_at = models.DateTimeField("وقت الاستيراد", auto_now=True)

    class Meta:
        verbose_name = "عنصر مستورد"
        verbose_name_plural = "العناصر المستوردة"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "key"], name="importeditem_source_kind_key"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="importeditem_object")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.source})"


class LegacyUrl(models.Model):
    """An old WordPress address (normalised path or ``?p=N`` query) and what it became."""

    old_path = models.CharField("الرابط القديم", max_length=500, unique=True)
    article = models.ForeignKey(
        "newsroom.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        "newsroom.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    tag = models.ForeignKey(
        "newsroom.Tag", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        "newsroom.Author", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        "site.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    TARGETS = ("article", "category", "tag", "author", "page")

    class Meta:
        verbose_name = "رابط قديم"
        verbose_name_plural = "الروابط القديمة"

    def __str__(self) -> str:
        return self.old_path

    @property
    def target(self) -> Article | Category | Tag | Author | Page | None:
        """What the old link now points at (each of them has a ``get_absolute_url``)."""
        for name in self.TARGETS:
            if getattr(self, f"{name}_id"):
                return getattr(self, name)
        return None


class PartnerFeed(models.Model):
    """An RSS/Atom source whose items become articles (drafts or published)."""

    name = models.CharField("الاسم", max_length=200)
    url = models.URLField("رابط الخلاصة", max_length=500, unique=True)
    attribution = models.CharField(
        "اسم المصدر المعروض", max_length=200, blank=True, help_text="يظهر للقرّاء بجانب «المصدر»"
    )
    default_category = models.ForeignKey(
        "newsroom.Category", verbose_name="القسم", on_delete=models.PROTECT, related_name="+"
    )
    auto_publish = models.BooleanField("نشر تلقائي", default=False)
    is_active = models.BooleanField("مفعّلة", default=True)
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_error = models.TextField("آخر خطأ", blank=True, editable=False)
    last_fetched_at = models.DateTimeField("آخر جلب", null=True, blank=True, editable=False)
    last_status = models.PositiveSmallIntegerField(
        "آخر رمز HTTP", null=True, blank=True, editable=False
    )
    last_created = models.PositiveIntegerField("أُنشئ في آخر جلب", default=0, editable=False)
    last_skipped = models.PositiveIntegerField("تُجوهل في آخر جلب", default=0, editable=False)

    class Meta:
        verbose_name = "خلاصة شريك"
        verbose_name_plural = "خلاصات الشركاء"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerFeedItem(models.Model):
    """One feed entry already seen, so a re-fetch never imports it twice."""

    feed = models.ForeignKey(PartnerFeed, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=500)
    url = models.URLField(max_length=500, blank=True, db_index=True)
    article = models.ForeignKey(
        "newsroom.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "عنصر خلاصة"
        verbose_name_plural = "عناصر الخلاصات"
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="partnerfeeditem_feed_guid")
        ]

    def __str__(self) -> str:
        return self.guid
