"""Refuse URLs that no page can have, before any view or database sees them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict


class RejectNulInPathMiddleware:
    """A NUL byte (``%00``) is never part of a slug, a path or a search. SQLite ignores it
    quietly but PostgreSQL refuses any query containing one, so without this check a probe
    like ``/news/%00/`` or ``/admin/…/?q=%00`` would become a database error (500). Paths get
    the Arabic 404; query parameters simply lose the NUL bytes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            from akhbar.site.views import not_found

            return not_found(request)
        if "%00" in request.META.get("QUERY_STRING", ""):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            # Immutable now, as Django's own; the stubs type request.GET as that class.
            request.GET = cleaned  # type: ignore[assignment]
        return self.get_response(request)
