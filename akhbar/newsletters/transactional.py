"""Single messages: the double opt-in link, and an edition's test send to staff."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.utils import timezone

from akhbar.newsletters import addresses, mailer, messages, render, sending, services, tokens
from akhbar.newsletters.models import Edition, NewsletterList, Subscriber

log = logging.getLogger(__name__)


def _sender_name() -> str:
    from akhbar.site.models import SiteSettings

    return SiteSettings.current().site_name


class DeliveryFailed(RuntimeError):
    """Raised so the job queue records (and may retry) a confirmation that did not go out."""


def send_confirmation(subscriber_id: int, list_slugs: list[str]) -> str:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return "gone"
    names = list(NewsletterList.objects.filter(slug__in=list_slugs).values_list("name", flat=True))
    token = tokens.confirm_token(subscriber.pk, subscriber.key, list_slugs)
    url = f"{render.site_url()}/newsletters/confirm/{token}/"
    already = subscriber.status == Subscriber.Status.CONFIRMED and services.active_slugs(subscriber)
    rendered = render.render_confirmation(action_url=url, lists=names, already=bool(already))
    raw = messages.transactional(
        to=subscriber.email,
        subject=rendered.subject,
        html=rendered.html,
        text=rendered.text,
        sender_name=_sender_name(),
    )
    transport = mailer.open_transport()
    try:
        result = transport.send(messages.from_address(), subscriber.email, raw)
    finally:
        transport.close()
    if result.outcome is mailer.Outcome.PERMANENT:
        sending.suppress(subscriber.email, "bounce", result.detail)
        return "refused"
    if result.outcome is mailer.Outcome.TEMPORARY:
        raise DeliveryFailed(f"confirmation to subscriber {subscriber_id}: {result.detail}")
    Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=timezone.now())
    log.info("confirmation sent to subscriber %s", subscriber_id)
    return "sent"


def send_test(edition_id: int, user_ids: list[int]) -> int:
    """The edition as readers will get it, to staff addresses (links marked as a test)."""
    edition = Edition.objects.select_related("newsletter").get(pk=edition_id)
    template = sending.template_for(edition)
    template.subject = f"[تجربة] {edition.subject}"
    template.__post_init__()
    users = get_user_model().objects.filter(pk__in=user_ids, is_staff=True).exclude(email="")
    transport = mailer.open_transport()
    sent = 0
    try:
        for user in users:
            try:
                address = addresses.parse(user.email).ascii
            except addresses.AddressError:
                continue
            raw = template.build(
                to=address,
                subscriber_id=0,
                key="test",
                message_id=f"test.{edition.pk}."
                f"{user.pk}.{int(timezone.now().timestamp())}@{messages.mail_domain()}",
            )
            result = transport.send(messages.from_address(), address, raw)
            if result.outcome is mailer.Outcome.SENT:
                sent += 1
    finally:
        transport.close()
    return sent
