"""``/health/pipeline``: the queue's health for load balancers and monitoring (JSON)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from akhbar.pipeline import health


@never_cache
def pipeline_health(request: HttpRequest) -> JsonResponse:
    """200 when a worker is alive and the queue drains, 503 otherwise (never a traceback)."""
    try:
        report = health.check()
    except Exception as exc:  # the database itself is down: say so, briefly
        return JsonResponse(
            {"ok": False, "problems": [f"health check failed: {type(exc).__name__}"]}, status=503
        )
    return JsonResponse(report.as_dict(), status=200 if report.ok else 503)
