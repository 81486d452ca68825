"""``{% live_coverage %}`` on the article page: the coverage's stream when the article is a
live coverage, nothing otherwise (one indexed query)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from akhbar.core.conf import akhbar_settings
from akhbar.live import services

register = template.Library()


@register.simple_tag(takes_context=True)
def live_coverage(context: Any, article: Any) -> SafeString:
    coverage = services.coverage_for_article(article)
    if coverage is None:
        return mark_safe("")
    request = context.get("request")
    before = services.parse_before(request.GET.get("before") if request is not None else None)
    page = services.stream(coverage, before=before)
    html = render_to_string(
        "live/coverage.html",
        {
            "coverage": coverage,
            "page": page,
            "article": article,
            "poll_seconds": akhbar_settings.live_poll_seconds,
        },
        request=request,
    )
    return mark_safe(html)
