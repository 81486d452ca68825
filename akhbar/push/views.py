"""Push endpoints: the public key, (un)subscribe, and the service worker at the site root."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from akhbar.push import services


@require_GET
def public_key(request: HttpRequest) -> JsonResponse:
    response = JsonResponse({"key": services.keys().public_key})
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _json(request: HttpRequest) -> Any:  # what the browser sent: checked by services
    if len(request.body) > 4096:
        raise services.PushError("بيانات الاشتراك أكبر من المتوقع.")
    try:
        return json.loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise services.PushError("بيانات الاشتراك غير صحيحة.") from None


@never_cache
@require_POST
def subscribe(request: HttpRequest) -> JsonResponse:
    """CSRF-protected (the token comes from newsletters/state/, like the forms)."""
    try:
        services.subscribe(_json(request))
    except services.PushError as exc:
        return JsonResponse({"status": "invalid", "message": str(exc)}, status=400)
    return JsonResponse({"status": "ok", "message": "ستصلك الأخبار العاجلة إشعاراً على هذا الجهاز."})


@never_cache
@require_POST
def unsubscribe(request: HttpRequest) -> JsonResponse:
    try:
        data = _json(request)
    except services.PushError as exc:
        return JsonResponse({"status": "invalid", "message": str(exc)}, status=400)
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if isinstance(endpoint, str):
        services.unsubscribe(endpoint)
    return JsonResponse({"status": "ok", "message": "أوقفنا الإشعارات على هذا الجهاز."})


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the root so its scope covers the whole site (Service-Worker-Allowed)."""
    path = finders.find("push/sw.js")
    assert isinstance(path, str), "push/sw.js ships with the push app"
    with open(path, "rb") as fh:
        response = HttpResponse(fh.read(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
