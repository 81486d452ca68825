"""The search page. Thin: parsing, engine and snippets live in services."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from akhbar.search import services


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
