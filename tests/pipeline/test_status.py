"""``akhbar status``: one table (or JSON) of the site's health, exit 1 when something failed."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from akhbar.comments.models import Comment
from akhbar.importers.models import PartnerFeed
from akhbar.pipeline.models import WorkerHeartbeat
from akhbar.related import services as related
from akhbar.search import indexing
from tests import factories

pytestmark = pytest.mark.django_db


def _status(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("status", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code), out.getvalue()
    return 0, out.getvalue()


def _checks(*args: str) -> tuple[int, dict[str, dict]]:
    code, out = _status("--json", *args)
    body = json.loads(out)
    assert body["ok"] is (code == 0)
    return code, {c["name"]: c for c in body["checks"]}


@pytest.fixture
def newsroom(settings, tmp_path):
    """Three indexed articles, one published while indexing was suspended (an interrupted
    import), two comments awaiting moderation, a failing partner feed, two media files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "images").mkdir(parents=True)
    (tmp_path / "media" / "images" / "a.jpg").write_bytes(b"x" * 1000)
    (tmp_path / "media" / "b.webp").write_bytes(b"y" * 24)
    articles = [factories.article() for _ in range(3)]
    with indexing.suspended(), related.suspended():
        factories.article(title="خبر لم يُفهرس")
    factories.article(status="draft")
    factories.comment(articles[0], status=Comment.Status.PENDING)
    factories.comment(articles[1], status=Comment.Status.PENDING)
    factories.comment(articles[1])
    PartnerFeed.objects.create(
        name="وكالة الشرق",
        url="https://feeds.example.org/rss",
        default_category=articles[0].category,
        last_fetched_at=timezone.now() - timedelta(minutes=4),
        last_error="HTTP 503",
    )
    return articles


def test_json_report_counts_the_real_rows(newsroom):
    code, checks = _checks()
    assert code == 0  # immediate backend (the suite's): warnings only
    assert checks["database"]["state"] == "ok"
    assert checks["database"]["details"]["unapplied_migrations"] == 0
    assert checks["cache"]["state"] == "ok"
    assert checks["jobs"]["state"] == "ok"

    search = checks["search"]
    assert search["state"] == "warn"
    assert search["details"] == {
        "published": 4,
        "scheduled": 0,
        "indexed": 3,
        "missing": 1,
        "stale": 0,
    }
    assert "akhbar reindex --missing" in search["summary"]
    assert checks["related"]["state"] == "warn"
    assert checks["related"]["details"]["fingerprinted"] == 3
    assert checks["related"]["details"]["missing"] == 1

    assert checks["feeds"]["state"] == "warn"
    assert checks["feeds"]["details"]["failing"] == ["وكالة الشرق"]
    assert "last fetch 4 min ago" in checks["feeds"]["summary"]
    assert checks["comments"]["details"]["pending"] == 2
    assert checks["media"]["details"]["bytes"] == 1024
    assert checks["media"]["details"]["files"] == 2

    indexing.catch_up()
    related.catch_up()
    PartnerFeed.objects.update(last_error="", last_fetched_at=timezone.now())
    _code, checks = _checks()
    assert {name: c["state"] for name, c in checks.items()} == dict.fromkeys(checks, "ok")


def test_dead_worker_fails_with_exit_status_1_and_a_live_one_passes(newsroom, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    try:
        code, out = _status()
        assert code == 1
        assert "UNHEALTHY: jobs" in out
        assert "no live worker" in out
        for name in ("database", "cache", "search", "related", "feeds", "comments", "media"):
            assert name in out

        seen = timezone.now() - timedelta(seconds=3)
        WorkerHeartbeat.objects.create(worker_id="w1", started_at=seen, seen_at=seen)
        code, checks = _checks()
        assert code == 0
        assert checks["jobs"]["state"] == "ok"
        assert checks["jobs"]["details"]["last_heartbeat"] == seen.isoformat()
        assert "last heartbeat 3 s ago" in checks["jobs"]["summary"]
    finally:
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }


def test_unreachable_cache_is_a_failure_not_a_traceback(settings):
    # A port nothing listens on: the real Redis client's connection is refused.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2},
        }
    }
    code, checks = _checks()
    assert code == 1
    assert checks["cache"]["state"] == "fail"
    assert checks["cache"]["summary"].startswith("check failed: ConnectionError")
    assert checks["database"]["state"] == "ok"  # the other checks still ran
