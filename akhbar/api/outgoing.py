"""Outgoing HTTP to addresses partners or admins configure (webhooks, polled wire URLs, photos).

All of it goes through the security app's SSRF guard (``akhbar.core.http.fetch``): the host is
resolved once, non-public addresses are refused (private ones only with
``AKHBAR_ALLOW_PRIVATE_FETCH``, which the tests' HTTP peers on 127.0.0.1 need), the vetted
address is the one connected to, every redirect hop is checked again, and bodies are capped.
"""

from __future__ import annotations

from akhbar.core.http import FetchResult, fetch

__all__ = ["FetchResult", "fetch"]
