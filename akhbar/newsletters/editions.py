"""Making editions: the daily digest at each list's local time, weekly section letters, and
breaking alerts from one article.

``send_due_editions()`` is the periodic entry point (the worker's scheduler calls it every
minute; ``manage.py send_due_editions`` does the same from cron). It is idempotent: a digest is
unique per (list, local date), so two schedulers racing make one edition.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from akhbar.newsletters.models import Delivery, Edition, NewsletterList
from akhbar.newsroom.models import Article

log = logging.getLogger(__name__)
L = NewsletterList.Kind

ARABIC_MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]


def arabic_date(d: date) -> str:
    return f"{d.day} {ARABIC_MONTHS[d.month - 1]} {d.year}"


def zone(newsletter: NewsletterList) -> ZoneInfo:
    try:
        return ZoneInfo(newsletter.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def top_stories(
    newsletter: NewsletterList, *, since: datetime, until: datetime, count: int | None = None
) -> list[int]:
    """Editors' picks first (featured), then the most read, then the newest; ids only."""
    count = count or newsletter.story_count
    qs = Article.objects.published(now=until).filter(published_at__gte=since)
    if newsletter.kind == L.WEEKLY and newsletter.category_id:
        qs = qs.filter(
            Q(category_id=newsletter.category_id) | Q(category__parent_id=newsletter.category_id)
        )
    picks = list(
        qs.filter(is_featured=True)
        .order_by("-published_at", "-id")
        .values_list("id", flat=True)[:count]
    )
    rest = list(
        qs.exclude(pk__in=picks)
        .order_by("-view_count", "-published_at", "-id")
        .values_list("id", flat=True)[: max(count - len(picks), 0)]
    )
    return picks + rest


def subject_for(newsletter: NewsletterList, local_day: date) -> str:
    if newsletter.kind == L.WEEKLY:
        return f"{newsletter.name}: أبرز أخبار الأسبوع حتى {arabic_date(local_day)}"
    return f"{newsletter.name} — {arabic_date(local_day)}"


def due_date(newsletter: NewsletterList, now: datetime) -> date | None:
    """The local date whose edition is due now, or None (not yet time, or not today)."""
    local = now.astimezone(zone(newsletter))
    if local.time() < newsletter.send_time:
        return None
    if newsletter.kind == L.WEEKLY and local.weekday() != newsletter.weekday:
        return None
    return local.date()


def build_digest(
    newsletter: NewsletterList, local_day: date, *, now: datetime | None = None, user: Any = None
) -> Edition | None:
    """Assemble the edition for ``local_day`` (None if it exists or there is no news)."""
    now = now or timezone.now()
    span = timedelta(days=7 if newsletter.kind == L.WEEKLY else 1)
    ids = top_stories(newsletter, since=now - span, until=now)
    if not ids:
        log.info("no stories for %s on %s; no edition", newsletter.slug, local_day)
        return None
    status = Edition.Status.QUEUED if newsletter.auto_send else Edition.Status.HELD
    try:
        with transaction.atomic():
            return Edition.objects.create(
                newsletter=newsletter,
                kind=Edition.Kind.DIGEST,
                subject=subject_for(newsletter, local_day),
                edition_date=local_day,
                article_ids=ids,
                status=status,
                queued_at=now if status == Edition.Status.QUEUED else None,
                created_by=user,
            )
    except IntegrityError:
        return None  # another scheduler made it first


def queue(edition: Edition) -> bool:
    """An editor approved a held edition (or it is auto-sent): send it through the job queue."""
    updated = Edition.objects.filter(pk=edition.pk, status=Edition.Status.HELD).update(
        status=Edition.Status.QUEUED, queued_at=timezone.now()
    )
    if updated:
        from akhbar.newsletters import tasks

        transaction.on_commit(lambda: tasks.send_edition.enqueue(edition.pk))
    return bool(updated)


@dataclass
class DueReport:
    created: list[int] = field(default_factory=list)
    started: list[int] = field(default_factory=list)


def send_due_editions(now: datetime | None = None, *, enqueue: bool = True) -> DueReport:
    """Assemble every digest whose local time has come; queue sending of what is ready."""
    now = now or timezone.now()
    report = DueReport()
    lists = NewsletterList.objects.filter(is_active=True, kind__in=[L.DIGEST, L.WEEKLY])
    for newsletter in lists:
        day = due_date(newsletter, now)
        if (
            day is None
            or Edition.objects.filter(
                newsletter=newsletter, kind=Edition.Kind.DIGEST, edition_date=day
            ).exists()
        ):
            continue
        edition = build_digest(newsletter, day, now=now)
        if edition is not None:
            report.created.append(edition.pk)
    # Queued editions, and sending ones with due retries or abandoned batches, get a sender.
    from akhbar.newsletters import sending

    stale = now - timedelta(seconds=sending.claim_timeout())
    ready = Edition.objects.filter(
        Q(status=Edition.Status.QUEUED)
        | Q(
            status=Edition.Status.SENDING,
            pk__in=Delivery.objects.filter(
                Q(status=Delivery.Status.PENDING)
                & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                | Q(status=Delivery.Status.CLAIMED, claimed_at__lte=stale)
            ).values("edition_id"),
        )
    ).values_list("pk", flat=True)
    for pk in ready:
        report.started.append(pk)
        if enqueue:
            from akhbar.newsletters import tasks

            tasks.send_edition.enqueue(pk)
    for pk in Edition.objects.filter(status=Edition.Status.SENDING).values_list("pk", flat=True):
        sending.finish_if_done(pk)
    return report


# --- Breaking alerts --------------------------------------------------------------------------


def breaking_lists() -> list[NewsletterList]:
    return list(NewsletterList.objects.filter(is_active=True, kind=L.BREAKING))


def prepare_alert(article: Article, *, user: Any = None) -> list[Edition]:
    """Held breaking editions for ``article`` (one per breaking list; existing ones reused)."""
    editions = []
    for newsletter in breaking_lists():
        edition, _ = Edition.objects.get_or_create(
            newsletter=newsletter,
            kind=Edition.Kind.BREAKING,
            article=article,
            defaults={
                "subject": f"عاجل: {article.title}"[:200],
                "article_ids": [article.pk],
                "status": Edition.Status.HELD,
                "created_by": user,
            },
        )
        editions.append(edition)
    return editions


def send_alert(article: Article, *, user: Any = None) -> list[Edition]:
    """The editor confirmed: queue the alert emails (and web push) for ``article``."""
    editions = prepare_alert(article, user=user)
    for edition in editions:
        queue(edition)
    from akhbar.push import public as push

    push.queue_alert(article)
    return editions


def ensure_section_lists() -> int:
    """One weekly list per top-level section (idempotent); returns how many were created."""
    from django.conf import settings

    from akhbar.newsroom.models import Category

    made = 0
    for position, section in enumerate(
        Category.objects.filter(parent__isnull=True).order_by("position", "name"), start=10
    ):
        _, created = NewsletterList.objects.get_or_create(
            kind=L.WEEKLY,
            category=section,
            defaults={
                "name": f"أسبوعية {section.name}",
                "slug": f"weekly-{section.pk}",
                "description": f"أبرز أخبار {section.name} كل أسبوع.",
                "time_zone": settings.TIME_ZONE,
                "send_time": "08:00",
                "position": position,
            },
        )
        made += created
    return made
