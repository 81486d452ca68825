"""The search page as plain functions: read the request, run the engine, dress the hits.

Nothing here depends on who is asking (no session, no cookies, no messages framework), so
the same URL always renders the same page and can be cached by anything in front of Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from akhbar.newsroom.models import Article, Author, Category
from akhbar.newsroom.public import html_to_text
from akhbar.search import vocabulary
from akhbar.search.backends import SearchFilters, get_backend
from akhbar.search.backends.base import MATCH_ALL, MATCH_SOME
from akhbar.search.query import MAX_QUERY_LENGTH, ParsedQuery, parse_query
from akhbar.search.snippets import highlight, snippet

__all__ = ["PER_PAGE", "SearchPage", "results_count_text", "run_search_page"]

PER_PAGE = 10
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Readers type dates in Arabic order, day/month/year ("30/11/2026", "٣٠/١١/٢٠٢٦"), as the form's
# hint asks; the ISO form (what type=date inputs and our own links send) is accepted too.
_DMY_RE = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")
# Dates outside this range are typos; accepting year 1 or 9999 would overflow time zone maths.
_MIN_YEAR, _MAX_YEAR = 1900, 2100

TRUNCATED_NOTICE = f"تم اقتطاع عبارة البحث لأنها أطول من {MAX_QUERY_LENGTH} حرف."
MATCH_TEXT = {MATCH_ALL: "نتائج تطابق كل الكلمات", MATCH_SOME: "نتائج تطابق بعض كلمات البحث"}
#: Authors offered in the filter; a newsroom with more is filtered through ?author=slug links.
MAX_AUTHOR_CHOICES = 200


def results_count_text(n: int, more: bool = False) -> str:
    """The "عُثر على …" sentence; the noun's form comes from akhbar.core.text.count_phrase.

    After على the dual is genitive (نتيجتين). ``more`` means counting stopped at ``n`` (the
    engines count up to ``COUNT_LIMIT``): "أكثر من 1000 نتيجة".
    """
    from akhbar.core.text import count_phrase

    if n <= 0:
        return "لم يُعثر على نتائج"
    if more:
        return f"عُثر على أكثر من {count_phrase(n, 'result', case='genitive')}"
    return f"عُثر على {count_phrase(n, 'result', case='genitive')}"


@dataclass
class ResultItem:
    article: Article
    title_html: SafeString
    snippet_html: SafeString


@dataclass
class SearchPage:
    """Everything the results template needs."""

    query: ParsedQuery
    page_obj: Page | None = None
    items: list[ResultItem] = field(default_factory=list)
    total: int = 0
    #: The count stopped at ``total``: there are more results than that.
    more: bool = False
    notices: list[str] = field(default_factory=list)
    categories: list[tuple[str, str]] = field(default_factory=list)
    selected_category: str = ""
    date_from: str = ""
    date_to: str = ""
    query_string: str = ""
    searched: bool = False
    authors: list[tuple[str, str]] = field(default_factory=list)
    selected_author: str = ""
    #: MATCH_ALL / MATCH_SOME (see SearchResults.match), shown when the query has 2+ words.
    match: str = ""
    #: "هل تقصد؟": a corrected query (text and its URL) when a word is unknown to the index.
    suggestion: str = ""
    suggestion_url: str = ""
    #: The query whose results are shown instead, when the typed one found nothing.
    corrected: str = ""

    @property
    def count_text(self) -> str:
        return results_count_text(self.total, self.more)

    @property
    def match_text(self) -> str:
        groups = len(self.query.terms) + len(self.query.phrases)
        return MATCH_TEXT.get(self.match, "") if groups > 1 else ""


def _param(params: Any, name: str) -> str:
    value = params.get(name, "")
    return value if isinstance(value, str) else ""


def _parse_date(value: str, label: str, notices: list[str]) -> date | None:
    from akhbar.core.text import localize_digits

    value = localize_digits(value.strip(), "western")
    if not value:
        return None
    try:
        if _DATE_RE.match(value):
            parsed = date.fromisoformat(value)
        elif match := _DMY_RE.match(value):
            parsed = date(int(match[3]), int(match[2]), int(match[1]))
        else:
            parsed = None
    except ValueError:
        parsed = None
    if parsed is None or not (_MIN_YEAR <= parsed.year <= _MAX_YEAR):
        example = localize_digits("31/3/2024")
        notices.append(
            f"تاريخ «{label}» غير صالح فتجاهلناه؛ اكتبه بالشكل يوم/شهر/سنة، مثل {example}."
        )
        return None
    return parsed


def _category_choices() -> tuple[list[tuple[str, str]], dict[str, tuple[int, ...]]]:
    """(slug, label) choices for the select, and slug → ids (a section includes its children)."""
    categories = list(Category.objects.only("id", "name", "slug", "parent_id", "position"))
    by_id = {c.pk: c for c in categories}
    children: dict[int, list[int]] = {}
    for c in categories:
        if c.parent_id:
            children.setdefault(c.parent_id, []).append(c.pk)
    choices: list[tuple[str, str]] = []
    ids: dict[str, tuple[int, ...]] = {}
    for c in categories:
        if c.parent_id:
            continue
        choices.append((c.slug, c.name))
        ids[c.slug] = (c.pk, *children.get(c.pk, []))
        for child_id in children.get(c.pk, []):
            child = by_id[child_id]
            choices.append((child.slug, f"— {child.name}"))
            ids[child.slug] = (child.pk,)
    return choices, ids


def _author_choices() -> list[tuple[str, str]]:
    return list(
        Author.objects.order_by("display_name").values_list("slug", "display_name")[
            :MAX_AUTHOR_CHOICES
        ]
    )


def _page_number(value: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), 10_000)


def _selected_author(
    params: Any, authors: list[tuple[str, str]], notices: list[str]
) -> tuple[str, tuple[int, ...]]:
    """The author filter's slug and ids; an unknown slug searches every author, with a notice.

    An author beyond the list's cap is added to *authors*, so the filter shows what was chosen.
    """
    author_slug = _param(params, "author").strip()
    if not author_slug:
        return "", ()
    author_ids = tuple(Author.objects.filter(slug=author_slug).values_list("pk", flat=True))
    if not author_ids:
        notices.append("الكاتب المختار غير موجود، فبحثنا في مقالات كل الكتّاب.")
        return "", ()
    if author_slug not in {slug for slug, _ in authors}:
        authors.append((author_slug, author_slug))
    return author_slug, author_ids


def _date_range(params: Any, notices: list[str]) -> tuple[date | None, date | None]:
    """The from/to dates; swapped (with a notice) when typed the wrong way round."""
    date_from = _parse_date(_param(params, "from"), "من", notices)
    date_to = _parse_date(_param(params, "to"), "إلى", notices)
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
        notices.append("كان تاريخ البداية بعد تاريخ النهاية فبدّلنا بينهما.")
    return date_from, date_to


def _empty_query_notice(query: ParsedQuery, notices: list[str]) -> None:
    """Say why nothing was searched, unless the box was simply left empty."""
    if query.excluded:
        notices.append("أضف كلمة واحدة على الأقل للبحث عنها، لا كلمات مستبعدة فقط.")
    elif query.text:
        notices.append("لم نجد في عبارة البحث كلمات يمكن البحث عنها؛ جرّب كلمات أخرى.")


def _search_into(
    result: SearchPage, filters: SearchFilters, number: int, kept: dict[str, str]
) -> None:
    """Run the search and fill *result*: spelling correction, then the page clamped to the last.

    A query that finds nothing is retried with the best suggestion ("did you mean"), and
    shown as corrected only when the retry finds something; otherwise the suggestion is a link.
    """
    query = result.query
    backend = get_backend()
    found = backend.search(query, filters, number, PER_PAGE)
    correction = vocabulary.suggest(
        found.query or query, found.frequencies, backend.vocabulary_range
    )
    if correction and not found.total:
        # Nothing at all for what was typed: show the best suggestion's results, and say so.
        retry = backend.search(parse_query(correction.text), filters, number, PER_PAGE)
        if retry.total:
            found = retry
            result.corrected = correction.text
    if correction and not result.corrected:
        result.suggestion = correction.text
        result.suggestion_url = "?" + urlencode(
            {k: v for k, v in {**kept, "q": correction.text}.items() if v}
        )
    last = max(1, -(-found.total // PER_PAGE))
    if number > last and found.total:
        number = last
        found = backend.search(found.query or query, filters, number, PER_PAGE)
    result.searched = True
    result.total = found.total
    result.more = found.more
    result.match = found.match
    result.items = _items([h.article_id for h in found.hits], found.query or query)
    result.page_obj = Page(result.items, number, Paginator(range(found.total), PER_PAGE))


def run_search_page(params: Any) -> SearchPage:
    """Build the results page for request parameters ``params`` (a QueryDict or dict)."""
    query = parse_query(_param(params, "q"))
    notices: list[str] = []
    if query.truncated:
        notices.append(TRUNCATED_NOTICE)

    choices, category_ids = _category_choices()
    selected = _param(params, "category").strip()
    if selected and selected not in category_ids:
        notices.append("القسم المختار غير موجود، فبحثنا في كل الأقسام.")
        selected = ""
    authors = _author_choices()
    author_slug, author_ids = _selected_author(params, authors, notices)
    date_from, date_to = _date_range(params, notices)

    result = SearchPage(
        query=query,
        notices=notices,
        categories=choices,
        selected_category=selected,
        date_from=date_from.isoformat() if date_from else "",
        date_to=date_to.isoformat() if date_to else "",
        authors=authors,
        selected_author=author_slug,
    )
    kept = {
        "q": query.text,
        "category": selected,
        "author": author_slug,
        "from": result.date_from,
        "to": result.date_to,
    }
    result.query_string = urlencode({k: v for k, v in kept.items() if v})
    if query.is_empty:
        _empty_query_notice(query, notices)
        return result

    filters = SearchFilters(
        category_ids=category_ids.get(selected, ()),
        date_from=date_from,
        date_to=date_to,
        author_ids=author_ids,
    )
    _search_into(result, filters, _page_number(_param(params, "page")), kept)
    return result


def _items(ids: list[int], query: ParsedQuery) -> list[ResultItem]:
    """The hit articles in rank order with highlighted title and snippet (one query)."""
    if not ids:
        return []
    articles = Article.objects.published().for_listing().defer(None).filter(pk__in=ids)
    by_id = {a.pk: a for a in articles}
    terms = query.highlight
    items = []
    for pk in ids:
        article = by_id.get(pk)
        if article is None:  # unpublished between the two queries
            continue
        text = html_to_text(article.body) or article.excerpt
        items.append(ResultItem(article, highlight(article.title, terms), snippet(text, terms)))
    return items
