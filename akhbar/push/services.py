"""Web push for breaking news, self-hosted: VAPID keys made on first use and kept; alerts sent
through the job queue with pywebpush (RFC 8030 push, RFC 8291 aes128gcm, RFC 8292 VAPID).

Endpoints are URLs a browser hands us, so they are also URLs an attacker could hand us: only
``https://`` endpoints at the known browser push services are accepted (plus origins listed in
``AKHBAR_PUSH_EXTRA_ORIGINS``, e.g. a test push service), so the sender can never be pointed at
a private-network address.
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from akhbar.core.conf import akhbar_settings
from akhbar.push.models import PushSubscription, VapidKeys

log = logging.getLogger(__name__)

PUSH_SERVICE_SUFFIXES = (
    ".googleapis.com",  # Chrome, Edge on Android (FCM)
    ".push.services.mozilla.com",  # Firefox
    ".notify.windows.com",  # Edge on Windows (WNS)
    ".push.apple.com",  # Safari
)


def keys() -> VapidKeys:
    """The site's key pair, generated on first use and kept."""
    found = VapidKeys.objects.filter(pk=1).first()
    if found is not None:
        return found
    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid02

    vapid = Vapid02()
    vapid.generate_keys()
    pem = vapid.private_pem().decode()
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    public = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    try:
        with transaction.atomic():
            return VapidKeys.objects.create(pk=1, private_pem=pem, public_key=public)
    except IntegrityError:  # another process made it first: use theirs
        return VapidKeys.objects.get(pk=1)


def endpoint_allowed(endpoint: str) -> bool:
    try:
        parts = urlsplit(endpoint)
    except ValueError:
        return False
    origin = f"{parts.scheme}://{parts.netloc}"
    if origin in akhbar_settings.push_extra_origins:
        return True
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and any(
        host == s[1:] or host.endswith(s) for s in PUSH_SERVICE_SUFFIXES
    )


class PushError(ValueError):
    """Arabic message for the reader."""


def _b64_key(value: Any, *, size: int) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise PushError("بيانات الاشتراك غير صحيحة.")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, TypeError):
        raise PushError("بيانات الاشتراك غير صحيحة.") from None
    if len(raw) != size:
        raise PushError("بيانات الاشتراك غير صحيحة.")
    return value


def subscribe(data: Any) -> PushSubscription:
    """Store a browser's PushSubscription.toJSON() (idempotent on the endpoint)."""
    if not isinstance(data, dict):
        raise PushError("بيانات الاشتراك غير صحيحة.")
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or len(endpoint) > 1000 or not endpoint_allowed(endpoint):
        raise PushError("خدمة الإشعارات في متصفحك غير مدعومة.")
    keys = data.get("keys")
    k = keys if isinstance(keys, dict) else {}
    p256dh = _b64_key(k.get("p256dh"), size=65)
    auth = _b64_key(k.get("auth"), size=16)
    sub, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"p256dh": p256dh, "auth": auth, "failures": 0}
    )
    return sub


def unsubscribe(endpoint: str) -> bool:
    return bool(PushSubscription.objects.filter(endpoint=endpoint).delete()[0])


def alert_payload(article: Any) -> dict[str, str]:
    from akhbar.core.links import absolute

    return {
        "title": f"عاجل: {article.title}"[:120],
        "body": (article.excerpt or "")[:180],
        "url": absolute(article.get_absolute_url()),
        "tag": f"article-{article.pk}",
        "icon": absolute("/favicon.ico"),
    }


def queue_alert(article: Any) -> None:
    from akhbar.push import tasks

    transaction.on_commit(lambda: tasks.push_alert.enqueue(article.pk))


@dataclass
class PushReport:
    sent: int = 0
    removed: int = 0
    failed: int = 0


def send_to_all(
    payload: dict[str, str], *, ttl: int | None = None, urgency: str = "high"
) -> PushReport:
    """Push ``payload`` to every subscription; 404/410 (gone) removes the subscription."""
    from py_vapid import Vapid02
    from pywebpush import WebPushException, webpush

    report = PushReport()
    vapid = Vapid02.from_pem(keys().private_pem.encode())
    claims_sub = akhbar_settings.push_contact or f"mailto:{settings.DEFAULT_FROM_EMAIL}"
    ttl = akhbar_settings.push_ttl if ttl is None else ttl
    body = json.dumps(payload, ensure_ascii=False)
    for sub in PushSubscription.objects.order_by("id").iterator(chunk_size=500):
        if not endpoint_allowed(sub.endpoint):  # the allowlist changed since it was stored
            sub.delete()
            report.removed += 1
            continue
        try:
            response = webpush(
                subscription_info={
                    "endpoint": sub.endpoint,
                    "keys": {"p256dh": sub.p256dh, "auth": sub.auth},
                },
                data=body,
                vapid_private_key=vapid,
                vapid_claims={"sub": claims_sub},
                ttl=ttl,
                headers={"Urgency": urgency, "Topic": payload.get("tag", "")[:32]},
                timeout=10,
            )
            status = getattr(response, "status_code", 201)
        except WebPushException as exc:
            status = getattr(exc.response, "status_code", 0) if exc.response is not None else 0
            if status not in (404, 410):
                log.warning("push to %s failed: %s", sub, exc)
        except Exception as exc:  # network errors: count, keep the subscription
            log.warning("push to %s failed: %s", sub, type(exc).__name__)
            status = 0
        if status in (404, 410):
            sub.delete()
            report.removed += 1
        elif 200 <= status < 300:
            PushSubscription.objects.filter(pk=sub.pk).update(
                last_success_at=timezone.now(), failures=0
            )
            report.sent += 1
        else:
            PushSubscription.objects.filter(pk=sub.pk).update(failures=sub.failures + 1)
            report.failed += 1
    return report
