"""Reactions to the publishing pipeline's events (akhbar.core.events)."""

from __future__ import annotations

from akhbar.core import events


def on_article_published(event: events.ArticlePublished) -> None:
    """A breaking story went live: prepare the alert, held for the editor's one click.

    Nothing is sent automatically: an alert reaches every subscriber's phone, so a person
    confirms it after seeing the reach (admin → النشرات → أعداد النشرات, or the article list's
    "إرسال تنبيه عاجل" action).
    """
    from akhbar.newsletters import editions
    from akhbar.newsroom.models import Article

    article = Article.objects.filter(pk=event.article_id, is_breaking=True).first()
    if article is not None:
        editions.prepare_alert(article)
