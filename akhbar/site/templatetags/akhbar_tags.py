"""Template helpers for Arabic dates and comment rendering."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from hijridate import Gregorian

from akhbar.core.text import localize_digits

register = template.Library()


@register.filter
def arabic_date(value: datetime | None) -> str:
    """Gregorian date in Arabic, e.g. «25 نوفمبر 2026» (Django's Arabic locale month names)."""
    if not value:
        return ""
    return localize_digits(date_format(timezone.localtime(value), "j F Y"))


@register.filter
def arabic_time(value: datetime | None) -> str:
    """Time of day in Arabic, e.g. «6:35 م», digits in the site's numeral system."""
    if not value:
        return ""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return localize_digits(f"{hour}:{local.minute:02d} {'ص' if local.hour < 12 else 'م'}")


@register.filter
def hijri_date(value: datetime | None) -> str:
    """Umm al-Qura Hijri date, e.g. «15 جمادى الآخرة 1448 هـ»; empty outside its range."""
    if not value:
        return ""
    day = timezone.localtime(value).date()
    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    except (OverflowError, ValueError):
        # hijridate covers 1343–1500 AH (1924–2077); older archives just show Gregorian.
        return ""
    return localize_digits(
        f"{hijri.day} {hijri.month_name('ar')} {hijri.year} {hijri.notation('ar')}"
    )


@register.simple_tag
def inline_stylesheet(path: str) -> SafeString:
    """``<style>`` with one of ``inline_css.INLINE_STYLESHEETS``, allowed by its CSP hash."""
    from akhbar.site.inline_css import sheet

    return SafeString(f"<style>{sheet(path).css}</style>")
