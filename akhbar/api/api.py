"""The Content API (``/api/v1/``), read-only, for apps and partners.

Why django-ninja rather than DRF + drf-spectacular: our views are already thin functions over
services, and ninja turns typed function signatures and pydantic schemas into both the request
validation and an OpenAPI **3.1** document with no extra layer (drf-spectacular emits 3.0 and
needs serializers, viewsets and annotations that would duplicate the schemas). It also ships
Swagger UI's files in the package, so the browsable docs are served from our own static files,
no CDN. Cross-cutting concerns (API keys, rate limits, CORS, ETag/Last-Modified and 304s) live in
``akhbar.api.middleware`` so every endpoint gets them the same way.

Every list answers in a fixed number of SQL queries whatever its size (see
``representation.api_queryset``); pages are cursor-based, so page 5,000 costs what page 1 does.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import Any, overload

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import urlencode
from ninja import NinjaAPI, Query
from ninja.errors import HttpError
from ninja.renderers import JSONRenderer

from akhbar.api import representation as rep
from akhbar.api import schemas as s
from akhbar.comments.models import Comment
from akhbar.newsroom import public as newsroom
from akhbar.newsroom.models import Article, Author, Category, Tag
from akhbar.site.models import Page

#: What any operation may also answer: no/revoked key, bad parameters, over the rate limit.
COMMON = {401: s.Error, 422: s.ValidationErrorOut, 429: s.Error}
MAX_LIMIT = 100
MIN_YEAR, MAX_YEAR = 1900, 2100
DEFAULT_LIMIT = 20


class ArabicJSONRenderer(JSONRenderer):
    """UTF-8 as-is: Arabic stays readable (and a third of the size of ``\\u0627`` escapes)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ArabicJSONRenderer(),
    title="Akhbar Content API",
    version="1.0.0",
    description=(
        "Read-only access to a newsroom's published articles, sections, tags, authors, pages "
        "and approved comments. Arabic text is returned as-is (UTF-8). Lists use cursor "
        "pagination (`next_cursor`). Send `X-Api-Key` when the site requires keys."
    ),
    urls_namespace="api-v1",
    openapi_url="/schema",
    docs_url="/docs",
)


def _base(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


@overload
def _aware(value: datetime, name: str = ...) -> datetime: ...
@overload
def _aware(value: None, name: str = ...) -> None: ...
def _aware(value: datetime | None, name: str = "date") -> datetime | None:
    """``value`` in UTC, refusing the years no newsroom has (PostgreSQL refuses some offsets
    and years that Python accepts, e.g. 0599-07-06T11:54-17:45: found by schemathesis)."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    try:
        value = value.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise HttpError(400, f"{name} out of range") from exc
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise HttpError(400, f"{name} must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


def encode_cursor(article: Article) -> str:
    published_at = article.published_at
    assert published_at is not None  # pages list published articles only
    raw = json.dumps([published_at.isoformat(), article.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        when, pk = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        parsed = datetime.fromisoformat(when)
        if not isinstance(pk, int) or isinstance(pk, bool) or parsed.tzinfo is None:
            raise ValueError
        return parsed, pk
    except (ValueError, TypeError, binascii.Error, UnicodeError, json.JSONDecodeError) as exc:
        raise HttpError(400, "invalid cursor") from exc


def _note_modified(request: HttpRequest, articles: list[Article]) -> None:
    """Tell the middleware the newest change shown, for ``Last-Modified``."""
    stamps = [m for a in articles if (m := rep.date_modified(a))]
    if stamps:
        # Read by the API's middleware: an attribute of this request, not of HttpRequest.
        request.api_last_modified = max(stamps)  # type: ignore[attr-defined]


def _validated_already(request: HttpRequest, data: dict[str, Any]) -> HttpResponse:
    """``data`` rendered as ninja would, without its response-model pass.

    ninja validates what a view returns against the declared schema by wrapping every
    attribute read (a ``DjangoGetter`` per value): for a page of 20 articles that was ~12,000
    wrapped reads, a sixth of the request. The list's dicts come only from
    :func:`representation.article_dict`, whose output tests check against the same schema
    (``tests/api/test_content_api.py`` and schemathesis over the OpenAPI document), so the
    pass adds nothing at run time. The OpenAPI document still declares the schema.
    """
    return api.create_response(request, data, status=200)


def _page(
    request: HttpRequest,
    qs: QuerySet[Article],
    limit: int,
    params: dict[str, Any],
    *,
    by_ids: bool = False,
) -> dict[str, Any]:
    """One page of ``qs``. ``by_ids``: pick the page's ids first, then load those rows.

    For a filter no index can order (a tag: its articles come through the many-to-many
    table), SQLite sorts every match; sorting whole rows, bodies included, cost 13-15 ms for a
    tag of 558 articles at 100,000, sorting ids 3 ms (one query more, for the page's rows by
    primary key)."""
    if by_ids:
        ids = list(qs.values_list("pk", flat=True)[: limit + 1])
        found = {a.pk: a for a in rep.api_queryset(body=False).filter(pk__in=ids)}
        rows = [found[pk] for pk in ids if pk in found]
    else:
        rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    _note_modified(request, rows)
    base = _base(request)
    cursor = encode_cursor(rows[-1]) if more and rows else None
    nxt = None
    if cursor:
        query = {k: v for k, v in params.items() if v not in (None, "")}
        query.update({"cursor": cursor, "limit": limit})
        nxt = base + request.path + "?" + urlencode(query)
    return {
        "items": [rep.article_dict(base, a, body=False) for a in rows],
        "next_cursor": cursor,
        "next": nxt,
    }


@api.get("/articles", response={200: s.ArticlePage, 400: s.Error, **COMMON}, tags=["articles"])
def list_articles(
    request: HttpRequest,
    *,
    section: str | None = None,
    tag: str | None = None,
    author: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    cursor: str | None = None,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> HttpResponse:
    """Published articles, newest first. Filters combine; `section` includes its sub-sections."""
    qs = rep.api_queryset(body=False).order_by("-published_at", "-id")
    if section:
        qs = qs.filter(Q(category__slug=section) | Q(category__parent__slug=section))
    if tag:
        # "id IN (the tag's article ids)" rather than a join: 2-3 ms instead of 7-9 ms to
        # order a tag's articles at 100,000 (SQLite), and no duplicate rows to think about.
        tagged = Article.tags.through.objects.filter(tag__slug=tag).values("article_id")
        qs = qs.filter(pk__in=tagged)
    if author:
        qs = qs.filter(author__slug=author)
    if since := _aware(since, "since"):
        qs = qs.filter(published_at__gte=since)
    if until := _aware(until, "until"):
        qs = qs.filter(published_at__lte=until)
    if cursor:
        when, pk = decode_cursor(cursor)
        when = _aware(when, "cursor")
        qs = qs.filter(Q(published_at__lt=when) | Q(published_at=when, pk__lt=pk))
    params = {"section": section, "tag": tag, "author": author}
    params |= {
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
    }
    return _validated_already(request, _page(request, qs, limit, params, by_ids=bool(tag)))


def _one(request: HttpRequest, **lookup: Any) -> dict[str, Any]:
    article = rep.api_queryset().filter(**lookup).first()
    if article is None:
        raise HttpError(404, "article not found")
    _note_modified(request, [article])
    return rep.article_dict(_base(request), article)


@api.get(
    "/articles/{int:article_id}",
    response={200: s.ArticleOut, 404: s.Error, **COMMON},
    tags=["articles"],
)
def article_by_id(request: HttpRequest, article_id: int) -> dict[str, Any]:
    return _one(request, pk=article_id)


@api.get(
    "/articles/by-slug/{slug}",
    response={200: s.ArticleOut, 404: s.Error, **COMMON},
    tags=["articles"],
)
def article_by_slug(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _one(request, slug=slug)


@api.get(
    "/articles/{int:article_id}/comments",
    response={200: list[s.CommentOut], 404: s.Error, **COMMON},
    tags=["comments"],
)
def article_comments(
    request: HttpRequest, article_id: int, limit: int = Query(100, ge=1, le=500)
) -> list[dict[str, Any]]:
    """Approved comments, oldest first: public fields only (never email, IP or user agent)."""
    if not Article.objects.published().filter(pk=article_id).exists():
        raise HttpError(404, "article not found")
    rows = (
        Comment.objects.filter(article_id=article_id, status=Comment.Status.APPROVED)
        .only("id", "parent_id", "author_name", "body", "created_at")
        .order_by("created_at", "id")[:limit]
    )
    return [
        {
            "id": c.pk,
            "parent_id": c.parent_id,
            "author_name": c.author_name,
            "body": c.body,
            "created_at": rep.iso(c.created_at),
        }
        for c in rows
    ]


@api.get("/latest", response={200: list[s.ArticleSummary], **COMMON}, tags=["articles"])
def latest(
    request: HttpRequest, limit: int = Query(10, ge=1, le=MAX_LIMIT)
) -> list[dict[str, Any]]:
    rows = list(rep.api_queryset().order_by("-published_at", "-id")[:limit])
    _note_modified(request, rows)
    return [rep.article_dict(_base(request), a, body=False) for a in rows]


@api.get("/most-read", response={200: list[s.ArticleSummary], **COMMON}, tags=["articles"])
def most_read(request: HttpRequest, limit: int = Query(10, ge=1, le=50)) -> list[dict[str, Any]]:
    """The site's own "most read" list (same window and order as the sidebar)."""
    ids = [a.pk for a in newsroom.most_read(limit)]
    by_id = rep.api_queryset().in_bulk(ids)
    rows = [by_id[pk] for pk in ids if pk in by_id]
    return [rep.article_dict(_base(request), a, body=False) for a in rows]


@api.get("/breaking", response={200: list[s.ArticleSummary], **COMMON}, tags=["articles"])
def breaking(
    request: HttpRequest, limit: int = Query(10, ge=1, le=MAX_LIMIT)
) -> list[dict[str, Any]]:
    rows = list(
        rep.api_queryset().filter(is_breaking=True).order_by("-published_at", "-id")[:limit]
    )
    _note_modified(request, rows)
    return [rep.article_dict(_base(request), a, body=False) for a in rows]


@api.get("/search", response={200: s.SearchPageOut, **COMMON}, tags=["search"])
def search(
    request: HttpRequest,
    q: str = Query(..., max_length=500),
    page: int = Query(1, ge=1, le=10_000),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=50),
) -> dict[str, Any]:
    """The site's search engine and ranking (akhbar.search), as JSON."""
    from akhbar.search.public import SearchFilters, get_backend, parse_query

    parsed = parse_query(q.replace("\x00", ""))
    out = {"query": parsed.text, "total": 0, "more": False, "page": page, "items": []}
    if parsed.is_empty:
        return out
    found = get_backend().search(parsed, SearchFilters(), page, limit)
    ids = [h.article_id for h in found.hits]
    by_id = rep.api_queryset().in_bulk(ids)
    base = _base(request)
    out.update(total=found.total, more=found.more)
    out["items"] = [rep.article_dict(base, by_id[pk], body=False) for pk in ids if pk in by_id]
    return out


@api.get("/sections", response={200: list[s.SectionOut], **COMMON}, tags=["taxonomy"])
def sections(request: HttpRequest) -> list[dict[str, Any]]:
    base = _base(request)
    return [rep.category_dict(base, c) for c in Category.objects.all()]


@api.get("/tags", response={200: list[s.TagOut], **COMMON}, tags=["taxonomy"])
def tags(
    request: HttpRequest,
    cursor: int = Query(0, ge=0, le=2**62),
    limit: int = Query(100, ge=1, le=500),
) -> list[dict[str, Any]]:
    """Tags by id; pass the last id seen as `cursor` for the next page."""
    base = _base(request)
    return [rep.tag_dict(base, t) for t in Tag.objects.filter(pk__gt=cursor).order_by("pk")[:limit]]


@api.get("/authors", response={200: list[s.AuthorOut], **COMMON}, tags=["taxonomy"])
def authors(request: HttpRequest) -> list[dict[str, Any]]:
    base = _base(request)
    return [rep.author_dict(base, a) for a in Author.objects.all()]


@api.get("/pages", response={200: list[s.PageOut], **COMMON}, tags=["pages"])
def pages(request: HttpRequest) -> list[dict[str, Any]]:
    return [_page_dict(request, p) for p in Page.objects.filter(is_published=True)]


@api.get("/pages/{slug}", response={200: s.PageOut, 404: s.Error, **COMMON}, tags=["pages"])
def page_by_slug(request: HttpRequest, slug: str) -> dict[str, Any]:
    page = Page.objects.filter(is_published=True, slug=slug).first()
    if page is None:
        raise HttpError(404, "page not found")
    request.api_last_modified = page.updated_at  # type: ignore[attr-defined]  # as above
    return _page_dict(request, page)


def _page_dict(request: HttpRequest, p: Page) -> dict[str, Any]:
    return {
        "id": p.pk,
        "slug": p.slug,
        "title": p.title,
        "body_html": p.body,
        "updated_at": rep.iso(p.updated_at),
        "url": rep.absolute(_base(request), p.get_absolute_url()),
    }


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
