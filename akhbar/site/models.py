"""Site-wide settings and static pages (about, privacy policy)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from akhbar.newsroom.public import SafeImageField, sanitize_html

SETTINGS_CACHE_KEY = "akhbar:site-settings:v1"


class SiteSettings(models.Model):
    """One row (pk=1) that editors change in the admin instead of in code."""

    site_name = models.CharField("اسم الموقع", max_length=120, default="أخبار")
    tagline = models.CharField("الشعار النصي", max_length=200, blank=True)
    copyright_holder = models.CharField("صاحب حقوق النشر", max_length=200, default="أخبار")
    logo = SafeImageField("الشعار", upload_to="site/", blank=True)
    language = models.CharField("اللغة", max_length=10, default="ar")
    show_hijri_date = models.BooleanField("إظهار التاريخ الهجري", default=True)
    brand_color = models.CharField(
        "لون الهوية",
        max_length=7,
        default="#b3121b",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "اكتب اللون بصيغة #RRGGBB.")],
        help_text="يُستخدم في رسائل النشرة البريدية (مثل #b3121b).",
    )
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
        from akhbar.core import events

        self.pk = 1
        existed = not self._state.adding or SiteSettings.objects.filter(pk=1).exists()
        super().save(*args, **kwargs)
        cache.delete(SETTINGS_CACHE_KEY)
        # current() creates the row with defaults on first use, often in the middle of
        # rendering a page; that changes nothing a reader sees.
        if existed:
            events.emit(events.SiteSettingsChanged())

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
        from akhbar.core import events

        self.body = sanitize_html(self.body)
        previous = Page.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        super().save(*args, **kwargs)
        slugs = tuple(s for s in dict.fromkeys((previous, self.slug)) if s)
        events.emit(events.PageChanged(page_id=self.pk, slugs=slugs))

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        from akhbar.core import events

        pk, slug = self.pk, self.slug
        result = super().delete(*args, **kwargs)
        events.emit(events.PageChanged(page_id=pk, slugs=(slug,)))
        return result

    def get_absolute_url(self) -> str:  # noqa: DJ012 - after save/delete, which belong together
        return reverse("site:page", kwargs={"slug": self.slug})
