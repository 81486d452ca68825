"""Search's background jobs: index what the newsroom changed (safe to run twice: upserts)."""

from __future__ import annotations

from django_tasks import task

from akhbar.core.retry import retrying


@task()
@retrying(attempts=5, backoff=5)
def index_articles(ids: list[int]) -> int:
    from akhbar.search.indexing import sync_articles

    return sync_articles(ids)
