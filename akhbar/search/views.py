"""The search page. Thin: parsing, engine and snippets live in services."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from akhbar.arabic import normalize
from akhbar.search import services
from akhbar.search.suggest import suggest

#: Browsers keep a suggestion list a minute; shared caches (Varnish, a CDN) five, and the
#: server's own copy lives until the next content change (the site's content generation).
SUGGEST_CACHE_CONTROL = "public, max-age=60, s-maxage=300, stale-while-revalidate=60"


@require_GET
def results(request: HttpRequest) -> HttpResponse:
    search = services.run_search_page(request.GET)
    return render(
        request,
        "search/results.html",
        {
            "search": search,
            "page_obj": search.page_obj,
            "query_string": search.query_string,
            "search_query": search.query.text,
        },
    )


@require_GET
def suggestions(request: HttpRequest) -> JsonResponse:
    """JSON for the search box: ``{"q": …, "items": [{"kind", "label", "url"}, …]}`` (≤ 8).

    Anonymous and identical for everyone, so it is cached like pages are.
    """
    from akhbar.core.generation import content_version  # the one content generation

    raw = request.GET.get("q", "")
    text = raw if isinstance(raw, str) else ""
    text = text[: services.MAX_QUERY_LENGTH]
    folded = " ".join(normalize(text).split())
    digest = hashlib.sha256(folded.encode("utf-8", "replace")).hexdigest()[:32]
    key = f"akhbar:suggest:{content_version()}:{digest}"
    items = cache.get(key)
    if items is None:
        items = [item.as_dict() for item in suggest(text)]
        cache.set(key, items, 300)
    response = JsonResponse(
        {"q": folded, "items": items}, json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = SUGGEST_CACHE_CONTROL
    response["Surrogate-Key"] = "akhbar listing search-suggest"
    response["Cache-Tag"] = "akhbar,listing,search-suggest"
    return response
