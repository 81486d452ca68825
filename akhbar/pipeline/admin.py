"""The queue in the admin: failed jobs with a retry action, workers and their heartbeats,
the recurring-job schedule; every list shows the health problems (dead worker, growing queue)
at the top."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from akhbar.core.retry import ATTEMPT_KWARG, RETRY_PATHS
from akhbar.pipeline import health
from akhbar.pipeline.models import ScheduledJob, WorkerHeartbeat


def _warn_health(request: HttpRequest) -> None:
    try:
        report = health.check()
    except Exception as exc:  # pragma: no cover - the admin page itself still answers
        messages.error(request, f"تعذّر فحص طابور المهام: {type(exc).__name__}")
        return
    translations = {
        "no live worker": "لا يعمل أي عامل مهام: المهام تنتظر ولا أحد ينفّذها.",
        "queue not draining": "الطابور لا يتقدّم: أقدم مهمة جاهزة تنتظر منذ {} ثانية.",
        "queue growing": "الطابور يكبر: {} مهمة تنتظر.",
    }
    for problem in report.problems:
        if problem.startswith("no live worker"):
            messages.error(request, translations["no live worker"])
        elif problem.startswith("queue not draining"):
            messages.warning(
                request,
                translations["queue not draining"].format(int(report.oldest_queued_seconds or 0)),
            )
        elif problem.startswith("queue growing"):
            messages.warning(request, translations["queue growing"].format(report.queued))
    if report.failed:
        messages.warning(request, f"مهام فشلت نهائياً: {report.failed}. أعد تشغيلها من القائمة.")


class HealthMixin:
    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        if request.method == "GET":
            _warn_health(request)
        return super().changelist_view(request, extra_context)  # type: ignore[misc]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(HealthMixin, admin.ModelAdmin):
    list_display = ["worker_id", "hostname", "pid", "backend", "started_at", "seen_at", "alive"]
    readonly_fields = [f.name for f in WorkerHeartbeat._meta.fields]

    @admin.display(description="حي", boolean=True)
    def alive(self, obj: WorkerHeartbeat) -> bool:
        age = (timezone.now() - obj.seen_at).total_seconds()
        return obj.stopped_at is None and age <= health.stale_seconds()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScheduledJob)
class ScheduledJobAdmin(HealthMixin, admin.ModelAdmin):
    list_display = ["name", "last_run_at", "next_run_at", "last_worker"]
    readonly_fields = ["name", "last_run_at", "last_worker"]
    actions = ["run_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="شغّل الآن في الدورة التالية")
    def run_now(self, request: HttpRequest, queryset: QuerySet[ScheduledJob]) -> None:
        n = queryset.update(next_run_at=timezone.now())
        self.message_user(request, f"ستُشغَّل {n} مهمة في دورة المجدول التالية.")


try:  # the database queue's results (django-tasks-db); RQ has django_rq's own views
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.admin import DBTaskResultAdmin
    from django_tasks_db.models import DBTaskResult
except ImportError:  # pragma: no cover
    # A stand-in for the missing class, only ever compared with None below.
    DBTaskResult = None  # type: ignore[misc, assignment]

if DBTaskResult is not None:

    class FinalFailureFilter(admin.SimpleListFilter):
        title = "الفشل"
        parameter_name = "failure"

        def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
            return [("final", "فشلت نهائياً"), ("retried", "محاولة أعيدت")]

        def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
            failed = queryset.filter(status=TaskResultStatus.FAILED)
            if self.value() == "final":
                return failed.exclude(exception_class_path__in=RETRY_PATHS)
            if self.value() == "retried":
                return failed.filter(exception_class_path__in=RETRY_PATHS)
            return queryset

    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)

    @admin.register(DBTaskResult)
    class JobAdmin(HealthMixin, DBTaskResultAdmin):
        # The base class's list_filter has no annotation: mypy takes it as three names.
        list_filter = (FinalFailureFilter, "status", "queue_name")  # type: ignore[assignment]
        actions = ["retry"]

        def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
            # Needed for the action; the fields stay read-only (get_readonly_fields).
            return request.user.is_superuser or request.user.has_perm(
                "django_tasks_db.change_dbtaskresult"
            )

        @admin.action(description="أعد تشغيل المهام الفاشلة المحددة")
        def retry(self, request: HttpRequest, queryset: QuerySet) -> None:
            retried = 0
            for result in queryset.filter(status=TaskResultStatus.FAILED):
                saved = result.args_kwargs or {}
                kwargs = {k: v for k, v in saved.get("kwargs", {}).items() if k != ATTEMPT_KWARG}
                try:
                    result.task.using(queue_name=result.queue_name).enqueue(
                        *saved.get("args", []), **kwargs
                    )
                except Exception as exc:  # the job's code is gone or its arguments invalid
                    messages.error(request, f"تعذّرت إعادة المهمة {result.pk}: {exc}")
                    continue
                result.delete()
                retried += 1
            self.message_user(request, f"أُعيدت {retried} مهمة إلى الطابور.")
