"""Bounces, complaints and mailed unsubscribes, turned into suppressions and unsubscriptions.

Two ways in:

* **A mailbox** (Maildir or mbox, e.g. where Postfix delivers ``bounces+*@`` and
  ``unsubscribe+*@`` for the bounce domain): ``manage.py process_bounces PATH``. Each message
  is matched by its VERP recipient (``bounces+<delivery>-<mac>@``, set as Return-Path on every
  message we send), so no guessing from the bounce's wording: the delivery it names is marked
  bounced or complained. DSNs (RFC 3464) tell hard (5.x.x) from soft (4.x.x) failures; ARF
  feedback reports (RFC 5965) are complaints.
* **A signed webhook** (``POST /newsletters/hooks/bounce/``) for providers: a JSON body
  ``{"events": [{"type": "bounce"|"complaint"|"soft_bounce", "email": ..., "delivery": ...}]}``
  with ``X-Akhbar-Signature: sha256=<hex HMAC of the body>`` under
  ``AKHBAR_NEWSLETTER_WEBHOOK_SECRET``. A forged or unsigned call is refused.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import json
import logging
import mailbox
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from akhbar.newsletters import sending, services, tokens
from akhbar.newsletters.models import Delivery, SoftBounce, Subscriber, Suppression

log = logging.getLogger(__name__)
_ADDR = re.compile(r"[\w.+-]+@[\w.-]+")
SOFT_LIMIT = 3


@dataclass
class BounceReport:
    bounced: int = 0
    soft: int = 0
    complaints: int = 0
    unsubscribed: int = 0
    ignored: int = 0
    errors: list[str] = field(default_factory=list)


def _recipients(msg: EmailMessage) -> list[str]:
    found: list[str] = []
    for header in ("Delivered-To", "X-Original-To", "Envelope-To", "To"):
        for value in msg.get_all(header, []):
            found += _ADDR.findall(str(value))
    return found


def _dsn_status(msg: EmailMessage) -> str:
    """The RFC 3464 Status ("5.1.1") of a delivery report, or "" if there is none."""
    for part in msg.walk():
        if part.get_content_type() == "message/delivery-status":
            payload = part.get_payload()
            blocks = payload if isinstance(payload, list) else [part]
            for block in blocks:
                text = block.as_string() if hasattr(block, "as_string") else str(block)
                match = re.search(r"^Status:\s*([245]\.\d{1,3}\.\d{1,3})", text, re.M | re.I)
                if match:
                    return match.group(1)
    return ""


def _is_complaint(msg: EmailMessage) -> bool:
    if "report-type=feedback-report" in str(msg.get("Content-Type", "")).replace(" ", ""):
        return True
    return any(p.get_content_type() == "message/feedback-report" for p in msg.walk())


def record_bounce(
    delivery_id: int | None, email_address: str, *, kind: str, detail: str, report: BounceReport
) -> None:
    """kind: "bounce" (hard), "soft_bounce", "complaint"."""
    delivery = (
        Delivery.objects.select_related("subscriber").filter(pk=delivery_id).first()
        if delivery_id
        else None
    )
    address = email_address.lower()
    if delivery is not None and delivery.subscriber is not None:
        address = delivery.subscriber.email
    if not address:
        report.ignored += 1
        return
    with transaction.atomic():
        if kind == "complaint":
            sending.suppress(
                address,
                Suppression.Reason.COMPLAINT,
                detail,
                edition_id=delivery.edition_id if delivery else None,
            )
            if delivery is not None:
                Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.COMPLAINED)
            subscriber = Subscriber.objects.filter(email=address).first()
            if subscriber is not None:
                services.unsubscribe(subscriber, method="complaint")
            report.complaints += 1
        elif kind == "soft_bounce":
            SoftBounce.objects.create(email=address)
            recent = SoftBounce.objects.filter(
                email=address, at__gte=timezone.now() - timedelta(days=30)
            ).count()
            if recent >= SOFT_LIMIT:
                sending.suppress(
                    address,
                    Suppression.Reason.BOUNCE,
                    f"{recent} temporary failures in 30 days: {detail}",
                )
            report.soft += 1
        else:
            sending.suppress(
                address,
                Suppression.Reason.BOUNCE,
                detail,
                edition_id=delivery.edition_id if delivery else None,
            )
            if delivery is not None:
                Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.BOUNCED)
            report.bounced += 1


def process_message(msg: EmailMessage, report: BounceReport) -> None:
    for recipient in _recipients(msg):
        local = recipient.rpartition("@")[0].lower()
        if local.startswith("unsubscribe+"):
            found = services.subscriber_for("unsub", local[len("unsubscribe+") :])
            if found is None:
                report.ignored += 1
            else:
                services.unsubscribe(found[0], found[1], method="mailto")
                report.unsubscribed += 1
            return
        delivery_id = tokens.read_verp(local)
        if delivery_id is not None:
            if _is_complaint(msg):
                kind = "complaint"
            else:
                status = _dsn_status(msg)
                kind = "soft_bounce" if status.startswith("4") else "bounce"
            detail = f"{kind} {_dsn_status(msg)} {msg.get('Subject', '')}".strip()[:300]
            record_bounce(delivery_id, "", kind=kind, detail=detail, report=report)
            return
    report.ignored += 1


def process_mailbox(
    path: str | Path,
    *,
    remove: bool = True,
    on_message: Callable[[int, int], None] | None = None,
) -> BounceReport:
    """Read a Maildir (a directory) or an mbox file; processed messages are removed.

    ``on_message(done, total)`` before each message and once at the end (a command's
    progress bar).
    """
    path = Path(path)
    box: mailbox.Maildir | mailbox.mbox = (
        mailbox.Maildir(str(path), factory=None, create=False)
        if path.is_dir()
        else mailbox.mbox(str(path), create=False)
    )
    report = BounceReport()
    box.lock()
    try:
        keys = list(box.keys())
        for done, key in enumerate(keys):
            if on_message is not None:
                on_message(done, len(keys))
            try:
                raw = box.get_bytes(key)
                msg = email.message_from_bytes(raw, policy=email.policy.default)
                process_message(msg, report)
            except Exception as exc:  # one broken message must not stop the rest
                log.exception("bounce message %s could not be processed", key)
                report.errors.append(f"{key}: {type(exc).__name__}")
                continue
            if remove:
                box.remove(key)
        if on_message is not None:
            on_message(len(keys), len(keys))
        box.flush()
    finally:
        box.unlock()
        box.close()
    return report


# --- Webhook --------------------------------------------------------------------------------


def webhook_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_webhook(secret: str, body: bytes, signature: str) -> bool:
    if not secret or not signature:
        return False
    return hmac.compare_digest(webhook_signature(secret, body), signature.strip())


def process_webhook(payload: Any) -> BounceReport:
    report = BounceReport()
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        raise ValueError("expected {'events': [...]}")
    for event in events[:1000]:
        if not isinstance(event, dict):
            report.ignored += 1
            continue
        kind = str(event.get("type", ""))
        if kind not in ("bounce", "soft_bounce", "complaint"):
            report.ignored += 1
            continue
        raw_delivery = event.get("delivery")
        delivery_id = None
        if isinstance(raw_delivery, int):
            delivery_id = raw_delivery
        elif isinstance(raw_delivery, str):
            delivery_id = tokens.read_verp(raw_delivery.rpartition("@")[0] or raw_delivery)
        address = str(event.get("email", ""))[:254]
        record_bounce(
            delivery_id,
            address,
            kind=kind,
            detail=str(event.get("detail", kind))[:300],
            report=report,
        )
    return report


def parse_json(body: bytes) -> Any:
    return json.loads(body.decode("utf-8"))
