"""The pipeline's own recurring jobs (see akhbar.pipeline.schedule)."""

from __future__ import annotations

import logging

from django_tasks import task

from akhbar.core.retry import retrying

log = logging.getLogger(__name__)


@task()
@retrying(attempts=3)
def index_catch_up() -> dict:
    """Published articles missing from search or related (an interrupted import, a bulk
    update) are indexed; entries of articles no longer live are dropped; image renditions
    still pending after ten minutes are queued again."""
    from akhbar.newsroom.public import renditions_catch_up
    from akhbar.related import public as related
    from akhbar.search import public as indexing

    out = {"search": indexing.catch_up(), "related": related.catch_up()}
    if renditions := renditions_catch_up():
        out["renditions"] = renditions
    return out


@task()
def recover_jobs() -> int:
    """Queue again the jobs a dead worker was running (a worker killed -9 mid-job)."""
    from akhbar.pipeline import health

    return health.recover_orphans()


@task()
@retrying(attempts=3, backoff=300)
def daily_maintenance() -> dict:
    """What ``purge_comments`` and ``optimize_db`` do, plus dropping old job results."""
    from akhbar.comments.public import erase_personal_data, purge_spam
    from akhbar.core.maintenance import refresh_planner_statistics
    from akhbar.pipeline import health

    spam = purge_spam()
    erased = erase_personal_data()
    refresh_planner_statistics()
    pruned = health.prune_results()
    return {"spam_deleted": spam, "personal_data_erased": erased, "results_pruned": pruned}
