"""Staff-only JSON endpoint behind the tag-suggestion buttons of the article form."""

from __future__ import annotations

import json

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_http_methods

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
            except (ValueError, UnicodeDecodeError):
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
    except (TypeError, ValueError):
        k = 8
    suggestions = services.suggest_tags(title[:2000], body[:MAX_INPUT_CHARS], k)
    return JsonResponse({"suggestions": [s.as_dict() for s in suggestions]})
