"""Site-wide settings and static pages (about, privacy policy)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import models
from django.urls import reverse

from akhbar.newsroom.html import sanitize_html

SETTINGS_CACHE_KEY = "akhbar:site-settings:v1"


class SiteSettings(models.Model):
    """One row (pk=1) that editors change in the admin instead of in code."""

    site_name = models.CharField("اسم الموقع", max_length=120, default="أخبار")
    tagline = models.CharField("الشعار النصي", max_length=200, blank=True)
    copyright_holder = models.CharField("صاحب حقوق النشر", max_length=200, default="أخبار")
    logo = models.ImageField("الشعار", upload_to="site/", blank=True)
    language = models.CharField("اللغة", max_length=10, default="ar")
    show_hijri_date = models.BooleanField("إظهار التاريخ الهجري", default=True)
    numerals = models.CharField(
        "الأرقام في واجهة الموقع",
        max_length=16,
        choices=[("western", "أرقام غربية (0 1 2 3)"), ("arabic-indic", "أرقام هندية (٠ ١ ٢ ٣)")],
        default="western",
        help_text="تُطبَّق على التواريخ والأوقات والأعداد وأرقام الصفحات، لا على نصوص المحررين.",
    )

    class Meta:
        verbose_name = "إعدادات الموقع"
        verbose_name_plural = "إعدادات الموقع"

    def __str__(self) -> str:
        return self.site_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(SETTINGS_CACHE_KEY)

    @classmethod
    def current(cls) -> SiteSettings:
        """The settings row, cached so a page view costs no query for it."""
        found = cache.get(SETTINGS_CACHE_KEY)
        if found is None:
            found, _ = cls.objects.get_or_create(pk=1)
            cache.set(SETTINGS_CACHE_KEY, found, 300)
        return found


class Page(models.Model):
    title = models.CharField("العنوان", max_length=200)
    slug = models.SlugField("المعرّف في الرابط", max_length=120, unique=True, allow_unicode=True)
    body = models.TextField("النص", blank=True)
    is_published = models.BooleanField("منشورة", default=True)
    updated_at = models.DateTimeField("آخر تحديث", auto_now=True)

    class Meta:
        verbose_name = "صفحة ثابتة"
        verbose_name_plural = "الصفحات الثابتة"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("site:page", kwargs={"slug": self.slug})
