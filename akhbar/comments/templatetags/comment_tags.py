from __future__ import annotations

from django import template
from django.core.paginator import Paginator
from django.utils.safestring import SafeString, mark_safe

from akhbar.comments import services
from akhbar.comments.rendering import render_comment, safe_website
from akhbar.core.conf import akhbar_settings
from akhbar.newsroom.models import Article

register = template.Library()


@register.filter
def comment_html(text: str) -> SafeString:
    return mark_safe(render_comment(text))


@register.filter
def website(url: str) -> str:
    return safe_website(url)


@register.inclusion_tag("comments/area.html", takes_context=True)
def comment_area(context: template.Context, article: Article) -> dict:
    """The comments block of an article page: the same HTML for every reader, so the page
    can be cached whole; a reader's own pending comments arrive through the page script
    (or server-side when the request carries the reader's signed cookie and bypasses caches).
    """
    from akhbar.comments.views import pending_ids

    request = context.get("request")
    roots, count = services.approved_comment_tree(article)
    per_page = akhbar_settings.comments_per_page
    page = None
    if len(roots) > per_page:
        raw = request.GET.get("cpage", "1") if request else "1"
        page = Paginator(roots, per_page).get_page(raw if raw.isdigit() else 1)
        roots = list(page.object_list)
    own = services.reader_pending(article, pending_ids(request)) if request else []
    reply_to = request.GET.get("replytocom", "") if request else ""
    return {
        "request": request,
        "article": article,
        "comments": roots,
        "comment_count": count,
        "comment_page": page,
        "own_pending": [services.CommentNode(c, [], pending=True) for c in own],
        "comments_open": services.comments_open(article),
        "reply_to": reply_to if reply_to.isdigit() else "",
    }
