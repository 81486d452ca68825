"""Webhooks end to end: events → jobs → signed POSTs to a real server on 127.0.0.1."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from akhbar.api import webhooks
from akhbar.api.models import Webhook, WebhookDelivery
from akhbar.core import events
from tests import factories as f
from tests.api.webhook_peer import Peer

pytestmark = pytest.mark.django_db


@pytest.fixture
def peer(settings):
    settings.AKHBAR_ALLOW_PRIVATE_FETCH = True
    p = Peer("s3cret-for-tests")
    yield p
    p.close()


def _hook(peer, names=("article.published",)) -> Webhook:
    return Webhook.objects.create(name="شريك", url=peer.url, events=list(names), secret=peer.secret)


def test_published_event_delivers_api_representation(peer, django_capture_on_commit_callbacks):
    hook = _hook(peer)
    with django_capture_on_commit_callbacks(execute=True):
        a = f.article(title="خبر للشركاء")  # the write path emits ArticlePublished
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(events.ArticleUpdated(article_id=a.pk))  # not subscribed
    assert len(peer.received) == 1
    body = peer.received[0]
    assert body["event"] == "article.published"
    assert body["data"]["article"]["title"] == "خبر للشركاء"
    assert body["data"]["article"]["url"].endswith(a.get_absolute_url())
    d = WebhookDelivery.objects.get(webhook=hook)
    assert d.status == "delivered" and d.response_code == 200 and d.attempts == 1


def test_signature_and_replay_window():
    body = b'{"x":1}'
    sig = webhooks.sign("k", 1000, body)
    assert webhooks.verify_signature("k", "1000", body, sig, now=1100)
    assert not webhooks.verify_signature("k", "1000", body, sig, now=2000)  # replayed late
    assert not webhooks.verify_signature("k", "1000", body + b" ", sig, now=1000)
    assert not webhooks.verify_signature("other", "1000", body, sig, now=1000)


def test_wrong_secret_is_refused_by_the_peer(peer, django_capture_on_commit_callbacks):
    hook = _hook(peer, ["comment.approved"])
    hook.secret = "not-the-peer-secret"
    hook.save()
    a = f.article()
    c = f.comment(a, status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(events.CommentApproved(comment_id=c.pk, article_id=a.pk))
    assert peer.rejected == 1
    d = WebhookDelivery.objects.get()
    assert d.status == "pending" and d.response_code == 401 and d.next_attempt_at


def test_retries_with_backoff_then_succeeds(peer):
    hook = _hook(peer)
    peer.fail_next = 2
    d = webhooks.send_test(hook)
    d.refresh_from_db()
    assert d.attempts == 1 and d.response_code == 503
    first_delay = d.next_attempt_at - d.last_attempt_at
    webhooks.retry_due(now=d.next_attempt_at)
    d.refresh_from_db()
    assert d.attempts == 2 and d.next_attempt_at - d.last_attempt_at == 2 * first_delay
    webhooks.retry_due(now=d.next_attempt_at)
    d.refresh_from_db()
    assert d.status == "delivered" and peer.received[0]["event"] == "webhook.test"
    hook.refresh_from_db()
    assert hook.consecutive_failures == 0


def test_gives_up_after_24_hours_and_auto_disables(peer, settings):
    settings.AKHBAR_API = {**settings.AKHBAR_API, "WEBHOOK_AUTO_DISABLE_AFTER": 3}
    hook = _hook(peer)
    peer.fail_next = 100
    d = webhooks.send_test(hook)
    WebhookDelivery.objects.filter(pk=d.pk).update(
        created_at=timezone.now() - timedelta(hours=23, minutes=59)
    )
    webhooks.retry_due(now=timezone.now() + timedelta(hours=1))
    d.refresh_from_db()
    assert d.status == "failed"  # the next try would be past 24 h
    webhooks.send_test(hook)
    hook.refresh_from_db()
    assert not hook.is_active and "3" in hook.disabled_reason


def test_private_addresses_are_refused_without_the_loopback_setting(settings):
    settings.AKHBAR_ALLOW_PRIVATE_FETCH = False
    hook = Webhook.objects.create(name="x", url="http://127.0.0.1:9/", events=["webhook.test"])
    d = webhooks.send_test(hook)
    d.refresh_from_db()
    assert d.response_code is None and "not a public address" in d.error


def test_every_event_type_has_a_name():
    names = webhooks.event_names()
    for expected in [
        "article.published",
        "article.updated",
        "article.unpublished",
        "comment.approved",
    ]:
        assert expected in names


def test_admin_send_test_button(peer, admin_client):
    hook = _hook(peer)
    page = admin_client.get(f"/admin/api/webhook/{hook.pk}/change/")
    assert "إرسال اختبار" in page.content.decode()
    r = admin_client.post(f"/admin/api/webhook/{hook.pk}/send-test/", follow=True)
    assert "وصل الاختبار" in r.content.decode()
    assert peer.received[0]["event"] == "webhook.test"
