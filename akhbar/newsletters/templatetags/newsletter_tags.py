from __future__ import annotations

from django import template

from akhbar.newsletters import services
from akhbar.newsletters.models import NewsletterList
from akhbar.newsroom.models import Article

register = template.Library()


@register.inclusion_tag("newsletters/_box.html", takes_context=True)
def newsletter_box(context: template.Context, article: Article | None = None) -> dict:
    """The subscribe form under an article: the same HTML for every reader (cacheable); the
    token arrives from newsletters/state/ when the reader starts typing or submits."""
    lists = services.public_lists()
    wanted_category = getattr(article, "category", None)
    parent_id = getattr(wanted_category, "parent_id", None)
    shown = [
        n
        for n in lists
        if n.kind != NewsletterList.Kind.WEEKLY
        or (wanted_category is not None and n.category_id in (wanted_category.pk, parent_id))
    ]
    request = context.get("request")
    return {
        "lists": shown,
        "source": article.get_absolute_url() if article is not None else "",
        "wording": services.CONSENT_WORDING,
        "request": request,
    }
