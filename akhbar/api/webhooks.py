"""Signed webhooks: every domain event (akhbar.core.events) told to the partners subscribed.

Payloads are the Content API's representation. Each request carries
``X-Akhbar-Timestamp`` (Unix seconds) and ``X-Akhbar-Signature: sha256=<hex>``, the HMAC-SHA256
of ``"{timestamp}.{body}"`` with the webhook's secret (the scheme Stripe and GitHub partners
already know); receivers reject timestamps outside a replay window (``verify_signature``).

Delivery runs in a job (Django tasks). A failure is retried with exponential back-off (1 min,
2, 4 … capped at 3 h) until 24 hours after the event, then marked failed; a webhook that
fails ``AUTO_DISABLE_AFTER`` attempts in a row is switched off with the reason shown in the
admin. Backends that cannot defer a job (the test suite's immediate one) leave the retry in
the table, where ``retry_due()`` (``manage.py webhooks_retry``, run by cron or the worker
host) picks it up.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging
import re
import time
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.utils import timezone

from akhbar.api import outgoing
from akhbar.api import representation as rep
from akhbar.api.models import Webhook, WebhookDelivery
from akhbar.core import events
from akhbar.core.conf import akhbar_settings

log = logging.getLogger(__name__)

REPLAY_WINDOW = 300
RETRY_FOR = timedelta(hours=24)
MAX_DELAY = timedelta(hours=3)
TEST_EVENT = "webhook.test"


def event_name(event_type: type[events.Event]) -> str:
    """``ArticlePublished`` → ``article.published``; later event types get names for free."""
    words = re.findall(r"[A-Z][a-z0-9]*", event_type.__name__)
    return f"{words[0].lower()}." + "_".join(w.lower() for w in words[1:])


def event_names() -> list[str]:
    return sorted(event_name(t) for t in _event_types())


def _event_types() -> list[type[events.Event]]:
    found = []
    for name in events.__all__:
        obj = getattr(events, name)
        if isinstance(obj, type) and issubclass(obj, events.Event) and obj is not events.Event:
            found.append(obj)
    return found


# --- Signatures -----------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    tolerance: int = REPLAY_WINDOW,
    now: float | None = None,
) -> bool:
    """What a receiver checks: a fresh timestamp and a matching HMAC (constant-time)."""
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - ts) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, ts, body), signature or "")


# --- Payloads -------------------------------------------------------------------------------


def payload_for(event: events.Event) -> dict[str, Any]:
    name = event_name(type(event))
    data: dict[str, Any] = {
        k: (sorted(v) if isinstance(v, (frozenset, set)) else v)
        for k, v in dataclasses.asdict(event).items()
    }
    article_id = getattr(event, "article_id", None)
    if article_id and not isinstance(event, events.ArticleDeleted | events.ArticleUnpublished):
        article = rep.api_queryset().filter(pk=article_id).first()
        if article is not None:
            data["article"] = rep.article_dict(rep.site_base(), article)
    comment_id = getattr(event, "comment_id", None)
    if comment_id and isinstance(event, events.CommentApproved):
        from akhbar.comments.models import Comment

        c = Comment.objects.filter(pk=comment_id, status=Comment.Status.APPROVED).first()
        if c is not None:
            data["comment"] = {
                "id": c.pk,
                "article_id": c.article_id,
                "parent_id": c.parent_id,
                "author_name": c.author_name,
                "body": c.body,
                "created_at": rep.iso(c.created_at),
            }
    return {"event": name, "occurred_at": timezone.now().isoformat(), "data": data}


HOOKS_CACHE_KEY = "akhbar:webhooks:active:v1"


def active_subscriptions() -> list[tuple[int, list[str]]]:
    """(id, event names) of the active webhooks, cached: every event of every writer (a
    50,000-post import included) passes here, and must cost no query when nobody listens.
    Webhook saves and deletes clear it (``forget_subscriptions``)."""
    from django.core.cache import cache

    found = cache.get(HOOKS_CACHE_KEY)
    if found is None:
        found = [
            (pk, list(names or []))
            for pk, names in Webhook.objects.filter(is_active=True).values_list("pk", "events")
        ]
        cache.set(HOOKS_CACHE_KEY, found, 300)
    return found


def forget_subscriptions(**kwargs: Any) -> None:
    from django.core.cache import cache

    cache.delete(HOOKS_CACHE_KEY)


def on_event(event: events.Event) -> None:
    """Subscriber for every event type: one delivery row and one job per interested webhook."""
    name = event_name(type(event))
    ids = [pk for pk, names in active_subscriptions() if name in names]
    if not ids:
        return
    hooks = list(Webhook.objects.filter(pk__in=ids, is_active=True))
    if not hooks:
        return
    payload = payload_for(event)
    for hook in hooks:
        queue(hook, name, payload)


def queue(hook: Webhook, name: str, payload: dict[str, Any]) -> WebhookDelivery:
    from akhbar.api.tasks import deliver_webhook

    delivery = WebhookDelivery.objects.create(webhook=hook, event=name, payload=payload)
    deliver_webhook.enqueue(delivery.pk)
    return delivery


def send_test(hook: Webhook) -> WebhookDelivery:
    """The admin's "send test" button: a signed sample through the same path."""
    payload = {
        "event": TEST_EVENT,
        "occurred_at": timezone.now().isoformat(),
        "data": {"webhook": hook.name, "message": "اختبار خطاف الويب من أخبار"},
    }
    return queue(hook, TEST_EVENT, payload)


def subscribe_all() -> None:
    from django.db.models.signals import post_delete, post_save

    events.subscribe(events.Event, on_event, name="api.webhooks")
    # Our own model's signals: the cached subscription list follows admin edits.
    post_save.connect(forget_subscriptions, sender=Webhook, dispatch_uid="api.webhooks.saved")
    post_delete.connect(forget_subscriptions, sender=Webhook, dispatch_uid="api.webhooks.deleted")


# --- Delivery -------------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(0, attempts - 1)), MAX_DELAY)


def attempt(delivery_id: int, *, now: datetime | None = None) -> WebhookDelivery | None:
    """Send one delivery once; record the outcome and plan the next try if it failed."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return delivery
    hook = delivery.webhook
    now = now or timezone.now()
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    ts = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Akhbar-Event": delivery.event,
        "X-Akhbar-Delivery": str(delivery.pk),
        "X-Akhbar-Timestamp": str(ts),
        "X-Akhbar-Signature": sign(hook.secret, ts, body),
    }
    delivery.attempts += 1
    delivery.last_attempt_at = now
    ok = False
    try:
        # No redirects: a partner's endpoint answers itself (a 3xx is a failed attempt).
        response = outgoing.fetch(
            hook.url,
            method="POST",
            content=body,
            headers=headers,
            timeout=float(akhbar_settings.webhook_timeout),
            max_bytes=64 * 1024,
            max_redirects=0,
        )
        delivery.response_code = response.status_code
        delivery.response_excerpt = response.text[:500]
        ok = 200 <= response.status_code < 300
        delivery.error = "" if ok else f"HTTP {response.status_code}"
    except httpx.HTTPError as exc:
        delivery.response_code = None
        delivery.error = f"{type(exc).__name__}: {exc}"[:500]
    if ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        Webhook.objects.filter(pk=hook.pk).update(consecutive_failures=0)
    else:
        later = now + retry_delay(delivery.attempts)
        if later - delivery.created_at > RETRY_FOR:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = later
        _count_failure(hook, delivery.error)
    delivery.save()
    if delivery.status == WebhookDelivery.Status.PENDING:
        _schedule_retry(delivery)
    return delivery


def _count_failure(hook: Webhook, error: str) -> None:
    hook.consecutive_failures += 1
    fields = ["consecutive_failures"]
    limit = akhbar_settings.webhook_auto_disable_after
    if hook.consecutive_failures >= limit and hook.is_active:
        hook.is_active = False
        hook.disabled_reason = (
            f"أوقف تلقائيًا بعد {hook.consecutive_failures} إخفاقًا متتاليًا: {error}"[:300]
        )
        fields += ["is_active", "disabled_reason"]
        log.warning("webhook %s disabled after %s failures", hook.pk, hook.consecutive_failures)
    hook.save(update_fields=fields)


def _schedule_retry(delivery: WebhookDelivery) -> None:
    from django_tasks import default_task_backend

    from akhbar.api.tasks import deliver_webhook

    if not delivery.webhook.is_active:
        return
    if default_task_backend.supports_defer:
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    # otherwise retry_due() picks it up when its time comes


def retry_due(now: datetime | None = None) -> int:
    """Attempt every pending delivery whose next try is due (for backends that cannot defer)."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at__lte=now,
            webhook__is_active=True,
        ).values_list("pk", flat=True)[:500]
    )
    for pk in due:
        attempt(pk, now=now)
    return len(due)
