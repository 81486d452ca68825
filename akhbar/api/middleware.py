"""What every Content API response shares: keys, rate limits, CORS, ETag / Last-Modified, 304.

A middleware rather than ninja auth classes so the rules apply identically to every endpoint
(including 404s and validation errors) and the endpoints stay plain functions.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import cast

from django.core.cache import cache
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from akhbar.api.models import ApiKey, hash_key
from akhbar.core.conf import akhbar_settings
from akhbar.core.net import client_ip

PREFIX = "/api/"
OPEN_PATHS = ("/api/v1/schema", "/api/v1/docs")


def _key_from(request: HttpRequest) -> str:
    raw = request.headers.get("X-Api-Key", "")
    if not raw:
        auth = request.headers.get("Authorization", "")
        if auth[:7].lower() == "bearer ":
            raw = auth[7:]
    return raw.strip()[:200]


def _error(status: int, detail: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _over_limit(bucket: str, limit: int) -> int:
    """Seconds to wait when ``bucket`` used up ``limit`` requests this minute, else 0."""
    if limit <= 0:
        return 0
    window = int(time.time() // 60)
    key = f"akhbar:api:rate:{bucket}:{window}"
    if cache.add(key, 1, 90):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, 90)
            count = 1
    return 60 - int(time.time() % 60) if count > limit else 0


class ContentApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            return self._cors(request, HttpResponse(status=204), preflight=True)
        response = self._guarded(request)
        if response.status_code >= 400 and "html" in response.get("Content-Type", ""):
            # Django's own pages (unmatched path → Arabic HTML 404) become JSON under /api/.
            detail = {404: "not found", 405: "method not allowed"}.get(
                response.status_code, "error"
            )
            response = _error(response.status_code, detail)
        return self._cors(request, response)

    def _guarded(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(OPEN_PATHS):
            return self.get_response(request)
        raw = _key_from(request)
        key = None
        if raw:
            key = ApiKey.objects.filter(key_hash=hash_key(raw), is_active=True).first()
            if key is None:
                return _error(401, "invalid or revoked API key")
        elif akhbar_settings.api_require_key:
            return _error(401, "an API key is required (X-Api-Key header)")
        if key is not None:
            wait = _over_limit(f"key:{key.pk}", key.rate_limit_per_minute)
        else:
            wait = _over_limit(f"ip:{client_ip(request)}", akhbar_settings.api_anon_per_minute)
        if wait:
            return _error(429, "rate limit exceeded", **{"Retry-After": str(wait)})
        if key is not None:
            ApiKey.objects.filter(pk=key.pk).update(
                request_count=F("request_count") + 1, last_used_at=timezone.now()
            )
        response = self.get_response(request)
        return self._conditional(request, response, private=key is not None)

    def _conditional(
        self, request: HttpRequest, response: HttpResponse, *, private: bool
    ) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.streaming:
            return response
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        modified = getattr(request, "api_last_modified", None)
        if modified is not None:
            response["Last-Modified"] = http_date(modified.timestamp())
        seconds = akhbar_settings.api_max_age
        response["Cache-Control"] = f"{'private' if private else 'public'}, max-age={seconds}"
        patch_vary_headers(response, ["X-Api-Key", "Authorization"])
        # Given a response, Django returns it or a 304/412 in its place, never None.
        conditional = get_conditional_response(
            request,
            etag=etag,
            last_modified=int(modified.timestamp()) if modified is not None else None,
            response=response,
        )
        return cast(HttpResponse, conditional)

    def _cors(
        self, request: HttpRequest, response: HttpResponse, preflight: bool = False
    ) -> HttpResponse:
        allowed = akhbar_settings.api_cors_origins
        origin = request.headers.get("Origin", "")
        if not origin or not allowed:
            return response
        if "*" in allowed:
            response["Access-Control-Allow-Origin"] = "*"
        elif origin in allowed:
            response["Access-Control-Allow-Origin"] = origin
            patch_vary_headers(response, ["Origin"])
        else:
            return response
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
        if preflight:
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "X-Api-Key, Authorization, If-None-Match"
            response["Access-Control-Max-Age"] = "86400"
        return response
