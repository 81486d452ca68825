"""Jobs for the queue tests, run by real worker processes (importable from the repo root)."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task

from akhbar.core.retry import retrying


@task()
def slow_effect(folder: str, seconds: float = 60.0) -> str:
    """First run: mark "started", then work long enough to be killed. Any later run does the
    work at once. The effect (one line in ``effect``) is written only when the work is done,
    like every real job here (check what is done, then write idempotently)."""
    base = Path(folder)
    started = base / "started"
    if not started.exists():
        started.write_text("1")
        time.sleep(seconds)
    effect = base / "effect"
    if not effect.exists():
        effect.write_text("done\n")
    return "ok"


@task()
@retrying(attempts=3, backoff=1)
def flaky(folder: str) -> int:
    """Fails on its first attempt, succeeds on the second; records each attempt's time."""
    base = Path(folder)
    attempts = base / "attempts"
    with attempts.open("a") as fh:
        fh.write(f"{time.time()}\n")
    count = len(attempts.read_text().split())
    if count == 1:
        raise RuntimeError("partner server answered 503")
    return count


@task()
@retrying(attempts=2, backoff=1)
def always_fails(folder: str) -> None:
    raise RuntimeError("this job never works")
