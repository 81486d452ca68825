"""Refuse URLs that no page can have, before any view or database sees them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class RejectNulInPathMiddleware:
    """A NUL byte (``%00``) is never part of a slug or path. SQLite ignores it quietly but
    PostgreSQL refuses any query containing one, so without this check a probe like
    ``/news/%00/`` would become a database error (500) instead of the Arabic 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            from akhbar.site.views import not_found

            return not_found(request)
        return self.get_response(request)
