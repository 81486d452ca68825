"""Background jobs of the importers: partner feeds on a schedule (no cron)."""

from __future__ import annotations

from django_tasks import task

from akhbar.core.retry import retrying


@task()
@retrying(attempts=3, backoff=60)
def fetch_feeds() -> dict:
    """Fetch every active partner feed; new items go through the newsroom's write path."""
    from akhbar.importers.feeds import fetch_all

    results = fetch_all()
    return {r.feed.name: {"outcome": r.outcome, "created": r.created} for r in results}
