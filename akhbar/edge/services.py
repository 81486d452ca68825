"""Purging Varnish by surrogate key (vmod xkey), from a background job.

``AKHBAR_VARNISH_URLS`` lists the Varnish servers (``http://10.0.0.5:6081,…``); each gets
``PURGE /`` with an ``xkey: k1 k2 …`` header, which ``deploy/varnish/akhbar.vcl`` accepts only
from the app servers' addresses (its ``purgers`` ACL). The URLs come from the operator's
environment, never from a partner or an admin form, so they need no SSRF guard.

Hard purges, not soft ones: a soft purge keeps the object for its grace time and the next
reader would still get the old page (while Varnish refetches). News must change at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import httpx

from akhbar.core.conf import akhbar_settings

log = logging.getLogger(__name__)

#: Keys per PURGE request: keeps the header far below Varnish's 8 KB request header limit.
KEYS_PER_REQUEST = 100


@dataclass(frozen=True, kw_only=True)
class PurgeOutcome:
    """What one purge round did: objects invalidated per Varnish, and who failed and why."""

    purged: dict[str, int]
    failed: dict[str, str]


def varnish_urls() -> list[str]:
    return [u.rstrip("/") for u in akhbar_settings.varnish_urls if u]


def timeout() -> float:
    return akhbar_settings.varnish_timeout


def _chunks(keys: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def purge(keys: Iterable[str], urls: Iterable[str]) -> PurgeOutcome:
    """Send the purge of ``keys`` to every Varnish in ``urls``; never raises for a Varnish
    that is down or refuses: the caller retries the ``failed`` ones."""
    ordered = sorted(set(keys))
    purged: dict[str, int] = {}
    failed: dict[str, str] = {}
    with httpx.Client(timeout=timeout()) as client:
        for url in urls:
            count = 0
            try:
                for chunk in _chunks(ordered, KEYS_PER_REQUEST):
                    response = client.request("PURGE", url + "/", headers={"xkey": " ".join(chunk)})
                    if response.status_code != 200:
                        raise httpx.HTTPStatusError(
                            f"HTTP {response.status_code}",
                            request=response.request,
                            response=response,
                        )
                    count += int(response.headers.get("x-purged", "0") or 0)
            except httpx.HTTPError as exc:
                failed[url] = f"{type(exc).__name__}: {exc}"
                continue
            purged[url] = count
    return PurgeOutcome(purged=purged, failed=failed)


def backoff_seconds(attempt: int) -> float:
    """Wait before retry ``attempt`` (1-based): base × 2^(attempt-1), capped at 5 minutes."""
    base = akhbar_settings.varnish_retry_base_seconds
    return min(base * 2 ** (attempt - 1), 300.0)


def max_attempts() -> int:
    return akhbar_settings.varnish_max_attempts
