"""Self-hosted web push: VAPID keys made once and kept, subscriptions checked, alerts pushed
through the job queue to a real push service that verifies the JWT and decrypts the payload."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.test import Client

from akhbar.push import services
from akhbar.push.models import PushSubscription, VapidKeys
from tests import factories as f
from tests.push.push_service import PushService

pytestmark = pytest.mark.django_db


@pytest.fixture
def push_service(settings) -> Iterator[PushService]:
    service = PushService().start()
    settings.AKHBAR = {
        **settings.AKHBAR,
        "PUSH_EXTRA_ORIGINS": [service.origin],
        "PUSH_CONTACT": "mailto:desk@news.example.org",
    }
    settings.AKHBAR_SITE_URL = "https://news.example.org"
    yield service
    service.stop()


def post_json(client: Client, url: str, data) -> dict:
    token = client.get("/newsletters/state/").json()["csrf"]
    response = client.post(
        url, json.dumps(data), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    return {**response.json(), "http": response.status_code}


def test_vapid_keys_are_generated_once_and_kept():
    assert not VapidKeys.objects.exists()
    first = services.keys()
    assert services.keys().public_key == first.public_key
    assert VapidKeys.objects.count() == 1
    assert len(services.base64.urlsafe_b64decode(first.public_key + "=")) == 65
    assert Client().get("/push/key/").json()["key"] == first.public_key


def test_breaking_alert_is_pushed_encrypted_and_signed(
    push_service, client, django_capture_on_commit_callbacks
):
    a = post_json(client, "/push/subscribe/", push_service.new_subscription("alice"))
    assert a["http"] == 200 and "الأخبار العاجلة" in a["message"]
    post_json(client, "/push/subscribe/", push_service.new_subscription("bob"))
    gone = push_service.new_subscription("gone")
    post_json(client, "/push/subscribe/", gone)
    assert PushSubscription.objects.count() == 3

    article = f.article(title="انقطاع الكهرباء في ثلاث محافظات", excerpt="تفاصيل أولية.")
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_alert(article)
    assert push_service.rejected == []
    assert len(push_service.delivered) == 2
    got = push_service.delivered[0]
    assert got.payload["title"] == "عاجل: انقطاع الكهرباء في ثلاث محافظات"
    assert got.payload["url"] == "https://news.example.org" + article.get_absolute_url()
    assert got.urgency == "high" and int(got.ttl) == 4 * 3600
    assert got.vapid_key == services.keys().public_key
    assert got.claims["sub"] == "mailto:desk@news.example.org"
    # The expired subscription (410) was removed; the others were kept.
    assert not PushSubscription.objects.filter(endpoint=gone["endpoint"]).exists()
    assert PushSubscription.objects.count() == 2


def test_subscriptions_are_checked(client, push_service):
    good = push_service.new_subscription("x")
    cases = [
        {"endpoint": "http://10.0.0.1/push", "keys": good["keys"]},  # private network
        {"endpoint": "https://evil.example.com/push", "keys": good["keys"]},
        {"endpoint": good["endpoint"], "keys": {"p256dh": "short", "auth": "x"}},
        {"endpoint": good["endpoint"]},
        "not an object",
    ]
    for case in cases:
        r = post_json(client, "/push/subscribe/", case)
        assert r["http"] == 400 and r["message"], case
    bad = client.post(
        "/push/subscribe/",
        b"\xff\xfe",
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.get("/newsletters/state/").json()["csrf"],
    )
    assert bad.status_code == 400
    assert not PushSubscription.objects.exists()
    assert services.endpoint_allowed("https://fcm.googleapis.com/fcm/send/abc")
    assert services.endpoint_allowed("https://updates.push.services.mozilla.com/wpush/v2/x")
    assert not services.endpoint_allowed("https://googleapis.com.evil.org/x")
    # Without a CSRF token the subscription is refused.
    r = Client(enforce_csrf_checks=True).post(
        "/push/subscribe/", json.dumps(good), content_type="application/json"
    )
    assert r.status_code == 403


def test_unsubscribe_removes_the_endpoint(client, push_service):
    sub = push_service.new_subscription("y")
    post_json(client, "/push/subscribe/", sub)
    assert post_json(client, "/push/unsubscribe/", {"endpoint": sub["endpoint"]})["http"] == 200
    assert not PushSubscription.objects.exists()


def test_service_worker_is_served_for_the_whole_site(client):
    response = client.get("/push-sw.js")
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert "showNotification" in body and "openWindow" in body
