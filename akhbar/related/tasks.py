"""Related articles' background jobs (safe to run twice: each refresh replaces its rows)."""

from __future__ import annotations

from django_tasks import task

from akhbar.core.retry import retrying


@task()
@retrying(attempts=4, backoff=10)
def refresh_articles(ids: list[int]) -> int:
    from akhbar.related.services import refresh

    for article_id in ids:
        refresh(article_id)
    return len(ids)
