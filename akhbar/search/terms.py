"""What gets indexed for one article, as plain functions of plain values.

Kept free of Django (only ``akhbar.arabic`` and the nh3-based ``html_to_text``) so the bulk
rebuild can run it in worker processes that never touch a database connection or settings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime

from akhbar.arabic import analyze
from akhbar.newsroom.html import html_to_text

__all__ = [
    "ArticleText",
    "IndexRow",
    "analyze_rows",
    "author_facet",
    "category_facet",
    "document_terms",
    "facet_terms",
    "month_facets",
]

#: (article id, title, excerpt, body HTML, category name or None, tag names,
#: category id or None, author id or None, publication time or None)
ArticleText = tuple[
    int, str, str, str, "str | None", Sequence[str], "int | None", "int | None", "datetime | None"
]
#: (article id, title terms, body terms, facet terms), what the search entry table stores.
IndexRow = tuple[int, str, str, str]


# --- Facets: filters as index terms --------------------------------------------------------
#
# Section, author and month of publication are indexed as terms of a third column, so a
# filtered search is one more MATCH term that the engine intersects in its own index instead
# of a join of every match to the articles table (issue #12: at 100,000 articles the join
# cost ~150 ms for a common word). A facet is a Latin letter followed by digits ("c12",
# "a3", "m202611"): analyze() splits letters from digits, so no reader's query can ever
# produce one, and no word can match a facet. The month is the UTC month, so it never
# depends on the request's time zone; a date range becomes the months it overlaps, and the
# exact bounds are still applied by the live check (see SearchBackend._live_articles_sql).


def category_facet(category_id: int) -> str:
    return f"c{int(category_id)}"


def author_facet(author_id: int) -> str:
    return f"a{int(author_id)}"


def _month_facet(year: int, month: int) -> str:
    return f"m{year:04d}{month:02d}"


def facet_terms(
    category_id: int | None, author_id: int | None, published_at: datetime | None
) -> str:
    """The facet terms of one entry, space-joined ("" for none)."""
    out = []
    if category_id is not None:
        out.append(category_facet(category_id))
    if author_id is not None:
        out.append(author_facet(author_id))
    if published_at is not None:
        when = published_at.astimezone(UTC) if published_at.tzinfo else published_at
        out.append(_month_facet(when.year, when.month))
    return " ".join(out)


def month_facets(start: datetime, end: datetime) -> Iterator[str]:
    """The month facets of every UTC month overlapping ``[start, end)`` (aware datetimes)."""
    first = start.astimezone(UTC)
    last = end.astimezone(UTC)
    if last <= first:
        return
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        if (year, month) == (last.year, last.month) and last == datetime(
            year, month, 1, tzinfo=UTC
        ):
            return  # end is exclusive: a range ending at midnight of the 1st stops before
        yield _month_facet(year, month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


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
    for pk, title, excerpt, body, category_name, tag_names, category, author, when in rows:
        title_terms, body_terms = document_terms(title, excerpt, body, tag_names, category_name)
        out.append((pk, title_terms, body_terms, facet_terms(category, author, when)))
    return out
