"""Staff-only JSON endpoint behind the tag-suggestion buttons of the article form."""

from __future__ import annotations

import json

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_http_methods, require_POST

from akhbar.newsroom.models import Tag
from akhbar.related import services

MAX_INPUT_CHARS = 400_000


@staff_member_required
@require_http_methods(["GET", "POST"])
def tag_suggestions(request: HttpRequest) -> JsonResponse:
    """``{"suggestions": [{"label", "kind", "score"}...]}`` for the posted title and body.

    POST (form-encoded or JSON) is what the form script uses, since bodies are long; GET with
    ``title``/``body`` parameters is handy for trying it by hand. Bad input gets a 400 with
    an Arabic message, never a 500.
    """
    data: dict = request.GET.dict()
    if request.method == "POST":
        if request.content_type == "application/json":
            try:
                data = json.loads(request.body or b"{}")
            except (ValueError, UnicodeDecodeError, RecursionError):
                # RecursionError: deeply nested arrays exhaust the decoder's stack.
                return JsonResponse({"error": "طلب غير صالح."}, status=400)
            if not isinstance(data, dict):
                return JsonResponse({"error": "طلب غير صالح."}, status=400)
        else:
            data = request.POST.dict()
    title, body = data.get("title", ""), data.get("body", "")
    if not isinstance(title, str) or not isinstance(body, str):
        return JsonResponse({"error": "العنوان والنص يجب أن يكونا نصاً."}, status=400)
    try:
        k = min(max(int(data.get("k", 8)), 1), 30)
    except (TypeError, ValueError, OverflowError):
        k = 8
    suggestions = services.suggest_tags(title[:2000], body[:MAX_INPUT_CHARS], k)
    ids = dict(
        Tag.objects.filter(name__in=[s.label for s in suggestions]).values_list("name", "pk")
    )
    return JsonResponse(
        {"suggestions": [{**s.as_dict(), "id": ids.get(s.label)} for s in suggestions]}
    )


@staff_member_required
@require_POST
def ensure_tag(request: HttpRequest) -> JsonResponse:
    """The tag a clicked suggestion names, created if it doesn't exist yet, so the article
    form's tag field (an autocomplete that only holds selected options) can select it."""
    name = " ".join((request.POST.get("name") or "").split())[:100]
    if not name:
        return JsonResponse({"error": "اسم الوسم فارغ."}, status=400)
    existing = Tag.objects.filter(name=name).first()
    if existing is None:
        if not request.user.has_perm("newsroom.add_tag"):
            return JsonResponse({"error": "لا تملك صلاحية إنشاء وسوم جديدة."}, status=403)
        existing = Tag.objects.create(name=name)
    return JsonResponse({"id": existing.pk, "name": existing.name})
