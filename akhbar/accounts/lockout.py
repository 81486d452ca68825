"""The Arabic page django-axes shows to a locked-out login (429, never a 200 that looks like
a wrong password, so scripts stop and people know what happened)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(request: HttpRequest, response: Any = None, credentials: Any = None,
                     *args: Any, **kwargs: Any) -> HttpResponse:  # fmt: skip
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    minutes = int(cooloff.total_seconds() // 60) if cooloff else 0
    context = {
        **admin.site.each_context(request),
        "title": "الدخول موقوف مؤقتاً",
        "cooloff_minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "accounts/lockout.html", context, status=429)
