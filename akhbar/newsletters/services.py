"""Subscriptions without accounts: request, confirm, change, unsubscribe, export, erase.

Abuse rules (issue #16):

* The answer to a subscribe request is the same whether the address is new, pending, already
  subscribed or suppressed ("check your inbox"), so the form cannot be used to learn who reads
  the newsletter. What differs is only the email that the *owner* of the address receives.
* Rate limits per reader address (``client_ip``) and per email address, counted in the cache
  (Redis in production) so 10,000 attempts cost 10,000 cache increments, not 10,000 rows or
  emails. Over the per-address limit the reader gets a 429 with an Arabic message; over the
  per-email limit the answer stays the same and no further email is sent.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from akhbar.core.conf import akhbar_settings
from akhbar.core.net import client_ip as core_client_ip
from akhbar.newsletters import addresses, tokens
from akhbar.newsletters.models import (
    Consent,
    Delivery,
    NewsletterList,
    Subscriber,
    Subscription,
    Suppression,
)

log = logging.getLogger(__name__)

#: The words next to the checkbox the reader ticks, recorded with each consent.
CONSENT_WORDING = (
    "أوافق على أن يرسل إليّ الموقع النشرات التي اخترتها على هذا العنوان. "
    "يمكنني إلغاء الاشتراك في أي وقت من رابط في كل رسالة، ولن يُشارك عنواني مع أي جهة."
)
SAME_ANSWER = (
    "شكراً لك. إن كان العنوان صحيحاً فستصلك خلال دقائق رسالة لتأكيد اشتراكك؛ "
    "افتح الرابط فيها لتبدأ النشرة. لم تصلك؟ تفقّد مجلد الرسائل غير المرغوب فيها."
)


def client_ip(request: HttpRequest) -> str:
    """The reader's address behind trusted proxies (akhbar.core.net), for rate limits."""
    return core_client_ip(request) or "unknown"


# --- Rate limits ----------------------------------------------------------------------------


def _hit(key: str, window: int) -> int:
    """Count one event in a fixed window; atomic on Redis and locmem."""
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, window)
        return 1


def ip_allowed(ip: str) -> bool:
    limit = akhbar_settings.newsletter_ip_limit
    window = akhbar_settings.newsletter_ip_window
    return _hit(f"akhbar:nl:ip:{ip}", window) <= limit


def email_allowed(email: str) -> bool:
    """At most NEWSLETTER_EMAIL_LIMIT messages a day to one address from the public forms."""
    limit = akhbar_settings.newsletter_email_limit
    return _hit(f"akhbar:nl:em:{email}", 24 * 3600) <= limit


# --- Subscribing ----------------------------------------------------------------------------


class SubscribeError(ValueError):
    """Arabic message for the reader in ``str(exc)``; ``status`` for the HTTP answer."""

    def __init__(self, message: str, *, field: str = "", status: int = 400) -> None:
        super().__init__(message)
        self.field = field
        self.status = status


@dataclass(frozen=True)
class SubscribeOutcome:
    message: str
    #: What was emailed (for tests and logs only; never shown to the reader).
    sent: str = ""


def public_lists() -> list[NewsletterList]:
    return list(NewsletterList.objects.filter(is_active=True).select_related("category"))


def request_subscription(
    raw_email: str, list_slugs: list[str], *, ip: str, source: str = "", method: str = "form"
) -> SubscribeOutcome:
    """A reader asked for ``list_slugs`` at ``raw_email``: record the request, mail the link."""
    if not ip_allowed(ip):
        raise SubscribeError(
            "طلبات كثيرة من هذا الجهاز في وقت قصير. انتظر بضع دقائق ثم حاول مجدداً.", status=429
        )
    try:
        address = addresses.parse(raw_email)
    except addresses.AddressError as exc:
        raise SubscribeError(str(exc), field="email") from None
    chosen = [n for n in public_lists() if n.slug in set(list_slugs)]
    if not chosen:
        raise SubscribeError("اختر نشرة واحدة على الأقل.", field="lists")
    slugs = [n.slug for n in chosen]
    source = source[:500]
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.get_or_create(email=address.ascii)
        Consent.objects.create(
            subscriber=subscriber,
            action=Consent.Action.REQUESTED,
            source=source,
            lists=slugs,
            wording=CONSENT_WORDING,
            method=method,
        )
    if Suppression.objects.filter(email=address.ascii).exists():
        # Hard bounce or complaint: mailing again would hurt every reader's delivery.
        log.info("subscribe request for a suppressed address ignored")
        return SubscribeOutcome(SAME_ANSWER)
    if not email_allowed(address.ascii):
        log.info("subscribe request over the per-email limit; no email sent")
        return SubscribeOutcome(SAME_ANSWER)
    from akhbar.newsletters import tasks

    tasks.send_confirmation.enqueue(subscriber.pk, slugs)
    return SubscribeOutcome(SAME_ANSWER, sent="confirm")


@dataclass(frozen=True)
class ConfirmResult:
    ok: bool
    message: str
    subscriber: Subscriber | None = None
    expired: bool = False


def confirm(token: str, *, source: str = "") -> ConfirmResult:
    """Turn a confirmation link into active subscriptions (idempotent)."""
    request = tokens.read_confirm_token(token)
    if request is None:
        expired = tokens.confirm_token_expired(token)
        message = (
            "انتهت صلاحية رابط التأكيد. اطلب رابطاً جديداً من نموذج الاشتراك."
            if expired
            else "رابط التأكيد غير صالح. تأكد من نسخه كاملاً أو اطلب رابطاً جديداً."
        )
        return ConfirmResult(False, message, expired=expired)
    subscriber = Subscriber.objects.filter(pk=request.subscriber_id, key=request.key).first()
    if subscriber is None:
        return ConfirmResult(False, "رابط التأكيد غير صالح. اطلب رابطاً جديداً.")
    lists = NewsletterList.objects.filter(slug__in=request.lists, is_active=True)
    now = timezone.now()
    with transaction.atomic():
        for newsletter in lists:
            Subscription.objects.update_or_create(
                subscriber=subscriber,
                newsletter=newsletter,
                defaults={"active": True, "unsubscribed_at": None},
                create_defaults={"active": True, "created_at": now},
            )
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = subscriber.confirmed_at or now
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
        Consent.objects.create(
            subscriber=subscriber,
            action=Consent.Action.CONFIRMED,
            source=source[:500],
            lists=[n.slug for n in lists],
            wording=CONSENT_WORDING,
            method="double-opt-in",
        )
    return ConfirmResult(True, "تم تأكيد اشتراكك. ستصلك النشرة في موعدها.", subscriber)


# --- Links in every email -------------------------------------------------------------------


def subscriber_for(purpose: str, token: str) -> tuple[Subscriber, int] | None:
    """The subscriber and list id a reader link names, or None if forged or revoked."""
    parsed = tokens.split_reader_token(token)
    if parsed is None:
        return None
    subscriber = Subscriber.objects.filter(pk=parsed.subscriber_id).first()
    if subscriber is None or not tokens.reader_token_valid(purpose, parsed, subscriber.key):
        return None
    return subscriber, parsed.list_id


def preferences_token(subscriber: Subscriber) -> str:
    return tokens.reader_token("prefs", subscriber.pk, subscriber.key)


def unsubscribe_token(subscriber: Subscriber, list_id: int = 0) -> str:
    return tokens.reader_token("unsub", subscriber.pk, subscriber.key, list_id)


def active_slugs(subscriber: Subscriber) -> set[str]:
    return set(subscriber.subs.filter(active=True).values_list("newsletter__slug", flat=True))


def unsubscribe(subscriber: Subscriber, list_id: int = 0, *, method: str = "link") -> int:
    """Stop ``list_id`` (0: everything). Idempotent: a second call changes nothing."""
    now = timezone.now()
    subs = subscriber.subs.filter(active=True)
    if list_id:
        subs = subs.filter(newsletter_id=list_id)
    slugs = list(subs.values_list("newsletter__slug", flat=True))
    with transaction.atomic():
        changed = subs.update(active=False, unsubscribed_at=now)
        if changed:
            Consent.objects.create(
                subscriber=subscriber,
                action=Consent.Action.UNSUBSCRIBED,
                lists=slugs,
                method=method,
            )
            # Counted on the edition the reader left from (admin: "unsubscribed" per edition).
            last = (
                Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.SENT)
                .order_by("-sent_at", "-id")
                .first()
            )
            if last is not None:
                Delivery.objects.filter(pk=last.pk).update(unsubscribed=True)
        if not subscriber.subs.filter(active=True).exists():
            Subscriber.objects.filter(pk=subscriber.pk).update(
                status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=now
            )
    return changed


def update_preferences(subscriber: Subscriber, slugs: list[str], *, source: str = "") -> None:
    """Set the reader's lists to exactly ``slugs`` (already confirmed address: no new link)."""
    wanted = {n.slug: n for n in public_lists() if n.slug in set(slugs)}
    now = timezone.now()
    with transaction.atomic():
        for sub in subscriber.subs.select_related("newsletter"):
            active = sub.newsletter.slug in wanted
            if sub.active != active:
                sub.active = active
                sub.unsubscribed_at = None if active else now
                sub.save(update_fields=["active", "unsubscribed_at"])
            wanted.pop(sub.newsletter.slug, None)
        for newsletter in wanted.values():
            Subscription.objects.create(subscriber=subscriber, newsletter=newsletter)
        any_active = subscriber.subs.filter(active=True).exists()
        subscriber.status = (
            Subscriber.Status.CONFIRMED if any_active else Subscriber.Status.UNSUBSCRIBED
        )
        subscriber.unsubscribed_at = None if any_active else now
        subscriber.save(update_fields=["status", "unsubscribed_at"])
        Consent.objects.create(
            subscriber=subscriber,
            action=Consent.Action.CHANGED,
            source=source[:500],
            lists=sorted(set(slugs) & {n.slug for n in public_lists()}),
            wording=CONSENT_WORDING,
            method="preferences",
        )


def export_data(subscriber: Subscriber) -> str:
    """Everything we hold about one reader, as JSON (GDPR art. 15 and 20)."""
    subs = subscriber.subs.select_related("newsletter").order_by("id")
    data = {
        "email": addresses.display(subscriber.email),
        "status": subscriber.status,
        "created_at": subscriber.created_at.isoformat(),
        "confirmed_at": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
        "subscriptions": [
            {
                "list": s.newsletter.name,
                "slug": s.newsletter.slug,
                "active": s.active,
                "since": s.created_at.isoformat(),
                "unsubscribed_at": s.unsubscribed_at.isoformat() if s.unsubscribed_at else None,
            }
            for s in subs
        ],
        "consents": [
            {
                "action": c.action,
                "at": c.at.isoformat(),
                "page": c.source,
                "lists": c.lists,
                "wording": c.wording,
                "method": c.method,
            }
            for c in subscriber.consents.order_by("at", "id")
        ],
        "messages": [
            {"edition": subject, "status": status, "sent_at": sent.isoformat() if sent else None}
            for subject, status, sent in subscriber.deliveries.order_by("id").values_list(
                "edition__subject", "status", "sent_at"
            )
        ],
        "push_subscriptions": "لا يرتبط اشتراك الإشعارات بعنوان بريدك.",
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def erase(subscriber: Subscriber) -> None:
    """Forget the reader: subscriber, subscriptions, consent log and delivery links.

    Delivery rows stay (without the subscriber) so an edition's counts do not change; a
    suppression entry, if any, stays too: it exists to protect the address's owner from mail.
    """
    with transaction.atomic():
        Delivery.objects.filter(subscriber=subscriber).update(subscriber=None)
        subscriber.delete()


# --- Numbers for the admin ------------------------------------------------------------------


@dataclass
class Series:
    days: list[str] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)


def growth(days: int = 30) -> Series:
    """Confirmed subscribers at the end of each of the last ``days`` days (two queries)."""
    today = timezone.localdate()
    start = today - timedelta(days=days - 1)
    start_dt = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    base = (
        Subscriber.objects.filter(confirmed_at__lt=start_dt)
        .exclude(unsubscribed_at__lt=start_dt)
        .count()
    )
    per_day: dict[str, int] = {}
    for confirmed in Subscriber.objects.filter(confirmed_at__gte=start_dt).values_list(
        "confirmed_at", flat=True
    ):
        d = timezone.localtime(confirmed).date().isoformat()
        per_day[d] = per_day.get(d, 0) + 1
    for left in Subscriber.objects.filter(
        unsubscribed_at__gte=start_dt, confirmed_at__isnull=False
    ).values_list("unsubscribed_at", flat=True):
        d = timezone.localtime(left).date().isoformat()
        per_day[d] = per_day.get(d, 0) - 1
    series = Series()
    total = base
    for i in range(days):
        d = (start + timedelta(days=i)).isoformat()
        total += per_day.get(d, 0)
        series.days.append(d)
        series.totals.append(max(total, 0))
    return series


def reach(newsletter_ids: list[int]) -> int:
    """How many readers an edition of these lists would reach right now."""
    return deliverable_subscribers(newsletter_ids).values("pk").distinct().count()


def deliverable_subscribers(newsletter_ids: list[int]) -> QuerySet[Subscriber]:
    suppressed = Suppression.objects.values("email")
    return Subscriber.objects.filter(
        status=Subscriber.Status.CONFIRMED,
        subs__newsletter_id__in=newsletter_ids,
        subs__active=True,
    ).exclude(email__in=suppressed)
