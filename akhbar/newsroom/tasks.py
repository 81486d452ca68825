"""The newsroom's background jobs (Django's tasks API; see akhbar.pipeline for the worker).

Every job is safe to run twice: a worker killed mid-job has it run again (akhbar.pipeline's
recovery), so each job checks what is still to do and writes idempotently.
"""

from __future__ import annotations

import logging

from django_tasks import task

from akhbar.core.retry import retrying

log = logging.getLogger(__name__)


@task()
@retrying(attempts=4)
def make_renditions(article_id: int, source: str) -> dict:
    """WebP + JPEG renditions of an article's featured image ``source``.

    Skipped when the article is gone or its image changed again since (a newer job is
    queued for the new one). Written with a conditional UPDATE so a slow job never
    overwrites the renditions of a newer image.
    """
    from akhbar.core import events
    from akhbar.newsroom import images
    from akhbar.newsroom.models import Article

    article = Article.objects.filter(pk=article_id, featured_image=source).first()
    if article is None:
        return {"skipped": "image changed or article deleted"}
    if images.is_incoming(source):
        # The admin stored the photo as it came: clean it first (metadata, orientation).
        from django.core.exceptions import ValidationError

        try:
            final = images.finish_upload(source)
        except ValidationError as exc:
            log.warning("Rejected the photo of article %s (%s): %s", article_id, source, exc)
            Article.objects.filter(pk=article_id, featured_image=source).update(
                featured_image="", image_renditions={"rejected": " ".join(exc.messages)}
            )
            images.default_storage.delete(source)
            return {"rejected": " ".join(exc.messages)}
        placeholder = {"source": final, "pending": True, **images.dimensions(final)}
        if not Article.objects.filter(pk=article_id, featured_image=source).update(
            featured_image=final, image_renditions=placeholder
        ):
            images.default_storage.delete(final)  # replaced meanwhile by a newer photo
            return {"skipped": "image changed meanwhile"}
        source = final
    if (article.image_renditions or {}).get("jpeg") and article.image_renditions.get(
        "source"
    ) == source:
        return {"skipped": "already made"}
    try:
        data = images.make_renditions(source, f"renditions/{article_id}")
    except (OSError, ValueError, images.Image.DecompressionBombError) as exc:
        # A file that cannot be decoded will not decode on a retry: keep the original.
        log.warning("Could not make renditions for article %s (%s): %s", article_id, source, exc)
        data = {"source": source}
    updated = Article.objects.filter(pk=article_id, featured_image=source).update(
        image_renditions=data
    )
    if updated and article.is_live:
        events.emit(
            events.ArticleUpdated(
                article_id=article_id,
                category_ids=(article.category_id,),
                author_ids=tuple(a for a in (article.author_id,) if a),
                slugs=(article.slug,),
                fields=frozenset({"image_renditions"}),
            )
        )
    return {"widths": [w for w, _ in data.get("jpeg", [])]}


@task()
@retrying(attempts=3)
def publish_due() -> int:
    """Scheduled articles whose time came: log "went live" and emit ArticlePublished."""
    from akhbar.newsroom import services

    return len(services.publish_due())


@task()
@retrying(attempts=3)
def flush_hits() -> int:
    """Move the read counts gathered in the cache to the articles table."""
    from akhbar.newsroom import services

    return services.flush_hits()


def renditions_catch_up(older_than_minutes: int = 10) -> int:
    """Queue again the renditions of images still pending after a while (a job lost when the
    queue was unreachable right after a save). Idempotent: a job that did run skips."""
    from datetime import timedelta

    from django.utils import timezone

    from akhbar.newsroom.models import Article

    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    pending = Article.objects.filter(
        image_renditions__pending=True, updated_at__lt=cutoff
    ).values_list("pk", "featured_image")
    count = 0
    for article_id, source in pending.iterator():
        if source:
            make_renditions.enqueue(article_id, source)
            count += 1
    return count
