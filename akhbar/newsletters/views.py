"""Reader-facing newsletter endpoints. Thin: the rules live in services.py.

The subscribe form sits on cached article pages, so, like the comment form, it carries no
token in the HTML: the page script fetches one from ``state/`` (uncached). Without JavaScript
the POST fails the CSRF check and the reader gets the same form back, typed address and chosen
lists kept, with a fresh token: one more click, nothing lost.

Every page reached by a signed link is ``private, no-store``: it is one reader's.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from akhbar.core.conf import akhbar_settings
from akhbar.newsletters import addresses, bounces, editions, services
from akhbar.newsletters import render as email_render
from akhbar.newsletters.models import Edition, NewsletterList, Subscriber

log = logging.getLogger(__name__)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@never_cache
@require_GET
def state(request: HttpRequest) -> JsonResponse:
    """What a cached page's form needs from this reader's browser: a CSRF token."""
    return JsonResponse({"csrf": get_token(request)})


@require_GET
def subscribe_page(request: HttpRequest) -> HttpResponse:
    """The subscribe page: every list, and the latest editions' web versions. Cacheable."""
    recent = (
        Edition.objects.filter(status=Edition.Status.SENT)
        .select_related("newsletter")
        .order_by("-sent_at")[:10]
    )
    return render(
        request,
        "newsletters/subscribe.html",
        {
            "lists": services.public_lists(),
            "recent": list(recent),
            "wording": services.CONSENT_WORDING,
        },
    )


def _form_again(request: HttpRequest, *, message: str, errors: dict, status: int) -> HttpResponse:
    """The no-JavaScript answer: the form with what the reader typed, on an uncached page."""
    response = render(
        request,
        "newsletters/subscribe.html",
        {
            "lists": services.public_lists(),
            "recent": [],
            "wording": services.CONSENT_WORDING,
            "message": message,
            "errors": errors,
            "typed_email": request.POST.get("email", "")[:254],
            "typed_lists": request.POST.getlist("lists"),
            "source": request.POST.get("source", "")[:500],
            "with_token": True,
        },
        status=status,
    )
    return _private(response)


@csrf_exempt  # checked below so that a failed check keeps what the reader typed
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    # The view argument is only read for a csrf_exempt mark: None is "not exempt".
    csrf_check = CsrfViewMiddleware(lambda r: HttpResponse())
    csrf_failure = csrf_check.process_view(request, None, (), {})  # type: ignore[arg-type]
    if csrf_failure is not None:
        message = "للتأكد من طلبك، راجع عنوانك ثم اضغط «اشترك» مرة أخرى."
        if _wants_json(request):
            return JsonResponse({"status": "error", "message": message}, status=403)
        return _form_again(request, message=message, errors={}, status=200)
    if request.POST.get("website"):  # honeypot: bots get the same answer, nothing happens
        message = services.SAME_ANSWER
        if _wants_json(request):
            return JsonResponse({"status": "ok", "message": message})
        return _private(render(request, "newsletters/done.html", {"message": message}))
    try:
        outcome = services.request_subscription(
            request.POST.get("email", "")[:1000],
            request.POST.getlist("lists")[:20],
            ip=services.client_ip(request),
            source=request.POST.get("source", "") or request.headers.get("Referer", ""),
        )
    except services.SubscribeError as exc:
        errors = {exc.field: str(exc)} if exc.field else {}
        if _wants_json(request):
            return JsonResponse(
                {"status": "invalid", "message": str(exc), "errors": errors}, status=exc.status
            )
        return _form_again(request, message=str(exc), errors=errors, status=exc.status)
    if _wants_json(request):
        return JsonResponse({"status": "ok", "message": outcome.message})
    return _private(render(request, "newsletters/done.html", {"message": outcome.message}))


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST confirms (mail scanners follow links, not forms)."""
    if request.method == "GET":
        from akhbar.newsletters import tokens

        parsed = tokens.read_confirm_token(token)
        context: dict = {"token": token, "valid": parsed is not None}
        if parsed is None:
            context["expired"] = tokens.confirm_token_expired(token)
        else:
            context["lists"] = list(
                NewsletterList.objects.filter(slug__in=parsed.lists).values_list("name", flat=True)
            )
        status = 200 if parsed is not None else 400
        return _private(render(request, "newsletters/confirm.html", context, status=status))
    result = services.confirm(token, source=request.build_absolute_uri())
    context = {"result": result}
    if result.subscriber is not None:
        context["prefs_token"] = services.preferences_token(result.subscriber)
    return _private(
        render(request, "newsletters/confirmed.html", context, status=200 if result.ok else 400)
    )


def _subscriber(purpose: str, token: str) -> tuple[Subscriber, int]:
    found = services.subscriber_for(purpose, token)
    if found is None:
        raise Http404("رابط غير صالح")
    return found


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "newsletters/invalid_link.html", status=404))


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    found = services.subscriber_for("prefs", token)
    if found is None:
        return _invalid_link(request)
    subscriber, _ = found
    saved = False
    if request.method == "POST":
        services.update_preferences(
            subscriber, request.POST.getlist("lists")[:20], source=request.build_absolute_uri()
        )
        subscriber.refresh_from_db()
        saved = True
    return _private(
        render(
            request,
            "newsletters/preferences.html",
            {
                "subscriber": subscriber,
                "email_display": addresses.display(subscriber.email),
                "lists": services.public_lists(),
                "active": services.active_slugs(subscriber),
                "token": token,
                "saved": saved,
            },
        )
    )


@require_GET
def export(request: HttpRequest, token: str) -> HttpResponse:
    found = services.subscriber_for("prefs", token)
    if found is None:
        return _invalid_link(request)
    response = HttpResponse(
        services.export_data(found[0]), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="akhbar-newsletter-data.json"'
    return _private(response)


@require_POST
def erase(request: HttpRequest, token: str) -> HttpResponse:
    found = services.subscriber_for("prefs", token)
    if found is None:
        return _invalid_link(request)
    services.erase(found[0])
    return _private(
        render(
            request,
            "newsletters/done.html",
            {"message": "حذفنا عنوانك وكل ما يتعلق باشتراكك. لن تصلك منا رسائل أخرى."},
        )
    )


@csrf_exempt  # RFC 8058: the one-click POST carries no cookie and no token; the link is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = services.subscriber_for("unsub", token)
    if found is None:
        if request.method == "POST" and not _is_browser_form(request):
            return _private(HttpResponse("invalid link", status=404, content_type="text/plain"))
        return _invalid_link(request)
    subscriber, list_id = found
    newsletter = NewsletterList.objects.filter(pk=list_id).first() if list_id else None
    if request.method == "GET":
        # A link scanner's GET changes nothing; the page has the one-click button.
        return _private(
            render(
                request,
                "newsletters/unsubscribe.html",
                {"token": token, "newsletter": newsletter, "done": False},
            )
        )
    everything = request.POST.get("scope") == "all"
    services.unsubscribe(subscriber, 0 if everything else list_id, method="one-click")
    if not _is_browser_form(request):
        return _private(HttpResponse("unsubscribed", content_type="text/plain; charset=utf-8"))
    return _private(
        render(
            request,
            "newsletters/unsubscribe.html",
            {
                "token": token,
                "newsletter": None if everything else newsletter,
                "done": True,
                "prefs_token": services.preferences_token(subscriber),
            },
        )
    )


def _is_browser_form(request: HttpRequest) -> bool:
    """A reader clicking our page's button (vs. a mail client's RFC 8058 POST)."""
    return request.POST.get("List-Unsubscribe") != "One-Click"


@require_GET
def edition(request: HttpRequest, key: str) -> HttpResponse:
    """The web version of an edition (no reader links in it). Cacheable like any page."""
    item = get_object_or_404(
        Edition.objects.select_related("newsletter").exclude(status=Edition.Status.CANCELLED),
        public_key=key,
    )
    if item.status == Edition.Status.HELD and not (
        request.user.is_authenticated and request.user.is_staff
    ):
        raise Http404("النشرة غير موجودة")
    response = render(
        request,
        "newsletters/edition.html",
        {
            "edition": item,
            "stories": email_render.stories_for(item),
            "lists": services.public_lists(),
            "wording": services.CONSENT_WORDING,
        },
    )
    if item.status != Edition.Status.SENT:
        response = _private(response)
    return response


@csrf_exempt  # authenticated by the HMAC signature instead
@require_POST
def bounce_webhook(request: HttpRequest) -> HttpResponse:

    secret = akhbar_settings.newsletter_webhook_secret
    if not bounces.verify_webhook(
        secret, request.body, request.headers.get("X-Akhbar-Signature", "")
    ):
        log.warning("bounce webhook: bad or missing signature")
        return JsonResponse({"error": "bad signature"}, status=403)
    try:
        report = bounces.process_webhook(bounces.parse_json(request.body))
    except (ValueError, UnicodeDecodeError) as exc:
        return JsonResponse({"error": f"bad payload: {exc}"[:200]}, status=400)
    return JsonResponse(
        {
            "bounced": report.bounced,
            "soft": report.soft,
            "complaints": report.complaints,
            "ignored": report.ignored,
        }
    )


__all__ = ["editions"]
