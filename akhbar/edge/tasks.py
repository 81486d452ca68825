"""The purge job. Enqueued by akhbar.edge.subscribers on each domain event."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from akhbar.edge import services

log = logging.getLogger(__name__)


class PurgeFailed(RuntimeError):
    """Every attempt to reach some Varnish failed; the job is then marked failed."""


@task()
def purge_keys(keys: list[str], urls: list[str] | None = None, attempt: int = 1) -> dict:
    """Purge ``keys`` on ``urls`` (default: all configured Varnish servers).

    A Varnish that is down or refuses is retried alone, later, by a new job with a growing
    delay (``services.backoff_seconds``), up to ``services.max_attempts()``; the last failure
    raises so the job shows as failed. On a backend that cannot defer (the ``immediate`` test
    backend) there is no later: the failure is logged and raised at once.
    """
    targets = urls if urls is not None else services.varnish_urls()
    if not targets or not keys:
        return {"purged": {}, "failed": {}}
    outcome = services.purge(keys, targets)
    for url, count in outcome.purged.items():
        log.info("edge purge: %d object(s) on %s for %d key(s)", count, url, len(keys))
    if not outcome.failed:
        return {"purged": outcome.purged, "failed": {}}
    retry = sorted(outcome.failed)
    can_defer = purge_keys.get_backend().supports_defer
    if attempt < services.max_attempts() and can_defer:
        delay = services.backoff_seconds(attempt)
        log.warning(
            "edge purge failed on %s (attempt %d: %s); retrying in %.0f s",
            ", ".join(retry),
            attempt,
            "; ".join(outcome.failed.values()),
            delay,
        )
        purge_keys.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            keys, retry, attempt + 1
        )
        return {"purged": outcome.purged, "failed": outcome.failed, "retry_in": delay}
    log.error(
        "edge purge gave up on %s after %d attempt(s): %s",
        ", ".join(retry),
        attempt,
        "; ".join(outcome.failed.values()),
    )
    raise PurgeFailed(f"purge of {len(keys)} key(s) failed on {', '.join(retry)}")
