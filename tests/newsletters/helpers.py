from __future__ import annotations

from akhbar.newsletters.models import Edition, NewsletterList, Subscriber
from tests import factories as f


def readers(n: int, slug: str = "daily", *, prefix: str = "reader") -> list[Subscriber]:
    newsletter = NewsletterList.objects.get(slug=slug)
    people = Subscriber.objects.bulk_create(
        [Subscriber(email=f"{prefix}{i}@example.org", status="confirmed") for i in range(n)]
    )
    people = list(Subscriber.objects.filter(email__startswith=prefix).order_by("id"))
    for p in people:
        p.subs.create(newsletter=newsletter)
    return people


def digest(slug: str = "daily", *, stories: int = 3, status: str = "queued") -> Edition:
    articles = [f.article(excerpt=f"ملخص الخبر رقم {i}، بالعربية.") for i in range(stories)]
    return Edition.objects.create(
        newsletter=NewsletterList.objects.get(slug=slug),
        subject="النشرة اليومية — 1 ديسمبر 2026",
        article_ids=[a.pk for a in articles],
        status=status,
    )


def ensure_lists() -> None:
    """The lists migration 0002 makes; a transactional test elsewhere may have flushed them."""
    NewsletterList.objects.get_or_create(
        slug="daily", defaults={"name": "النشرة اليومية", "kind": "digest", "position": 0}
    )
    NewsletterList.objects.get_or_create(
        slug="breaking", defaults={"name": "أخبار عاجلة", "kind": "breaking", "position": 1}
    )
