"""A publish during a database connection restart is complete or refused, never half done.

The test restarts *the connection*, not the machine's server: while the admin is saving a
publication, another connection terminates this request's PostgreSQL backend
(``pg_terminate_backend``, what a server restart or a failover does to it). The request must
answer 503 with an Arabic "nothing was saved" page, leave no trace (no publication, revision,
workflow entry, search entry or job), and the next attempt must publish completely.
"""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from akhbar.newsroom import revisions
from akhbar.newsroom.models import Article, Revision, WorkflowEvent
from akhbar.search.models import SearchEntry
from tests import factories as f
from tests.newsroom.conftest import make_user
from tests.newsroom.test_admin_input import form_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def _terminate_this_backend() -> None:
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_publish_when_the_connection_dies_mid_save_is_refused_whole(client, monkeypatch):
    editor = make_user("editor", name="ed")
    client.force_login(editor)
    article = Article.objects.create(
        title="مسودة تنتظر", body="<p>نص.</p>", category=f.category(), created_by=editor
    )
    revisions_before = Revision.objects.count()
    original = revisions.record_revision
    state = {"armed": True}

    def record_then_lose_connection(*args, **kwargs):
        if state["armed"]:
            state["armed"] = False
            _terminate_this_backend()  # the database goes away in the middle of the save
        return original(*args, **kwargs)

    monkeypatch.setattr(revisions, "record_revision", record_then_lose_connection)
    url = f"/admin/newsroom/article/{article.pk}/change/"
    data = form_data(article.category, title="عاجل: الخبر منشور", status="published",
                     published_at_0="2024-01-01", published_at_1="10:00")  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 503
    assert "لم يُحفظ شيء" in response.content.decode()
    assert response["Retry-After"]

    # Nothing half done: the old row, no revision, no workflow entry, nothing indexed.
    article.refresh_from_db()  # a new connection
    assert (article.status, article.title) == (Article.Status.DRAFT, "مسودة تنتظر")
    assert Revision.objects.count() == revisions_before
    assert not WorkflowEvent.objects.filter(action="published").exists()
    assert not SearchEntry.objects.exists()

    # The editor tries again once the database is back: the publication is complete.
    client.force_login(editor)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.title == "عاجل: الخبر منشور"
    assert WorkflowEvent.objects.filter(action="published").count() == 1
    assert SearchEntry.objects.filter(article=article).exists()
