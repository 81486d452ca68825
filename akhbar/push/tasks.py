from __future__ import annotations

from django_tasks import task


@task()
def push_alert(article_id: int) -> dict:
    """Push a breaking story to every browser that asked for alerts."""
    from akhbar.newsroom.models import Article
    from akhbar.push import services

    article = Article.objects.published().filter(pk=article_id).first()
    if article is None:
        return {"sent": 0, "removed": 0, "failed": 0}
    report = services.send_to_all(services.alert_payload(article))
    return {"sent": report.sent, "removed": report.removed, "failed": report.failed}
