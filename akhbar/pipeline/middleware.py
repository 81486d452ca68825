"""A request whose database connection dies is refused whole, with a clear Arabic page.

Every write in Akhbar happens in one transaction per request (the admin's change view, the
newsroom services) and events/jobs start only after commit, so a connection lost mid-publish
(a PostgreSQL restart, a failover, a pooler kill) rolls the whole change back: nothing is
half done. What was missing is the answer: Django would show a 500. This middleware answers
503 with ``Retry-After`` and says that nothing was saved, logs the cause in English, and drops
the dead connection so the next request reconnects.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template import loader

log = logging.getLogger(__name__)

# Connection-level failures only: a constraint violation or bad SQL is a bug, not an outage.
CONNECTION_ERRORS = (OperationalError, InterfaceError)


def _connection_lost(exc: BaseException) -> bool:
    # "database is locked" (SQLite busy) is an OperationalError too: also transient, same answer.
    return isinstance(exc, CONNECTION_ERRORS)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _connection_lost(exception):
            return None
        log.warning(
            "Database connection lost during %s %s; request refused, nothing committed: %s",
            request.method, request.path, exception,
        )  # fmt: skip
        for conn in connections.all(initialized_only=True):
            try:
                if conn.in_atomic_block:
                    conn.needs_rollback = True
                conn.close_if_unusable_or_obsolete()
            except DatabaseError:  # pragma: no cover - closing a dead socket
                pass
        body = loader.get_template("pipeline/database_unavailable.html").render({})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "5"
        response["Cache-Control"] = "no-store"
        return response
