"""Public pages. Views stay thin: they pick a service and a template."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import DisallowedHost
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from akhbar.core import surrogate
from akhbar.core.conf import akhbar_settings
from akhbar.newsroom.models import Article, Author, Category, Tag
from akhbar.newsroom.public import count_hit
from akhbar.related.public import related_for
from akhbar.site import services
from akhbar.site.models import Page


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", {"home": services.home_page()})


def _render_article(request: HttpRequest, item: Article, preview: bool = False) -> HttpResponse:
    lead, more = services.split_body(item.body)
    absolute = request.build_absolute_uri(item.get_absolute_url())
    response = render(
        request,
        "site/article.html",
        {
            "article": item,
            "body_lead": lead,
            "body_more": more,
            "related": related_for(item),
            "share_links": services.share_links(absolute, item.title),
            "share_url": absolute,
            "preview": preview,
            "sidebar": services.article_sidebar(item),
            "notes_position": "bottom" if akhbar_settings.notes_position == "bottom" else "top",
        },
    )
    if preview:
        # A draft must never be cached by a proxy nor indexed by a search engine.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    item = services.article_for_reader(slug)
    surrogate.note(
        surrogate.article_page(item.pk), *(surrogate.tag_name(t.pk) for t in item.tags.all())
    )
    if item.author_id:
        surrogate.note(surrogate.author_name(item.author_id))
    return _render_article(request, item)


@require_GET
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff preview of any state (draft, pending, scheduled) they may see."""
    if not (request.user.is_authenticated and request.user.is_staff):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    return _render_article(request, services.article_for_preview(pk, request.user), True)


@require_GET
def preview_signed(request: HttpRequest, token: str) -> HttpResponse:
    """A shared preview link: no account needed, expires (PREVIEW_LINK_HOURS, default 48)."""
    return _render_article(request, services.article_from_preview_token(token), True)


@csrf_exempt
@require_POST
def hit(request: HttpRequest, pk: int) -> HttpResponse:
    """The read-count beacon: no cookie, no session; one atomic counter increment.

    CSRF-exempt because navigator.sendBeacon cannot send a token and a forged hit changes
    nothing but a counter; bots are dropped by user agent in the service.
    """
    count_hit(pk, request.META.get("HTTP_USER_AGENT", "")[:500])
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


def _archive(request: HttpRequest, queryset: QuerySet, context: dict) -> HttpResponse:
    page = services.paginate(queryset, request.GET.get("page"))
    return render(request, "site/archive.html", {**context, "page_obj": page})


@require_GET
def category(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    qs = services.published_listing().filter(Q(category=item) | Q(category__parent=item))
    children = list(item.children.all())
    surrogate.note(*(surrogate.section(c.pk) for c in [item, *children]))
    return _archive(
        request, qs, {"archive_title": item.name, "category": item, "subcategories": children}
    )


@require_GET
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Tag, slug=slug)
    surrogate.note(surrogate.tag(item.pk))
    qs = services.published_listing().filter(tags=item)
    return _archive(request, qs, {"archive_title": f"وسم: {item.name}", "tag": item})


@require_GET
def author(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Author, slug=slug)
    surrogate.note(surrogate.author(item.pk))
    qs = services.published_listing().filter(author=item)
    return _archive(request, qs, {"archive_title": item.display_name, "author": item})


@require_GET
def page(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Page, slug=slug, is_published=True)
    return render(request, "site/page.html", {"page": item})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors here: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    try:
        request.get_host()
    except DisallowedHost:
        # The page's absolute links (canonical, feeds) would call get_host() again and fail
        # with a 500; build this never-cached page for the first configured host instead.
        safe = next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h), "localhost")
        request.META["HTTP_HOST"] = safe.lstrip(".")
        request.META.pop("HTTP_X_FORWARDED_HOST", None)
    response = render(request, "400.html", status=400)
    response["Cache-Control"] = "private, no-store"
    return response


__all__ = ["Http404"]


@require_GET
def corrections(request: HttpRequest) -> HttpResponse:
    """Every correction and update readers were shown, newest first: a public trust record."""
    page = services.paginate(services.corrections_listing(), request.GET.get("page"))
    return render(request, "site/corrections.html", {"page_obj": page})
