"""Failed jobs in the admin with a retry action; a dead worker or a stuck queue shows in the
admin and in ``/health/pipeline``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from akhbar.pipeline.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    yield
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _alive(worker_id: str = "w1") -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id=worker_id, started_at=now, seen_at=now)


def test_health_endpoint_reports_dead_worker_and_stuck_queue(client, database_queue, settings):
    from akhbar.search.tasks import index_articles

    r = client.get("/health/pipeline")
    assert r.status_code == 503
    assert r.json()["problems"] == ["no live worker: jobs are queued but nobody runs them"]

    _alive()
    assert client.get("/health/pipeline").status_code == 200

    result = index_articles.enqueue([1])
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - timedelta(hours=1)
    )
    body = client.get("/health/pipeline").json()
    assert body["queued"] == 1 and not body["ok"]
    assert body["problems"][0].startswith("queue not draining")

    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=5))
    assert "no live worker" in client.get("/health/pipeline").json()["problems"][0]


def test_failed_job_is_listed_and_retried_from_the_admin(admin_client, database_queue):
    from django_tasks_db.models import DBTaskResult

    from akhbar.search.tasks import index_articles

    result = index_articles.enqueue([42])
    row = DBTaskResult.objects.get(pk=result.id)
    row.set_failed(RuntimeError("disk full"))
    _alive()

    page = admin_client.get("/admin/django_tasks_database/dbtaskresult/?failure=final")
    html = page.content.decode()
    assert page.status_code == 200
    assert "index_articles" in html
    assert "مهام فشلت نهائياً: 1" in html  # the health warning at the top

    r = admin_client.post(
        "/admin/django_tasks_database/dbtaskresult/",
        {"action": "retry", "_selected_action": [str(row.pk)]},
        follow=True,
    )
    assert "أُعيدت 1 مهمة إلى الطابور." in r.content.decode()
    again = DBTaskResult.objects.get()
    assert again.pk != row.pk and again.status == "READY"
    assert again.args_kwargs["args"] == [[42]]


def test_admin_lists_show_a_dead_worker(admin_client, database_queue):
    html = admin_client.get("/admin/pipeline/workerheartbeat/").content.decode()
    assert "لا يعمل أي عامل مهام" in html


def test_scheduler_enqueues_each_due_job_once_across_workers(database_queue):
    from django_tasks_db.models import DBTaskResult

    from akhbar.pipeline import schedule
    from akhbar.pipeline.models import ScheduledJob

    now = timezone.now()
    first = schedule.tick("worker-a", now=now)
    assert first == [e.name for e in schedule.SCHEDULE]  # everything is due on a new site
    assert schedule.tick("worker-b", now=now) == []  # a second worker at the same moment
    assert DBTaskResult.objects.count() == len(schedule.SCHEDULE)
    later = now + timedelta(seconds=31)
    assert schedule.tick("worker-b", now=later) == ["publish_due"]  # every 30 s
    assert ScheduledJob.objects.get(name="publish_due").last_worker == "worker-b"


def test_retried_attempts_are_not_final_failures_whatever_module_recorded_them(database_queue):
    from django_tasks_db.models import DBTaskResult

    from akhbar.core.retry import RetryScheduled
    from akhbar.pipeline import health
    from akhbar.search.tasks import index_articles

    _alive()
    retried = DBTaskResult.objects.get(pk=index_articles.enqueue([1]).id)
    retried.set_failed(RetryScheduled("attempt 1/3 failed"))
    older = DBTaskResult.objects.get(pk=index_articles.enqueue([2]).id)
    older.set_failed(RetryScheduled("attempt 1/3 failed"))
    # recorded before the retry helper moved from akhbar.pipeline to akhbar.core
    DBTaskResult.objects.filter(pk=older.pk).update(
        exception_class_path="akhbar.pipeline.retry.RetryScheduled"
    )
    assert health.check().failed == 0
    DBTaskResult.objects.get(pk=index_articles.enqueue([3]).id).set_failed(RuntimeError("disk"))
    assert health.check().failed == 1
