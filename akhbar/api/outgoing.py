"""Outgoing HTTP to addresses partners or admins configure (webhooks, polled wire URLs).

Until the security engineer's SSRF guard (``akhbar.core.http``) is on main, this one function
refuses non-public destinations itself; the swap is one line in ``client()``. Loopback is allowed
only when ``AKHBAR_OUTGOING_ALLOW_LOOPBACK`` is set (the test suite's HTTP peers run there).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import httpx
from django.conf import settings

USER_AGENT = "Akhbar (+webhooks and wire)"


class BlockedDestination(httpx.HTTPError):
    """The URL points at a private, loopback or otherwise non-public address."""


def _check(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BlockedDestination(f"refused URL {url!r}: only http(s) with a host")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise BlockedDestination(f"cannot resolve {parts.hostname}: {exc}") from exc
    allow_loopback = bool(getattr(settings, "AKHBAR_OUTGOING_ALLOW_LOOPBACK", False))
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_loopback and allow_loopback:
            continue
        if not addr.is_global:
            raise BlockedDestination(f"refused {parts.hostname}: {addr} is not a public address")


def _guard(request: httpx.Request) -> None:
    _check(str(request.url))


def client(*, timeout: float = 10.0) -> httpx.Client:
    """An httpx client whose every request (and redirect) is checked before it is sent."""
    return httpx.Client(
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
        event_hooks={"request": [_guard]},
    )
