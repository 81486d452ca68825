"""Live coverage views: the readers' update endpoint, entry links, feeds, and the reporters'
mobile posting screen. Logic lives in :mod:`akhbar.live.services`."""

from __future__ import annotations

import contextlib
from typing import Any, TypedDict

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from akhbar.live import services
from akhbar.live.models import Coverage, Entry

#: Readers poll every 10–15 s; browsers may reuse an answer for 5 s, shared caches (Varnish)
#: keep it until the next change purges it (s-maxage), and serve it stale briefly meanwhile.
UPDATES_CACHE_CONTROL = "public, max-age=5, s-maxage=300, stale-while-revalidate=10"


@require_GET
def updates(request: HttpRequest, pk: int) -> HttpResponse:
    """The small JSON readers poll. A poll with the current ETag costs one cache lookup."""
    version = services.current_version(pk)
    if version is None:
        raise Http404("no such coverage")
    etag = f'"live-{pk}-{version}"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        payload = services.updates_payload(pk, version)
        if payload is None:
            raise Http404("no such coverage")
        response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
        # The article page's key (akhbar.core.surrogate.article_page): purged with it.
        response["Surrogate-Key"] = f"p{payload['article']} live{pk}"
    response["ETag"] = etag
    response["Cache-Control"] = UPDATES_CACHE_CONTROL
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


@require_GET
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    """An entry's own link (for sharing): the coverage page that starts at that entry."""
    item = get_object_or_404(
        Entry.objects.select_related("coverage__article"), pk=pk, deleted_at__isnull=True
    )
    article = item.coverage.article
    if not article.is_live:
        raise Http404("no such entry")
    return redirect(f"{article.get_absolute_url()}?before={item.pk + 1}#entry-{item.pk}")


# --- Reporters -----------------------------------------------------------------------------


def _reporter(request: HttpRequest) -> None:
    if not services.can_post(request.user):
        raise PermissionDenied("لا تملك صلاحية النشر في التغطيات المباشرة.")


def _login_needed(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    return None


@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    """The reporter's start screen: coverages that are live or paused, newest first."""
    if (login := _login_needed(request)) is not None:
        return login
    _reporter(request)
    coverages = (
        Coverage.objects.select_related("article")
        .exclude(state=Coverage.State.ENDED)
        .order_by("-started_at")[:30]
    )
    return render(request, "live/desk.html", {"coverages": coverages})


class _Flags(TypedDict):
    """The entry's two check boxes, as services.post_entry takes them."""

    is_breaking: bool
    is_pinned: bool


def _form_flags(data: Any) -> _Flags:
    return {
        "is_breaking": data.get("is_breaking") == "on",
        "is_pinned": data.get("is_pinned") == "on",
    }


@require_http_methods(["GET", "POST"])
def post(request: HttpRequest, pk: int) -> HttpResponse:
    """One text box and one button, the last 20 entries below. Without JavaScript it is a
    plain form; with it the entry is sent in place and the box is cleared."""
    if (login := _login_needed(request)) is not None:
        return login
    _reporter(request)
    coverage = get_object_or_404(Coverage.objects.select_related("article"), pk=pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    error = ""
    typed: dict[str, Any] = {}
    if request.method == "POST":
        typed = {
            "text": request.POST.get("text", ""),
            "title": request.POST.get("title", ""),
            "image_alt": request.POST.get("image_alt", ""),
            "image_credit": request.POST.get("image_credit", ""),
            "quote_source": request.POST.get("quote_source", ""),
            "embed_url": request.POST.get("embed_url", ""),
        }
        try:
            item = services.post_entry(
                coverage,
                user=request.user,
                image=request.FILES.get("image"),
                **typed,
                **_form_flags(request.POST),
            )
        except services.LiveError as exc:
            error = str(exc)
            if wants_json:
                return JsonResponse({"error": error}, status=400)
        else:
            if wants_json:
                return JsonResponse(
                    {"id": item.pk, "html": services.render_entry(item)}, status=201
                )
            messages.success(request, "نُشر المدخل.")
            return redirect("live:post", pk=coverage.pk)
    alert_url = ""
    if services.can_moderate(request.user) and request.user.has_perm("newsletters.change_edition"):
        # Breaking alerts (email + push) are the newsletters app's, when it is installed: its
        # confirmation page shows how many readers the alert will reach before anything is sent.
        with contextlib.suppress(NoReverseMatch):
            alert_url = reverse("admin:newsletters_edition_alert", args=[coverage.article_id])
    draft = services.draft_for(coverage, request.user)
    if not typed and draft is not None:
        typed = {"text": draft.text, "title": draft.title}
    page = services.stream(coverage)
    response = render(
        request,
        "live/post.html",
        {
            "coverage": coverage,
            "page": page,
            "typed": typed,
            "error": error,
            "can_moderate": services.can_moderate(request.user),
            "max_text": services.MAX_TEXT,
            "alert_url": alert_url,
        },
        status=400 if error else 200,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave of the reporter's box (every few seconds while typing)."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "سجّل الدخول أولًا."}, status=403)
    _reporter(request)
    coverage = get_object_or_404(Coverage, pk=pk)
    services.save_draft(
        coverage,
        request.user,
        text=request.POST.get("text", ""),
        title=request.POST.get("title", ""),
    )
    return JsonResponse({"saved": True})


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    _reporter(request)
    item = get_object_or_404(Entry.objects.select_related("coverage__article"), pk=pk)
    if not services.can_change(request.user, item):
        raise PermissionDenied("لا تملك صلاحية تعديل هذا المدخل.")
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "delete":
                services.delete_entry(item, user=request.user)
                messages.success(request, "حُذف المدخل.")
                return redirect("live:post", pk=item.coverage_id)
            if action in ("pin", "unpin"):
                services.set_pinned(item, action == "pin", user=request.user)
                messages.success(request, "ثُبّت المدخل." if action == "pin" else "أُلغي التثبيت.")
                return redirect("live:post", pk=item.coverage_id)
            expected = request.POST.get("version", "")
            result = services.edit_entry(
                item,
                user=request.user,
                text=request.POST.get("text", ""),
                title=request.POST.get("title", ""),
                expected_version=int(expected)
                if expected.isascii() and expected.isdigit()
                else None,
            )
        except services.LiveError as exc:
            error = str(exc)
        else:
            if result.conflict:
                messages.warning(request, result.conflict)
            else:
                messages.success(request, "حُفظ التعديل.")
            return redirect("live:post", pk=item.coverage_id)
    from akhbar.newsroom.public import html_to_text

    text = request.POST.get("text") if request.method == "POST" else html_to_text(item.body)
    response = render(
        request,
        "live/edit.html",
        {
            "entry": item,
            "text": text,
            "error": error,
            "can_moderate": services.can_moderate(request.user),
        },
        status=400 if error else 200,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def coverage_state(request: HttpRequest, pk: int) -> HttpResponse:
    """Editors: pause, resume, end; and the key-events summary."""
    if not services.can_moderate(request.user):
        raise PermissionDenied("هذا الإجراء للمحرّرين.")
    coverage = get_object_or_404(Coverage, pk=pk)
    try:
        if "summary" in request.POST:
            services.set_summary(coverage, request.POST["summary"], user=request.user)
            messages.success(request, "حُدّثت أبرز الأحداث.")
        else:
            services.set_state(coverage, request.POST.get("state", ""), user=request.user)
            messages.success(request, f"حالة التغطية الآن: {coverage.get_state_display()}.")
    except services.LiveError as exc:
        messages.error(request, str(exc))
    return redirect("live:post", pk=coverage.pk)
