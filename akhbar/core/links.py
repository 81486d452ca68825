"""Absolute links to this site from outside a request: emails, web push, jobs.

A message read in a mail client or shown by a browser's push service has no request to build
URLs against, so its links start with the site's address (``AKHBAR_SITE_URL``). This lives
in core (it was in the newsletters app) because newsletters and push both need it, and push
must not import newsletters: newsletters is the app above push (it sends the breaking alert
through push).
"""

from __future__ import annotations

from akhbar.core.conf import akhbar_settings


def site_url() -> str:
    """The site's scheme and host, without a trailing slash."""
    return akhbar_settings.site_url.rstrip("/")


def absolute(url: str) -> str:
    """``url`` (a path such as ``/2024/…`` or already absolute) as an absolute URL."""
    return url if url.startswith(("http://", "https://")) else site_url() + url
