"""The demo newsroom that `make run` loads: complete enough to exercise every page, and
idempotent so running `make run` twice changes nothing."""

from __future__ import annotations

import pytest

from akhbar.comments.models import Comment
from akhbar.demo.newsroom import load_demo
from akhbar.newsroom.models import Article, Author, Category

pytestmark = pytest.mark.django_db


def test_demo_newsroom_is_complete_and_idempotent(client):
    first = load_demo(create_admin=True)
    assert first.admin_password
    assert Article.objects.published().count() >= 24
    assert Category.objects.filter(parent__isnull=True).count() >= 5
    assert Author.objects.count() == 3
    assert Article.objects.filter(is_breaking=True).count() == 2
    assert Comment.objects.filter(status="approved").count() >= 5
    second = load_demo(create_admin=True)
    assert second.created == {} and second.admin_password is None
    assert Article.objects.count() == first.created["articles"]
    for url in ["/", "/p/about/", "/p/privacy/"] + [
        a.get_absolute_url() for a in Article.objects.all()[:40]
    ]:
        assert client.get(url).status_code == 200, url
