"""Response schemas (pydantic, through django-ninja): they are the OpenAPI 3.1 document."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class SectionOut(Schema):
    id: int
    name: str
    slug: str
    parent_id: int | None
    description: str
    url: str


class TagOut(Schema):
    id: int
    name: str
    slug: str
    url: str


class AuthorOut(Schema):
    id: int
    name: str
    slug: str
    bio: str
    photo: str | None
    url: str


class RenditionOut(Schema):
    url: str
    width: int
    mime_type: str


class ImageOut(Schema):
    url: str
    width: int | None
    height: int | None
    alt: str
    caption: str
    credit: str
    renditions: list[RenditionOut]


class SourceOut(Schema):
    name: str
    url: str | None


class NoteOut(Schema):
    kind: str
    label: str
    text: str
    at: str | None


class ArticleSummary(Schema):
    id: int
    slug: str
    url: str
    title: str
    excerpt: str
    published_at: str | None
    modified_at: str | None
    is_breaking: bool
    is_featured: bool
    reading_minutes: int
    section: SectionOut
    tags: list[TagOut]
    author: AuthorOut | None
    image: ImageOut | None
    source: SourceOut | None
    notes: list[NoteOut]


class ArticleOut(ArticleSummary):
    body_html: str


class ArticlePage(Schema):
    items: list[ArticleSummary]
    next_cursor: str | None
    next: str | None


class SearchPageOut(Schema):
    query: str
    total: int
    more: bool
    page: int
    items: list[ArticleSummary]


class PageOut(Schema):
    id: int
    slug: str
    title: str
    body_html: str
    updated_at: str | None
    url: str


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author_name: str
    body: str
    created_at: str | None


class Error(Schema):
    detail: str


class ValidationErrorOut(Schema):
    """A parameter that failed validation (django-ninja's format: one entry per problem)."""

    detail: list[dict[str, Any]]
