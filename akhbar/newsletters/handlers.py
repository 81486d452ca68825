"""Reactions to the publishing pipeline's events (akhbar.core.events)."""

from __future__ import annotations

from akhbar.core import events


def on_article_published(batch: tuple[events.ArticlePublished, ...]) -> None:
    """A breaking story went live: prepare the alert, held for the editor's one click.

    Nothing is sent automatically: an alert reaches every subscriber's phone, so a person
    confirms it after seeing the reach (admin → النشرات → أعداد النشرات, or the article list's
    "إرسال تنبيه عاجل" action). A batch handler: one query for a whole import's batch.
    """
    from akhbar.newsletters import editions
    from akhbar.newsroom.models import Article

    ids = [event.article_id for event in batch]
    for article in Article.objects.filter(pk__in=ids, is_breaking=True):
        editions.prepare_alert(article)
