from __future__ import annotations

from django.http import HttpRequest

from akhbar.newsroom.models import Category
from akhbar.site.models import SiteSettings


def site(request: HttpRequest) -> dict:
    """Site settings and the section menu, on every page (two cheap, bounded queries at most)."""
    from django.utils import timezone

    return {
        "site_settings": SiteSettings.current(),
        "menu_categories": Category.objects.filter(parent__isnull=True).only("name", "slug"),
        "current_year": timezone.localdate().year,
    }
