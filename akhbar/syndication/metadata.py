"""What a page tells machines about itself: canonical URL, feeds, Open Graph, JSON-LD.

``page_head`` looks at the page being rendered (its template and the objects the view put in
the context) and returns everything ``syndication/head.html`` prints. It reads only objects
the views already loaded (article with author/category/tags, archive subject), so it adds no
SQL query to any page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from akhbar.core.conf import akhbar_settings
from akhbar.newsroom.public import html_to_text
from akhbar.syndication import services as s

ERROR_TEMPLATES = {"400.html", "404.html", "500.html"}
SEARCH_PARAM = "{search_term_string}"


@dataclass
class Feed:
    title: str
    type: str
    href: str


@dataclass
class Head:
    canonical: str = ""
    title: str = ""
    description: str = ""
    og_type: str = "website"
    url: str = ""
    image: str = ""
    image_alt: str = ""
    feeds: list[Feed] = field(default_factory=list)
    article_props: list[tuple[str, str]] = field(default_factory=list)
    json_ld: list[SafeString] = field(default_factory=list)

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"


def _words(text: str, count: int = 40) -> str:
    return Truncator(" ".join((text or "").split())).words(count, truncate="…")


def _feeds(request: HttpRequest, title: str, name: str, slug: str | None = None) -> list[Feed]:
    kwargs = {"slug": slug} if slug is not None else {}
    return [
        Feed(
            title,
            "application/rss+xml",
            s.absolute(request, reverse(f"syndication:{name}-rss", kwargs=kwargs)),
        ),
        Feed(
            f"{title} (Atom)",
            "application/atom+xml",
            s.absolute(request, reverse(f"syndication:{name}-atom", kwargs=kwargs)),
        ),
    ]


def _publisher(request: HttpRequest, settings: Any) -> dict[str, Any]:
    logo = settings.logo.url if settings.logo else static("akhbar/img/favicon.svg")
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.site_name,
        "url": s.absolute(request, reverse("site:home")),
        "logo": {"@type": "ImageObject", "url": s.absolute(request, logo)},
    }


def _breadcrumbs(request: HttpRequest, trail: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": s.absolute(request, url)}
            for i, (name, url) in enumerate(trail, start=1)
        ],
    }


def _category_trail(category: Any) -> list[tuple[str, str]]:
    trail = [("الرئيسية", reverse("site:home"))]
    if category.parent_id and category.parent:
        trail.append((category.parent.name, category.parent.get_absolute_url()))
    trail.append((category.name, category.get_absolute_url()))
    return trail


def _iso(value: Any) -> str:
    return value.replace(microsecond=0).isoformat() if value else ""


#: Apps that know more about some articles refine their JSON-LD (a live coverage is a
#: LiveBlogPosting): ``extend(request, article, data)`` changes the NewsArticle dict in place.
_ARTICLE_SCHEMA: list[Callable[[HttpRequest, Any, dict[str, Any]], None]] = []


def register_article_schema(extend: Callable[[HttpRequest, Any, dict[str, Any]], None]) -> None:
    if extend not in _ARTICLE_SCHEMA:
        _ARTICLE_SCHEMA.append(extend)


def article_head(request: HttpRequest, settings: Any, article: Any, head: Head) -> None:
    own_url = s.absolute(request, article.get_absolute_url())
    head.canonical = own_url
    if article.source_url and akhbar_settings.canonical_to_source:
        head.canonical = article.source_url
    head.url = head.canonical
    head.og_type = "article"
    head.title = article.title
    head.description = _words(article.excerpt)
    if article.featured_image:
        head.image = s.absolute(request, s.media_url(article.featured_image.name))
        head.image_alt = article.image_caption or article.title
    notes = [n for n in article.notes.all() if n.is_public]
    stamps = [article.published_at, article.updated_at, *(n.created_at for n in notes)]
    modified = max(filter(None, stamps), default=None)
    tags = [t.name for t in article.tags.all()]
    head.article_props = [
        ("article:published_time", _iso(article.published_at)),
        ("article:modified_time", _iso(modified)),
        ("article:section", article.category.name),
        *(("article:tag", name) for name in tags),
    ]
    if article.author:
        author_url = s.absolute(request, article.author.get_absolute_url())
        head.article_props.append(("article:author", author_url))
        author: dict[str, Any] = {"@type": "Person", "name": article.author.display_name}
        author["url"] = author_url
    else:
        author = {"@type": "Organization", "name": settings.site_name}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": head.description,
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(modified),
        "author": [author],
        "publisher": _publisher(request, settings),
        "mainEntityOfPage": {"@type": "WebPage", "@id": own_url},
        "url": own_url,
        "inLanguage": settings.language or "ar",
        "isAccessibleForFree": True,
        "articleSection": article.category.name,
    }
    if head.image:
        data["image"] = [head.image]
    if tags:
        data["keywords"] = tags
    if article.source_url:
        data["isBasedOn"] = article.source_url
    corrections = [n for n in notes if n.kind == "correction"]
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": n.text, "datePublished": _iso(n.created_at)}
            for n in corrections
        ]
    for extend in _ARTICLE_SCHEMA:
        extend(request, article, data)
    trail = [*_category_trail(article.category), (article.title, article.get_absolute_url())]
    head.json_ld = [s.json_ld_script(data), s.json_ld_script(_breadcrumbs(request, trail))]
    head.feeds += _feeds(request, f"تعليقات: {article.title}", "comments", article.slug)


def archive_head(request: HttpRequest, settings: Any, context: Any, head: Head) -> None:
    site = settings.site_name
    if category := context.get("category"):
        head.title = category.name
        head.description = _words(category.description) or f"آخر الأخبار في قسم {category.name}"
        head.feeds += _feeds(request, f"{site} — {category.name}", "category", category.slug)
        head.json_ld = [s.json_ld_script(_breadcrumbs(request, _category_trail(category)))]
    elif tag := context.get("tag"):
        head.title = f"وسم: {tag.name}"
        head.description = f"أحدث الأخبار الموسومة بـ«{tag.name}» في {site}"
        head.feeds += _feeds(request, f"{site} — وسم {tag.name}", "tag", tag.slug)
    elif author := context.get("author"):
        head.title = author.display_name
        head.description = _words(author.bio) or f"مقالات {author.display_name} في {site}"
        head.feeds += _feeds(request, f"{site} — {author.display_name}", "author", author.slug)
        if author.photo:
            head.image = s.absolute(request, author.photo.url)
            head.image_alt = author.display_name
    else:
        head.title = context.get("archive_title") or site
    page_obj = context.get("page_obj")
    number = getattr(page_obj, "number", 1)
    # Each page of an archive is its own canonical page (Google's advice for pagination).
    head.canonical = s.absolute(request, request.path + (f"?page={number}" if number > 1 else ""))


def home_head(request: HttpRequest, settings: Any, head: Head) -> None:
    home = s.absolute(request, reverse("site:home"))
    head.canonical = home
    head.title = settings.site_name
    head.description = settings.tagline or f"{settings.site_name}: آخر الأخبار والتقارير"
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.site_name,
        "url": home,
        "inLanguage": settings.language or "ar",
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": s.absolute(request, "/search/") + f"?q={SEARCH_PARAM}",
            },
            "query-input": "required name=search_term_string",
        },
    }
    organization = {"@context": "https://schema.org", **_publisher(request, settings)}
    head.json_ld = [s.json_ld_script(website), s.json_ld_script(organization)]


def page_head(context: Any) -> Head:
    """Metadata for the page being rendered; see the module docstring."""
    request: HttpRequest | None = context.get("request")
    settings = context.get("site_settings")
    head = Head()
    if request is None or settings is None:
        return head
    template = getattr(getattr(context, "template", None), "name", "") or ""
    head.description = settings.tagline
    head.title = settings.site_name
    head.feeds = _feeds(request, settings.site_name, "site")
    if template in ERROR_TEMPLATES:
        return head  # an error page has no canonical URL of its own
    if template == "site/article.html" and context.get("article") is not None:
        article_head(request, settings, context["article"], head)
    elif template == "site/archive.html":
        archive_head(request, settings, context, head)
    elif template == "site/home.html":
        home_head(request, settings, head)
    elif template == "site/page.html" and context.get("page") is not None:
        page = context["page"]
        head.title = page.title
        head.description = _words(html_to_text(page.body)) or settings.tagline
        head.canonical = s.absolute(request, page.get_absolute_url())
    else:
        head.canonical = s.absolute(request, request.path)
    head.url = head.url or head.canonical
    head.description = head.description or settings.site_name
    return head
