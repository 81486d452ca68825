"""What the public pages show, as plain functions the views call.

Every function here returns what one block of a page needs in a fixed number of queries,
whatever the number of articles or categories, so a page's cost never grows with the archive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import lxml.html
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from akhbar.core.conf import akhbar_settings
from akhbar.newsroom import public as newsroom_services
from akhbar.newsroom import public as roles
from akhbar.newsroom.models import Article, Category


def published_listing() -> QuerySet[Article]:
    """Live articles, newest first, with what a teaser shows (comment counts: see below)."""
    return Article.objects.published().for_listing().order_by("-published_at", "-id")


def with_comment_counts(articles: list[Article]) -> list[Article]:
    """Set ``approved_comment_count`` on ``articles`` with one grouped query over just them."""
    from akhbar.comments.models import Comment

    ids = [a.pk for a in articles]
    counts = dict(
        Comment.objects.filter(article_id__in=ids, status=Comment.Status.APPROVED)
        .values_list("article_id")
        .annotate(n=Count("id"))
        .values_list("article_id", "n")
        .order_by()
    )
    for article in articles:
        # Read by the templates only: an attribute of listed articles, not a field.
        article.approved_comment_count = counts.get(article.pk, 0)  # type: ignore[attr-defined]
    return articles


def paginate(queryset: QuerySet, page_param: str | None, per_page: int | None = None) -> Page:
    """Page ``page_param`` of ``queryset``.

    A missing or non-numeric page means the first page (links mangled by messengers are
    common); a page past the end or below 1 is a 404, never a 500 and never a silent redirect
    that search engines would index as duplicate content.
    """
    per_page = per_page or akhbar_settings.articles_per_page
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    try:
        number = int(page_param) if page_param else 1
    except (TypeError, ValueError):
        number = 1
    if number < 1 or number > max(paginator.num_pages, 1):
        raise Http404("لا توجد صفحة بهذا الرقم")
    page = paginator.page(number)
    page.object_list = with_comment_counts(list(page.object_list))
    return page


@dataclass
class CategoryBlock:
    category: Category
    articles: list[Article]


@dataclass
class HomePage:
    """What the front page shows, top to bottom.

    ``lead`` and ``secondary`` are the editors' featured stories (topped up with the newest
    when fewer are marked); ``latest`` follows without repeating them; ``opinion`` holds the
    columns, which never appear among the news; each section block repeats no story above it.
    """

    breaking: list[Article]
    lead: Article | None
    secondary: list[Article]
    latest: list[Article]
    blocks: list[CategoryBlock]
    most_read: list[Article] = field(default_factory=list)
    opinion: list[Article] = field(default_factory=list)

    @property
    def featured(self) -> list[Article]:
        return [self.lead, *self.secondary] if self.lead else []


def breaking_news(count: int = 5) -> list[Article]:
    """Breaking stories from the last BREAKING_HOURS (default 24): an old alert is not news."""
    hours = akhbar_settings.breaking_hours
    since = timezone.now() - timedelta(hours=hours)
    return list(
        Article.objects.published()
        .filter(is_breaking=True, published_at__gte=since)
        .only("title", "slug", "published_at")
        .order_by("-published_at", "-id")[:count]
    )


#: Stands for "this category" while the per-section query is compiled (never a primary key).
_ANY_CATEGORY = -7_301_993


def _newest_per_category(
    listing: QuerySet[Article], category_ids: list[int], count: int
) -> dict[int, list[tuple[datetime, int]]]:
    """(published_at, id) of the ``count`` newest articles of ``listing`` in each category,
    newest first, in one query.

    Each section's newest stories are one small query walking the (category, status,
    published_at) index and stopping after a few rows. Numbering every article per section
    in one window query read the whole archive (10 s at 100,000 articles), and one "category
    IN (...)" query per section sorted every story of the section (40 ms each). Running the
    small query once per section through the ORM cost 0.45 ms a section to *compile* (30
    sections: two thirds of the home page), so it is compiled once and the sections' copies
    run as one ``UNION ALL`` of sub-selects (SQLite refuses LIMIT inside a bare compound
    statement, and Django's ``union()`` refuses sliced parts there). The SQL and its
    parameters are Django's own; only the category's parameter changes from copy to copy.
    Only ids come back: the caller loads the few it shows (whole teasers for every
    candidate cost 12 ms at 30 sections).
    """
    newest: dict[int, list[tuple[datetime, int]]] = {pk: [] for pk in category_ids}
    if not category_ids:
        return newest
    stories = listing.values_list("published_at", "pk", "category_id")
    sql, params = stories.filter(category_id=_ANY_CATEGORY)[:count].query.sql_with_params()
    at = [i for i, value in enumerate(params) if value == _ANY_CATEGORY]
    if len(at) != 1:  # Django compiled it in an unforeseen way: the plain, slower form
        for pk in category_ids:
            rows = stories.filter(category_id=pk)[:count]
            newest[pk] = [(when, i) for when, i, _ in rows if when is not None]
        return newest
    union, union_params = [], []
    for n, pk in enumerate(category_ids):
        union.append(f"SELECT * FROM ({sql}) AS newest_{n}")  # noqa: S608 - Django's SQL
        union_params += [*params[: at[0]], pk, *params[at[0] + 1 :]]
    with connections[listing.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(union), union_params)
        rows = cursor.fetchall()
    for when, pk, category_id in rows:
        # A raw cursor skips Django's converters: SQLite gives the stored text. Live
        # stories always have a publication time.
        stamp = when if isinstance(when, datetime) else parse_datetime(when)
        if stamp is not None:
            newest[category_id].append((stamp, pk))
    return newest


def home_page(
    latest_count: int = 8, per_block: int = 4, secondary_count: int = 4, opinion_count: int = 4
) -> HomePage:
    listing = published_listing()
    news = listing.filter(is_opinion=False)
    breaking = breaking_news()
    top = list(news.filter(is_featured=True)[: 1 + secondary_count])
    top_ids = [a.pk for a in top]
    fresh = list(news.exclude(pk__in=top_ids)[: 1 + secondary_count + latest_count])
    missing = 1 + secondary_count - len(top)
    if missing > 0:
        top, fresh = top + fresh[:missing], fresh[missing:]
    top_ids = [a.pk for a in top]
    latest = fresh[:latest_count]
    opinion = list(listing.filter(is_opinion=True)[:opinion_count])
    categories = list(Category.objects.only("id", "parent_id", "name", "slug", "position"))
    # Blocks repeat no story from the top of the page unless a section has nothing else (a
    # young site): each section reads a few stories more than a block shows so it can skip them.
    newest = _newest_per_category(news, [c.pk for c in categories], per_block + len(top_ids))
    top_set = set(top_ids)
    # A sub-category's stories roll up into its parent's block.
    chosen: list[tuple[Category, list[int]]] = []
    for section in (c for c in categories if c.parent_id is None):
        pool = [s for c in categories if section.pk in (c.pk, c.parent_id) for s in newest[c.pk]]
        pool.sort(reverse=True)
        fresh_pool = [pk for _, pk in pool if pk not in top_set]
        if pool:
            chosen.append((section, (fresh_pool or [pk for _, pk in pool])[:per_block]))
    shown_ids = {pk for _, ids in chosen for pk in ids}
    loaded = {a.pk: a for a in news.filter(pk__in=shown_ids)} if shown_ids else {}
    blocks = []
    for section, ids in chosen:
        if articles := [loaded[pk] for pk in ids if pk in loaded]:
            blocks.append(CategoryBlock(section, articles))
    shown = [*top, *latest, *opinion, *(a for b in blocks for a in b.articles)]
    with_comment_counts(shown)
    return HomePage(
        breaking=breaking,
        lead=top[0] if top else None,
        secondary=top[1:],
        latest=latest,
        blocks=blocks,
        most_read=list(newsroom_services.most_read()),
        opinion=opinion,
    )


def article_sidebar(article: Article, count: int = 5) -> dict[str, list[Article]]:
    """The desktop sidebar of an article: most read, and the latest in its section (2 queries)."""
    latest = list(
        Article.objects.published()
        .filter(category_id=article.category_id)
        .exclude(pk=article.pk)
        .only("title", "slug", "published_at", "featured_image", "image_renditions", "image_alt")
        .order_by("-published_at", "-id")[:count]
    )
    most_read = [a for a in newsroom_services.most_read(count + 1) if a.pk != article.pk][:count]
    return {"most_read": most_read, "section_latest": latest}


def public_notes() -> Any:
    """The corrections and updates readers see, oldest first, in one prefetch query."""
    from django.db.models import Prefetch

    from akhbar.newsroom.models import ArticleNote

    return Prefetch("notes", queryset=ArticleNote.objects.filter(is_public=True))


#: One-to-one extensions of an article that its page always shows, joined in the same query:
#: the live coverage (akhbar.live) when that app is installed, read by the page's head
#: (LiveBlogPosting JSON-LD) and body alike.
_ARTICLE_EXTENSIONS = ("live_coverage",)


def _extensions() -> list[str]:
    return [name for name in _ARTICLE_EXTENSIONS if hasattr(Article, name)]


def article_for_reader(slug: str) -> Article:
    try:
        return (
            Article.objects.published()
            .select_related("author", "category", "category__parent", *_extensions())
            .prefetch_related("tags", public_notes())
            .get(slug=slug)
        )
    except Article.DoesNotExist as exc:
        raise Http404("المقال غير موجود") from exc


def article_for_preview(pk: int, user: Any) -> Article:
    """Any article, whatever its state, for a staff member allowed to see it (else 404)."""
    item = (
        Article.objects.select_related("author", "category", "category__parent", *_extensions())
        .prefetch_related("tags")
        .filter(pk=pk)
        .first()
    )
    if item is None or not (roles.can_view(user, item) or roles.can_edit(user, item)):
        raise Http404("المقال غير موجود")
    return item


def article_from_preview_token(token: str) -> Article:
    item = newsroom_services.article_from_preview_token(token)
    if item is None:
        raise Http404("رابط المعاينة غير صالح أو انتهت صلاحيته")
    return item


@dataclass
class ShareLink:
    name: str
    url: str
    css: str


def share_links(absolute_url: str, title: str) -> list[ShareLink]:
    """Plain share links (no third-party script, nothing loaded until the reader clicks)."""
    from urllib.parse import quote

    u, t = quote(absolute_url, safe=""), quote(title, safe="")
    return [
        ShareLink("واتساب", f"https://wa.me/?text={t}%20{u}", "whatsapp"),
        ShareLink("تيليغرام", f"https://t.me/share/url?url={u}&text={t}", "telegram"),
        ShareLink("إكس", f"https://x.com/intent/post?url={u}&text={t}", "x"),
        ShareLink("فيسبوك", f"https://www.facebook.com/sharer/sharer.php?u={u}", "facebook"),
    ]


def _responsive_pictures(element: lxml.html.HtmlElement) -> None:
    """Pictures in the text load lazily, at the size the reader's screen needs.

    Our own stored pictures (akhbar.newsroom.images.save_inline_image) get a srcset; a figure
    with several pictures becomes a gallery (a scrolling strip on phones, a grid on desktop).
    """
    from akhbar.newsroom.public import BODY_SIZES, inline_srcset

    for img in element.iter("img"):
        img.set("loading", "lazy")
        img.set("decoding", "async")
        srcset = inline_srcset(img.get("src", ""))
        if srcset:
            img.set("srcset", srcset)
            img.set("sizes", BODY_SIZES)
    figures = [element] if element.tag == "figure" else list(element.iter("figure"))
    for figure in figures:
        images = figure.findall("img")
        if len(images) > 1:
            # A strip that scrolls sideways on phones: a named region a keyboard can scroll.
            figure.set("class", "gallery")
            strip = lxml.html.Element("div")
            strip.set("class", "gallery__strip")
            strip.set("role", "region")
            strip.set("tabindex", "0")
            strip.set("aria-label", f"معرض صور ({len(images)})")
            images[0].addprevious(strip)
            for img in images:
                img.set("sizes", "(min-width: 48rem) 23rem, 80vw")
                img.tail = None
                strip.append(img)


def split_body(body_html: str, keep: int | None = None) -> tuple[str, str]:
    """Split an article body after ``keep`` top-level blocks for the "show more" control.

    Both parts are rendered into the page (the full text is always in the HTML, for readers
    without JavaScript and for search engines); the script only hides the second part.
    """
    keep = keep or akhbar_settings.show_more_after_paragraphs

    if not body_html.strip():
        return "", ""
    fragments = lxml.html.fragments_fromstring(body_html)
    head: list[str] = []
    tail: list[str] = []
    blocks = 0
    for fragment in fragments:
        if not isinstance(fragment, str):
            _responsive_pictures(fragment)
        text = fragment if isinstance(fragment, str) else lxml.html.tostring(fragment, encoding=str)
        (head if blocks < keep else tail).append(text)
        if not isinstance(fragment, str):
            blocks += 1
    return "".join(head), "".join(tail)


def corrections_listing() -> Any:
    """Public correction/update notes of live articles, newest first (for page and feed)."""
    from akhbar.newsroom.models import ArticleNote

    return (
        ArticleNote.objects.filter(
            is_public=True,
            kind__in=[ArticleNote.Kind.CORRECTION, ArticleNote.Kind.UPDATE],
            article__in=Article.objects.published(),
        )
        .select_related("article")
        .order_by("-created_at", "-id")
    )
