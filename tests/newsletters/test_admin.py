"""The newsletter admin: subscribers per list and over time (a chart without scripts), each
edition's counts, a test send to staff, the suppression list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from akhbar.newsletters import sending, services
from akhbar.newsletters.admin import growth_chart
from akhbar.newsletters.models import Delivery, Subscriber, Suppression
from tests.newsletters.helpers import digest, readers

pytestmark = pytest.mark.django_db


def test_lists_with_counts_and_growth_chart(admin_client):
    people = readers(5)
    Subscriber.objects.filter(pk=people[0].pk).update(
        confirmed_at=timezone.now() - timedelta(days=3)
    )
    Subscriber.objects.filter(pk__in=[p.pk for p in people[1:]]).update(confirmed_at=timezone.now())
    Subscriber.objects.create(email="waiting@example.org")
    series = services.growth(30)
    assert series.totals[-1] == 5 and series.totals[-4] == 1 and series.totals[0] == 0
    page = admin_client.get("/admin/newsletters/newsletterlist/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<polyline" in html and "<script" not in html.split("<svg")[1][:3000]
    assert "بانتظار التأكيد: 1" in html
    assert 'class="field-subscriber_count">5<' in html


def test_growth_chart_points():
    chart = growth_chart(
        services.Series(days=["a", "b", "c"], totals=[0, 5, 10]), width=100, height=100
    )
    assert chart["points"] == "0.0,92.0 50.0,54.0 100.0,16.0"


def test_edition_list_shows_sent_bounced_complained_unsubscribed(admin_client, smtp):
    people = readers(4)
    edition = digest()
    sending.send_edition(edition.pk)
    Delivery.objects.filter(subscriber=people[0]).update(status="bounced")
    Delivery.objects.filter(subscriber=people[1]).update(status="complained")
    services.unsubscribe(people[2])
    html = admin_client.get("/admin/newsletters/edition/").content.decode()
    assert 'class="field-n_sent">4<' in html
    assert 'class="field-n_bounced">1<' in html
    assert 'class="field-n_complained">1<' in html
    assert 'class="field-n_unsubscribed">1<' in html
    detail = admin_client.get(f"/admin/newsletters/edition/{edition.pk}/change/")
    assert "أُرسلت 4" in detail.content.decode()


def test_test_send_to_staff(admin_client, admin_user, smtp, django_user_model):
    admin_user.email = "editor@news.example.org"
    admin_user.save()
    django_user_model.objects.create_user("reader", "reader@example.org", "x")  # not staff
    edition = digest(status="held")
    page = admin_client.get(f"/admin/newsletters/edition/{edition.pk}/test/")
    assert "editor@news.example.org" in page.content.decode()
    assert "reader@example.org" not in page.content.decode()
    admin_client.post(f"/admin/newsletters/edition/{edition.pk}/test/", {"users": [admin_user.pk]})
    smtp.wait_for(1)
    mail = smtp.received[0]
    assert mail.rcpt == "editor@news.example.org"
    assert mail.message["Subject"].startswith("[تجربة]")
    assert mail.dkim_ok
    edition.refresh_from_db()
    assert edition.status == "held"  # a test changes nothing for readers


def test_suppression_list(admin_client):
    Suppression.objects.create(
        email="gone@xn--mgbh0fb.xn--wgbh1c", reason="bounce", detail="550 5.1.1"
    )
    html = admin_client.get("/admin/newsletters/suppression/").content.decode()
    assert "gone@مثال.مصر" in html and "ارتداد دائم" in html


def test_staff_without_permission_cannot_send(client, django_user_model):
    user = django_user_model.objects.create_user("intern", "i@example.org", "pw", is_staff=True)
    client.force_login(user)
    edition = digest(status="held")
    assert client.post(f"/admin/newsletters/edition/{edition.pk}/send/").status_code == 403
    edition.refresh_from_db()
    assert edition.status == "held"
