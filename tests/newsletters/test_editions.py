"""Editions: the digest at each list's local time (editors' picks, then most read), held for
review or sent automatically; the breaking alert in one click with its reach; web versions."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from akhbar.core import events
from akhbar.newsletters import editions, services
from akhbar.newsletters.models import Edition, NewsletterList
from tests import factories as f
from tests.newsletters.helpers import readers

pytestmark = pytest.mark.django_db


@pytest.fixture
def daily():
    n = NewsletterList.objects.get(slug="daily")
    n.time_zone = "Asia/Amman"  # UTC+3
    n.send_time = time(7, 0)
    n.story_count = 4
    n.save()
    return n


def test_digest_is_due_at_the_lists_local_time(daily):
    f.article()
    before = datetime(2026, 12, 1, 3, 59, tzinfo=UTC)  # 06:59 in Amman
    after = datetime(2026, 12, 1, 4, 1, tzinfo=UTC)  # 07:01 in Amman
    assert editions.due_date(daily, before) is None
    assert editions.due_date(daily, after).isoformat() == "2026-12-01"


def test_picks_first_then_most_read(daily):
    now = timezone.now()
    old = f.article(published_at=now - timedelta(days=2), view_count=10_000)
    read = [f.article(view_count=v) for v in (5, 50, 500)]
    pick = f.article(is_featured=True, view_count=0)
    ids = editions.top_stories(daily, since=now - timedelta(days=1), until=now)
    assert ids == [pick.pk, read[2].pk, read[1].pk, read[0].pk]
    assert old.pk not in ids


def test_send_due_editions_holds_for_review_or_sends(daily, smtp):
    readers(3)
    now = timezone.now().replace(hour=12)  # noon UTC: past 07:00 in Amman
    # Published before that noon whatever the hour the suite runs (in the afternoon, stories
    # published "now" would be after it, and the day would have no stories yet).
    for minutes in range(3):
        f.article(published_at=now - timedelta(minutes=10 + minutes))
    report = editions.send_due_editions(now)
    edition = Edition.objects.get()
    assert report.created == [edition.pk]
    assert edition.status == "held"  # auto_send off: an editor reviews it
    assert len(smtp.received) == 0
    again = editions.send_due_editions(now)  # idempotent: one edition per local day
    assert again.created == [] and Edition.objects.count() == 1

    weekly = NewsletterList.objects.create(
        name="أسبوعية الرياضة",
        slug="sport",
        kind="weekly",
        auto_send=True,
        time_zone="UTC",
        send_time=time(0, 0),
        weekday=now.weekday(),
    )
    weekly.category = f.article(published_at=now - timedelta(minutes=5)).category
    weekly.save()
    reader = readers(1, "sport", prefix="fan")[0]
    report = editions.send_due_editions(now)
    made = Edition.objects.get(newsletter=weekly)
    assert made.status == "sent"  # queued, then sent by the (immediate) job queue
    assert [m.rcpt for m in smtp.received] == [reader.email]


def test_no_stories_no_edition(daily):
    assert editions.send_due_editions(timezone.now().replace(hour=12)).created == []


def test_editor_approves_a_held_edition(
    daily, smtp, admin_client, django_capture_on_commit_callbacks
):
    readers(2)
    f.article()
    edition = editions.build_digest(daily, timezone.localdate())
    assert edition.status == "held"
    page = admin_client.get(f"/admin/newsletters/edition/{edition.pk}/send/")
    assert page.status_code == 200
    assert "سيصل هذا العدد إلى" in page.content.decode()
    assert 'data-reach="2">قارئان<' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/newsletters/edition/{edition.pk}/send/")
    edition.refresh_from_db()
    assert edition.status == "sent"
    assert len(smtp.received) == 2


def test_breaking_alert_in_one_click_with_reach(
    smtp, admin_client, django_capture_on_commit_callbacks
):
    people = readers(4, "breaking")
    people[0].subs.update(active=False)
    article = f.article(title="زلزال بقوة 5 درجات يضرب المنطقة", is_breaking=True)
    # Publishing a breaking story prepares a held alert (nothing is sent without a person).
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(events.ArticlePublished(article_id=article.pk))
    held = Edition.objects.get(kind="breaking")
    assert held.status == "held" and len(smtp.received) == 0
    response = admin_client.post(
        "/admin/newsroom/article/",
        {"action": "send_breaking_alert", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    confirm_url = response["Location"]
    assert confirm_url == f"/admin/newsletters/edition/alert/{article.pk}/"
    page = admin_client.get(confirm_url).content.decode()
    assert 'data-reach="3">3 مشتركين<' in page  # the unsubscribed reader is not counted
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(confirm_url)
    held.refresh_from_db()
    assert held.status == "sent"
    assert sorted(m.rcpt for m in smtp.received) == sorted(p.email for p in people[1:])
    assert "زلزال" in smtp.received[0].message["Subject"]
    # A second click does not send the same alert again.
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(confirm_url)
    assert len(smtp.received) == 3


def test_web_version_of_an_edition(client, daily):
    a = f.article(title="خبر في النشرة")
    edition = Edition.objects.create(
        newsletter=daily,
        subject="عدد اليوم",
        article_ids=[a.pk],
        status="sent",
        sent_at=timezone.now(),
    )
    response = client.get(edition.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "خبر في النشرة" in html and "عدد اليوم" in html
    assert "@@" not in html and "/newsletters/u/" not in html  # no reader links
    assert client.get(edition.get_absolute_url())["X-Cache"] == "HIT"
    held = Edition.objects.create(newsletter=daily, subject="لم يُرسل", article_ids=[a.pk])
    assert client.get(held.get_absolute_url()).status_code == 404
    assert "عدد اليوم" in client.get("/newsletters/").content.decode()


def test_reach_counts_confirmed_unsuppressed_readers(daily):
    from akhbar.newsletters.models import Suppression

    people = readers(3)
    Suppression.objects.create(email=people[0].email, reason="bounce")
    assert services.reach([daily.pk]) == 2


def test_section_lists_are_created_once():
    f.category("سياسة")
    f.category("رياضة")
    assert editions.ensure_section_lists() == 2
    assert editions.ensure_section_lists() == 0
    assert NewsletterList.objects.filter(kind="weekly").count() == 2
