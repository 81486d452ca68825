"""Answer old WordPress links with a permanent redirect to where the content lives now.

Only a response that is already a 404 is looked at (so no real page can ever be shadowed
and normal traffic costs nothing), except ``/?p=123``-style links: the home page answers
those with 200, so the id parameters are checked before the view runs. Either way it costs
one indexed query.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from akhbar.importers import legacy


class LegacyUrlMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and request.GET:
            path = legacy.normalise_path(request.path)
            if path == "/":
                key = legacy.query_key(request.GET)
                if key and (redirect := self._redirect(key)):
                    return redirect
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            redirect = self._redirect(legacy.normalise_path(request.path))
            if redirect is None and request.GET:
                key = legacy.query_key(request.GET)
                redirect = self._redirect(key) if key else None
            if redirect is not None:
                return redirect
        return response

    @staticmethod
    def _redirect(key: str) -> HttpResponse | None:
        row = legacy.lookup(key)
        target = row.target if row else None
        if target is None:
            return None
        return HttpResponsePermanentRedirect(target.get_absolute_url())
