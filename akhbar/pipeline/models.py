"""What the worker processes record about themselves and the schedule, in the site's database.

Kept in the database (not in Redis) on both queue backends, so the admin and the health check
read one place, and several servers agree on who runs a scheduled job.
"""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per worker process; ``seen_at`` is refreshed every few seconds while it lives."""

    worker_id = models.CharField("المعرّف", max_length=64, primary_key=True)
    hostname = models.CharField("الخادم", max_length=200, blank=True)
    pid = models.PositiveIntegerField("رقم العملية", default=0)
    backend = models.CharField("نوع الطابور", max_length=32, blank=True)
    started_at = models.DateTimeField("بدأ في")
    seen_at = models.DateTimeField("آخر نبضة", db_index=True)
    stopped_at = models.DateTimeField("توقف في", null=True, blank=True)

    class Meta:
        verbose_name = "عامل مهام"
        verbose_name_plural = "عمّال المهام"
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id[:8]})"


class ScheduledJob(models.Model):
    """When a recurring job last ran and is next due; claimed with a conditional UPDATE."""

    name = models.CharField("الاسم", max_length=64, primary_key=True)
    next_run_at = models.DateTimeField("موعد التشغيل التالي")
    last_run_at = models.DateTimeField("آخر تشغيل", null=True, blank=True)
    last_worker = models.CharField("آخر عامل", max_length=64, blank=True)

    class Meta:
        verbose_name = "مهمة دورية"
        verbose_name_plural = "المهام الدورية"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
