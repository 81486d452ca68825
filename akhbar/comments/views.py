"""Comment endpoints. The article page itself is cacheable and identical for every reader;
everything per-reader (CSRF token, signed form timestamp, remembered name, own pending
comments) comes from these small uncached requests or from the reader's own cookies."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from akhbar.comments import services
from akhbar.comments.forms import CommentForm, sign_timestamp
from akhbar.comments.services import CommentNode
from akhbar.core.conf import akhbar_settings
from akhbar.core.net import client_ip
from akhbar.newsroom.models import Article

PENDING_COOKIE = "akhbar_comments"
REMEMBER_COOKIE = "akhbar_commenter"
PENDING_SALT = "akhbar.comments.pending"
REMEMBER_SALT = "akhbar.comments.remember"


def pending_ids(request: HttpRequest) -> list[int]:
    raw = request.get_signed_cookie(PENDING_COOKIE, default="", salt=PENDING_SALT) or ""
    return [int(x) for x in raw.split(",") if x.isdigit()]


def remembered(request: HttpRequest) -> dict[str, str]:
    raw = request.get_signed_cookie(REMEMBER_COOKIE, default="", salt=REMEMBER_SALT)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return {k: str(data.get(k, ""))[:254] for k in ("name", "email", "url")}


def _is_ajax(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _article(pk: int) -> Article:
    return get_object_or_404(Article.objects.published().select_related("category"), pk=pk)


@never_cache
@require_GET
def form_state(request: HttpRequest, article_id: int) -> JsonResponse:
    """What a cached article page needs to let this reader post: fetched by the page's script."""
    article = _article(article_id)
    pending = services.reader_pending(article, pending_ids(request))
    html = "".join(
        render_to_string(
            "comments/node.html", {"node": CommentNode(c, [], pending=True)}, request=request
        )
        for c in pending
    )
    data = {
        "csrf": get_token(request),
        "ts": sign_timestamp(timezone.now()),
        "open": services.comments_open(article),
        "pending_html": html,
        **{f"remember_{k}": v for k, v in remembered(request).items()},
    }
    return JsonResponse(data)


def _form_page(
    request: HttpRequest,
    article: Article,
    form: CommentForm,
    *,
    message: str = "",
    status: int = 400,
) -> HttpResponse:
    """The no-JavaScript fallback: the form again, with the reader's text, on an uncached page."""
    response = render(
        request,
        "comments/form_page.html",
        {
            "article": article,
            "form": form,
            "message": message,
            "ts": sign_timestamp(timezone.now()),
            "reply_to": "",
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _refusal(request: HttpRequest, article: Article, form: CommentForm) -> HttpResponse | None:
    """Why this post cannot be taken as it is (token, closed article, invalid form), or None.

    Each refusal answers in the reader's own channel: JSON for the page's script, the form
    again with the reader's text for a browser without JavaScript.
    """
    # The view argument is only read for a csrf_exempt mark: None is "not exempt".
    csrf_check = CsrfViewMiddleware(lambda r: HttpResponse())
    csrf_failure = csrf_check.process_view(request, None, (), {})  # type: ignore[arg-type]
    if csrf_failure is not None:
        # A cached page carries no token; a reader without JavaScript lands here. Nothing is
        # lost: the same text comes back with a fresh token for one more click.
        message = "للتأكد من إرسالك، راجع تعليقك ثم اضغط «إرسال التعليق» مرة أخرى."
        if _is_ajax(request):
            return JsonResponse({"status": "error", "message": message}, status=403)
        form.is_valid()
        form.errors.clear()
        return _form_page(request, article, form, message=message, status=200)
    if not services.comments_open(article):
        message = "التعليقات مغلقة على هذا المقال."
        if _is_ajax(request):
            return JsonResponse({"status": "closed", "message": message}, status=400)
        return _form_page(request, article, form, message=message)
    if not form.is_valid():
        if _is_ajax(request):
            errors = {k: [str(e) for e in v] for k, v in form.errors.items()}
            return JsonResponse({"status": "invalid", "errors": errors}, status=400)
        return _form_page(request, article, form, message="يرجى تصحيح الأخطاء المشار إليها.")
    return None


def _outcome_response(
    request: HttpRequest, article: Article, form: CommentForm, outcome: services.PostOutcome
) -> HttpResponse:
    """What the reader sees once the comment was judged: JSON with the rendered comment for
    the script, or a redirect to the comment's anchor (the comments block when none was kept)."""
    if outcome.status == "rejected":
        if _is_ajax(request):
            return JsonResponse({"status": "rejected", "message": outcome.message}, status=429)
        return _form_page(request, article, form, message=outcome.message, status=429)
    comment = outcome.comment
    if not _is_ajax(request):
        anchor = f"#comment-{comment.pk}" if comment else "#comments"
        return redirect(article.get_absolute_url() + anchor)
    html = ""
    if comment is not None:
        node = CommentNode(comment, [], pending=comment.status != "approved")
        html = render_to_string("comments/node.html", {"node": node}, request=request)
    return JsonResponse(
        {
            "status": "approved" if outcome.status == "approved" else "pending",
            "message": outcome.message,
            "html": html,
            "id": comment.pk if comment else None,
            "parent": comment.parent_id if comment else None,
        }
    )


@csrf_exempt  # checked below, so that a failed check can keep the reader's text
@require_POST
def post(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(article_id)
    form = CommentForm(request.POST, user=request.user)
    refusal = _refusal(request, article, form)
    if refusal is not None:
        return refusal
    data = form.cleaned_data
    try:
        parent = services.resolve_parent(article, data.get("parent"))
    except services.ParentError as exc:
        if _is_ajax(request):
            return JsonResponse({"status": "invalid", "errors": {"parent": [str(exc)]}}, status=400)
        return _form_page(request, article, form, message=str(exc))
    outcome = services.post_comment(
        article,
        name=data["author_name"],
        email=data["author_email"],
        url=data["author_url"],
        body=data["body"],
        parent=parent,
        rendered_at=form.rendered_at(),
        honeypot=data.get("fax") or "",
        request=services.RequestInfo(
            ip=client_ip(request) or None,
            user_agent=request.headers.get("User-Agent", ""),
            referrer=request.headers.get("Referer", ""),
            permalink=request.build_absolute_uri(article.get_absolute_url()),
        ),
        user=request.user,
    )
    response = _outcome_response(request, article, form, outcome)
    if outcome.status == "rejected":
        return response
    comment = outcome.comment
    if comment is not None and comment.status != "approved":
        ids = [*pending_ids(request), comment.pk][-20:]
        response.set_signed_cookie(
            PENDING_COOKIE,
            ",".join(map(str, ids)),
            salt=PENDING_SALT,
            max_age=14 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    if data.get("remember"):
        value = json.dumps(
            {"name": data["author_name"], "email": data["author_email"], "url": data["author_url"]}
        )
        response.set_signed_cookie(
            REMEMBER_COOKIE,
            value,
            salt=REMEMBER_SALT,
            max_age=akhbar_settings.remember_commenter_days * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(REMEMBER_COOKIE)
    return response
