"""What gets indexed for one article, as plain functions of plain values.

Kept free of Django (only ``akhbar.arabic`` and the nh3-based ``html_to_text``) so the bulk
rebuild can run it in worker processes that never touch a database connection or settings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from akhbar.arabic import analyze
from akhbar.newsroom.html import html_to_text

__all__ = ["ArticleText", "IndexRow", "analyze_rows", "document_terms"]

#: (article id, title, excerpt, body HTML, category name or None, tag names)
ArticleText = tuple[int, str, str, str, "str | None", Sequence[str]]
#: (article id, title terms, body terms), what the search entry table stores.
IndexRow = tuple[int, str, str]


def document_terms(
    title: str,
    excerpt: str,
    body_html: str,
    tag_names: Iterable[str] = (),
    category_name: str | None = None,
) -> tuple[str, str]:
    """(title terms, body terms): analysed, space-joined.

    Excerpt, body text, tag names and the category name all go in the body column; only the
    title gets the higher weight, which is why it is analysed on its own.
    """
    title_terms = " ".join(analyze(title or ""))
    parts = [excerpt or "", html_to_text(body_html or "")]
    parts.extend(tag_names)
    if category_name:
        parts.append(category_name)
    return title_terms, " ".join(analyze(" \n ".join(parts)))


def analyze_rows(rows: Sequence[ArticleText]) -> list[IndexRow]:
    """Index rows for a batch of article texts (the unit of work sent to a worker process)."""
    out: list[IndexRow] = []
    for pk, title, excerpt, body, category_name, tag_names in rows:
        title_terms, body_terms = document_terms(title, excerpt, body, tag_names, category_name)
        out.append((pk, title_terms, body_terms))
    return out
