"""Wire output for partners (under /api/v1/wire/, so API keys, limits and ETags apply) and the
HTTP push endpoint agencies deliver to."""

from __future__ import annotations

import hashlib
import hmac

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from akhbar.api import public as rep
from akhbar.core.conf import akhbar_settings
from akhbar.newsroom.models import Article
from akhbar.wire import ingest, output
from akhbar.wire.models import WireSource

FEED_SIZE = 50


def _base(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _article(pk: int) -> Article:
    article = rep.api_queryset().filter(pk=pk).first()
    if article is None:
        raise Http404("article not found")
    return article


def _version(request: HttpRequest) -> str:
    v = request.GET.get("version", "3")
    return "2" if v.startswith("2") else "3"


@require_GET
def ninjs_article(request: HttpRequest, pk: int) -> HttpResponse:
    doc = output.ninjs(_base(request), _article(pk), _version(request))
    return JsonResponse(doc, json_dumps_params={"ensure_ascii": False})


@require_GET
def newsml_article(request: HttpRequest, pk: int) -> HttpResponse:
    body = output.newsml_bytes(_base(request), _article(pk))
    return HttpResponse(body, content_type="application/vnd.iptc.g2.newsitem+xml; charset=utf-8")


def _latest() -> list[Article]:
    return list(rep.api_queryset().order_by("-published_at", "-id")[:FEED_SIZE])


@require_GET
def ninjs_feed(request: HttpRequest) -> HttpResponse:
    base, version = _base(request), _version(request)
    items = [output.ninjs(base, a, version) for a in _latest()]
    return JsonResponse({"items": items}, json_dumps_params={"ensure_ascii": False})


@require_GET
def newsml_feed(request: HttpRequest) -> HttpResponse:
    body = output.news_message(_base(request), _latest(), timezone.now().isoformat())
    return HttpResponse(body, content_type="application/vnd.iptc.g2.newsmessage+xml; charset=utf-8")


def push_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@csrf_exempt
@require_POST
def push(request: HttpRequest, pk: int) -> HttpResponse:
    """An agency POSTs one file (NewsML-G2, ninjs or RSS) signed with the source's secret:
    ``X-Akhbar-Signature: sha256=<hex HMAC of the body>`` (or ``Authorization: Bearer <secret>``
    for agencies that cannot sign)."""
    source = WireSource.objects.filter(pk=pk, kind=WireSource.Kind.PUSH, is_active=True).first()
    if source is None or not source.secret:
        return JsonResponse({"detail": "unknown source"}, status=404)
    limit = akhbar_settings.wire_max_bytes
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > limit:
        return JsonResponse({"detail": f"body larger than {limit // 1048576} MB"}, status=413)
    body = request.body
    sig = request.headers.get("X-Akhbar-Signature", "")
    bearer = request.headers.get("Authorization", "")
    ok = (sig and hmac.compare_digest(push_signature(source.secret, body), sig)) or (
        bearer.startswith("Bearer ") and hmac.compare_digest(bearer[7:].strip(), source.secret)
    )
    if not ok:
        return JsonResponse({"detail": "bad signature"}, status=401)
    result = ingest.ingest_bytes(source, body, filename=f"push {timezone.now():%Y-%m-%d %H:%M:%S}")
    status = 422 if result.fatal else 200
    return JsonResponse(
        {
            "created": result.created,
            "updated": result.updated,
            "killed": result.killed,
            "skipped": result.skipped,
            "errors": result.errors,
            "error": result.fatal or None,
        },
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
