"""Public pages. Views stay thin: they pick a service and a template."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from akhbar.newsroom.models import Author, Category, Tag
from akhbar.site import services
from akhbar.site.models import Page


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", {"home": services.home_page()})


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    item = services.article_for_reader(slug)
    lead, more = services.split_body(item.body)
    return render(
        request,
        "site/article.html",
        {
            "article": item,
            "body_lead": lead,
            "body_more": more,
            "related": services.related_same_category(item),
        },
    )


def _archive(request: HttpRequest, queryset, context: dict) -> HttpResponse:
    page = services.paginate(queryset, request.GET.get("page"))
    return render(request, "site/archive.html", {**context, "page_obj": page})


@require_GET
def category(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    qs = services.published_listing().filter(Q(category=item) | Q(category__parent=item))
    children = list(item.children.all())
    return _archive(
        request, qs, {"archive_title": item.name, "category": item, "subcategories": children}
    )


@require_GET
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Tag, slug=slug)
    qs = services.published_listing().filter(tags=item)
    return _archive(request, qs, {"archive_title": f"وسم: {item.name}", "tag": item})


@require_GET
def author(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Author, slug=slug)
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
    return render(request, "400.html", status=400)


__all__ = ["Http404"]
