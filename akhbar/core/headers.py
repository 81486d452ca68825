"""Security headers Django has no setting for, on every response (cached or not).

Django's ``SecurityMiddleware`` sends ``Referrer-Policy``, ``X-Content-Type-Options`` and
``Cross-Origin-Opener-Policy``; django-csp sends the Content-Security-Policy. What is left is
``Permissions-Policy`` (a fixed header: no package needed). This middleware sits *outside*
the page cache in ``MIDDLEWARE``, so a page answered from the cache gets the same headers as
a freshly rendered one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from akhbar.core.conf import akhbar_settings

log = logging.getLogger("akhbar.csp")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = akhbar_settings.permissions_policy
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response


MAX_REPORT_BYTES = 16 * 1024


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Browsers post policy violations here (``report-uri``); they go to the log, truncated,
    so a report-only trial shows what a strict policy would break."""
    body = request.body[:MAX_REPORT_BYTES].decode("utf-8", "replace")
    log.warning("CSP violation report: %s", body.replace("\n", " ")[:2000])
    return HttpResponse(status=204)
