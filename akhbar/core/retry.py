"""Retries with exponential backoff for background jobs.

django-tasks has no retry policy of its own (as of 0.12), so a job decorated with
:func:`retrying` (under ``@task()``) that raises enqueues its next attempt itself, deferred by
``backoff * 2**(attempt - 1)`` seconds, and then fails this attempt with
:class:`RetryScheduled` (so the attempt is recorded, with the original error in its
traceback). The last attempt's error fails the job for good: that is what the admin lists
as a failed job, with a retry button.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django.utils import timezone

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
ATTEMPT_KWARG = "_attempt"


class RetryScheduled(Exception):
    """This attempt failed; the next one is queued (see the chained exception)."""


#: ``exception_class_path`` of a recorded attempt that was retried (not a final failure): this
#: module's, and the one rows got while it was ``akhbar.pipeline.retry`` (before #19 moved it to
#: core, so that every app's ``tasks.py`` depends on core only).
RETRY_PATHS = (f"{__name__}.RetryScheduled", "akhbar.pipeline.retry.RetryScheduled")


def _task_object(func: Callable[..., Any]) -> Any:
    """The django-tasks Task wrapping ``func`` (the module attribute of the same name)."""
    return getattr(sys.modules[func.__module__], func.__name__)


def retrying(*, attempts: int = 3, backoff: float = 10.0) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                task_obj = _task_object(wrapper)
                backend = task_obj.get_backend()
                if attempt >= attempts or not backend.supports_defer:
                    log.error("job %s failed for good (attempt %d/%d)", func.__name__,
                              attempt, attempts)  # fmt: skip
                    raise
                delay = backoff * 2 ** (attempt - 1)
                task_obj.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
                    *args, **{**kwargs, ATTEMPT_KWARG: attempt + 1}
                )
                log.warning(
                    "job %s attempt %d/%d failed (%s); retrying in %.0f s",
                    func.__name__, attempt, attempts, exc, delay,
                )  # fmt: skip
                raise RetryScheduled(
                    f"attempt {attempt}/{attempts} failed: {exc!r}; retry in {delay:.0f} s"
                ) from exc

        wrapper.max_attempts = attempts  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
