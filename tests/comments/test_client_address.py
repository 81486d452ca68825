"""Behind a trusted proxy each reader gets their own rate-limit bucket and stored address."""

from __future__ import annotations

import pytest
from django.test import Client

from akhbar.antispam.models import AntispamSettings
from akhbar.comments.models import Comment
from tests import factories as f
from tests.comments.test_posting import JSON, form_data, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def relaxed():
    s = AntispamSettings.current()
    s.hold_first_time_commenters = False
    s.save()


def test_readers_behind_the_proxy_have_their_own_buckets(settings):
    settings.AKHBAR_TRUSTED_PROXIES = ["127.0.0.1/32"]
    article = f.article()
    accepted = 0
    for i in range(8):
        # Eight readers, one comment each, all arriving through the local proxy.
        c = Client(enforce_csrf_checks=True, HTTP_X_FORWARDED_FOR=f"198.51.100.{i + 1}")
        data = form_data(c, article, author_email=f"r{i}@example.org", body=f"تعليق القارئ {i}")
        r = post(c, article, data, **JSON)
        accepted += r.status_code == 200
    assert accepted == 8
    ips = set(Comment.objects.values_list("ip_address", flat=True))
    assert ips == {f"198.51.100.{i + 1}" for i in range(8)}


def test_a_forged_header_from_an_untrusted_peer_is_ignored(settings):
    settings.AKHBAR_TRUSTED_PROXIES = []
    article = f.article()
    statuses = []
    for i in range(7):
        c = Client(enforce_csrf_checks=True, HTTP_X_FORWARDED_FOR=f"198.51.100.{i + 1}")
        data = form_data(c, article, author_email=f"r{i}@example.org", body=f"تعليق رقم {i}")
        statuses.append(post(c, article, data, **JSON).status_code)
    assert statuses.count(200) == 5 and statuses.count(429) == 2
    assert set(Comment.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
