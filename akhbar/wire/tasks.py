"""Jobs of the wire app (Django's tasks API)."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_related(article_ids: list[int]) -> None:
    """Related-articles lists for what an ingest run wrote (the slow part, off the ingest path;
    fingerprints and near-duplicate flags were stored during ingest)."""
    from akhbar.related import services

    for pk in dict.fromkeys(article_ids):
        services.refresh(pk)
