"""Who is acting in this request, for audit entries written from signals and events."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from akhbar.audit.services import reset_request, set_request


class AuditContextMiddleware:
    """Remembers the request while it runs, so an entry written deep in a signal or event
    handler still says who did it and from where (read lazily, only when one is written)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_request(request)
        try:
            return self.get_response(request)
        finally:
            reset_request(token)
