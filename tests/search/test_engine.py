"""The search engine in use (SQLite FTS5, or PostgreSQL when DATABASE_URL says so)."""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from akhbar.newsroom import services
from akhbar.newsroom.models import Article
from akhbar.search.backends import SearchFilters, get_backend
from akhbar.search.backends.sqlite import fts5_expression
from akhbar.search.models import SearchEntry
from akhbar.search.query import parse_query
from akhbar.search.terms import month_facets
from tests import factories

pytestmark = pytest.mark.django_db


def found(q: str, filters: SearchFilters | None = None) -> list[int]:
    return [h.article_id for h in get_backend().search(parse_query(q), filters, 1, 50).hits]


def test_engine_matches_database_vendor():
    assert get_backend().vendor == connection.vendor


def test_finds_word_regardless_of_diacritics_and_prefixes():
    a = factories.article(title="وَصَلَ الوَزِيرُ إلى بَغْدَاد", body="<p>زيارة رسمية.</p>")
    factories.article(title="مباراة كرة القدم", body="<p>فاز الفريق.</p>")
    assert found("وزير") == [a.pk]
    assert found("والوزير") == [a.pk]
    assert found("بغداد") == [a.pk]


def test_all_words_rank_first_then_some_words():
    a = factories.article(title="القوات العراقية في الموصل", body="<p>تقدم ميداني.</p>")
    b = factories.article(title="القوات الأمريكية", body="<p>انسحاب.</p>")
    factories.article(title="مباراة كرة القدم", body="<p>فاز الفريق.</p>")
    assert found("القوات الموصل") == [a.pk, b.pk]
    results = get_backend().search(parse_query("القوات الموصل"), None, 1, 1)
    # One page is filled by articles with every word: nothing else is mixed in.
    assert [h.article_id for h in results.hits] == [a.pk] and results.match == "all"
    assert results.total == 1
    results = get_backend().search(parse_query("القوات الموصل"), None, 1, 10)
    assert results.match == "some" and results.total == 2


def test_phrase_requires_consecutive_terms():
    a = factories.article(title="دخلت القوات العراقية المدينة", body="<p>خبر.</p>")
    b = factories.article(title="القوات الكردية والحكومة العراقية", body="<p>خبر.</p>")
    assert set(found("القوات العراقية")) == {a.pk, b.pk}
    assert found('"القوات العراقية"') == [a.pk]
    assert found("«القوات العراقية»") == [a.pk]


def test_exclusion():
    a = factories.article(title="انتخابات في كركوك", body="<p>نتائج.</p>")
    b = factories.article(title="انتخابات في البصرة", body="<p>نتائج.</p>")
    assert set(found("انتخابات")) == {a.pk, b.pk}
    assert found("انتخابات -كركوك") == [b.pk]
    assert found("-كركوك") == []


def test_title_outranks_body_and_recency_breaks_ties():
    body_only = factories.article(
        title="أخبار اليوم", body="<p>تحدث التقرير عن الزلزال في المنطقة.</p>"
    )
    in_title = factories.article(title="الزلزال يضرب المنطقة", body="<p>أضرار كبيرة.</p>")
    assert found("الزلزال") == [in_title.pk, body_only.pk]
    now = timezone.now()
    old = factories.article(title="مهرجان الربيع", body="", published_at=now - timedelta(days=9))
    new = factories.article(title="مهرجان الربيع", body="", published_at=now - timedelta(days=1))
    assert found("مهرجان") == [new.pk, old.pk]


def test_tags_and_category_names_are_searchable():
    cat = factories.category(name="اقتصاد")
    tag = factories.tag(name="النفط")
    a = factories.article(title="ارتفاع الأسعار", body="<p>السوق.</p>", category=cat, tags=[tag])
    assert found("نفط") == [a.pk]
    assert found("الاقتصاد") == [a.pk]


def test_only_live_articles_are_returned():
    live = factories.article(title="قمة الرياض")
    future = factories.article(
        title="قمة الرياض المقبلة", published_at=timezone.now() + timedelta(days=1)
    )
    draft = factories.article(title="قمة الرياض مسودة", status=Article.Status.DRAFT)
    assert found("قمة") == [live.pk]
    # Scheduled articles are indexed already and appear when their time comes.
    assert SearchEntry.objects.filter(pk=future.pk).exists()
    assert not SearchEntry.objects.filter(pk=draft.pk).exists()
    Article.objects.filter(pk=future.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    assert set(found("قمة")) == {live.pk, future.pk}


def test_index_follows_edit_unpublish_and_delete():
    a = factories.article(title="افتتاح المعرض")
    assert found("معرض") == [a.pk]
    a.title = "إغلاق المتحف"
    a.save()
    assert found("معرض") == []
    assert found("متحف") == [a.pk]
    a.status = Article.Status.DRAFT
    a.save()
    assert found("متحف") == []
    a.status = Article.Status.PUBLISHED
    a.save()
    assert found("متحف") == [a.pk]
    pk = a.pk
    a.delete()
    assert found("متحف") == []
    assert not SearchEntry.objects.filter(pk=pk).exists()


def test_tag_changes_and_renames_reindex():
    tag = factories.tag(name="الطاقة")
    a = factories.article(title="خبر عام")
    assert found("طاقه") == []
    services.set_tags(a, [tag])  # the write path: search follows its event
    assert found("الطاقة") == [a.pk]
    tag.name = "الكهرباء"
    tag.save()
    assert found("الطاقة") == []
    assert found("كهرباء") == [a.pk]
    services.set_tags(a, [])
    assert found("كهرباء") == []


def test_filters_category_and_dates():
    c1, c2 = factories.category(), factories.category()
    now = timezone.now()
    a = factories.article(title="تقرير المناخ", category=c1, published_at=now - timedelta(days=40))
    b = factories.article(title="تقرير المناخ", category=c2, published_at=now - timedelta(days=2))
    assert found("مناخ", SearchFilters(category_ids=(c1.pk,))) == [a.pk]
    today = timezone.localdate()
    recent = SearchFilters(date_from=today - timedelta(days=10), date_to=today)
    assert found("مناخ", recent) == [b.pk]
    assert found("مناخ", SearchFilters(date_to=today - timedelta(days=30))) == [a.pk]
    assert found("مناخ", SearchFilters(date_from=date(2099, 1, 1))) == []


def test_pagination_and_total():
    for i in range(13):
        factories.article(title=f"جلسة البرلمان رقم {i}")
    backend = get_backend()
    first = backend.search(parse_query("البرلمان"), None, 1, 10)
    second = backend.search(parse_query("البرلمان"), None, 2, 10)
    assert first.total == second.total == 13
    assert len(first.hits) == 10 and len(second.hits) == 3
    assert not {h.article_id for h in first.hits} & {h.article_id for h in second.hits}
    beyond = backend.search(parse_query("البرلمان"), None, 5, 10)
    assert beyond.hits == [] and beyond.total == 13


def test_reindex_rebuilds_after_bulk_writes():
    a = factories.article(title="سوق الذهب")
    Article.objects.filter(pk=a.pk).update(title="سوق الفضة")  # no signal
    assert found("فضة") == []
    backend = get_backend()
    backend.reindex(Article.objects.select_related("category").prefetch_related("tags"))
    assert found("فضة") == [a.pk]
    assert found("ذهب") == []


def test_fts_syntax_and_sql_are_inert():
    a = factories.article(title="near and or not")
    for q in ['"', "*", "NEAR(", "AND", "OR NOT", "()", "^", ":", "' OR 1=1 --", 'a"b', "title:x"]:
        get_backend().search(parse_query(q), None, 1, 10)  # must not raise
    assert found("near") == [a.pk]
    # FTS5's NEAR is not an operator here: its words are plain words, matched as any words.
    assert found('NEAR("near" "x")') == [a.pk]
    assert fts5_expression(parse_query('NEAR("near" "x")')) == '"near" AND "x"'


def _cap_count(monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    from akhbar.search.backends import base, sqlite

    monkeypatch.setattr(base, "COUNT_LIMIT", limit)
    monkeypatch.setattr(sqlite, "COUNT_LIMIT", limit)


def test_count_stops_at_limit(monkeypatch):
    """Huge result sets are counted up to COUNT_LIMIT only; the page itself is unaffected."""
    articles = [factories.article(title=f"أسعار النفط اليوم {i}") for i in range(12)]
    _cap_count(monkeypatch, 5)
    backend = get_backend()
    first = backend.search(parse_query("النفط"), None, 1, 3)
    assert (first.total, first.more) == (5, True)
    assert len(first.hits) == 3
    few = backend.search(parse_query("النفط 3"), None, 1, 1)
    assert (few.total, few.more) == (1, False)
    assert [h.article_id for h in few.hits] == [articles[3].pk]
    # Fewer than a page with both words: the others follow, counted up to the limit too.
    some = backend.search(parse_query("النفط 3"), None, 1, 3)
    assert (some.total, some.more, some.match) == (5, True, "some")
    assert some.hits[0].article_id == articles[3].pk


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 top-matches shortcut")
@pytest.mark.parametrize(("spare", "tie_room"), [(0, 0), (1, 3), (2, 9), (20, 200)])
def test_top_matches_shortcut_gives_the_full_querys_pages(monkeypatch, spare, tie_room):
    """The shortcut (best FTS5 matches, then the live check) must equal the full join.

    Identical titles give tied BM25 scores across every cut, scheduled and draft-by-update
    articles are non-live entries among the best matches, and recency breaks the ties.
    """
    from akhbar.search.backends.sqlite import SQLiteSearchBackend

    now = timezone.now()
    for i in range(30):
        factories.article(
            title="الميناء" if i % 3 else "الميناء الجديد في الميناء",
            body="<p>" + "شحنات الميناء " * (i % 4) + "</p>",
            published_at=now - timedelta(hours=i % 5, minutes=i),
        )
    factories.article(title="الميناء الميناء", published_at=now + timedelta(days=1))
    hidden = factories.article(title="الميناء الميناء الميناء")
    Article.objects.filter(pk=hidden.pk).update(status=Article.Status.DRAFT)  # stale entry
    monkeypatch.setattr(SQLiteSearchBackend, "SPARE", spare)
    monkeypatch.setattr(SQLiteSearchBackend, "TIE_ROOM", tie_room)
    backend = SQLiteSearchBackend()
    full = SQLiteSearchBackend()
    full.MAX_FAST_DEPTH = 0  # always the full query
    for q in ["الميناء", "ميناء شحنات", '"الميناء الجديد"']:
        for page in range(1, 6):
            fast_page = backend.search(parse_query(q), None, page, 7)
            full_page = full.search(parse_query(q), None, page, 7)
            assert fast_page.hits == full_page.hits, (q, page)
            assert (fast_page.total, fast_page.more) == (full_page.total, full_page.more)
    assert full.search(parse_query("الميناء"), None, 1, 50).total == 30


def test_facet_terms_follow_section_author_and_date():
    """Filters are matched as facet terms: they must follow every edit of what they name."""
    first, second = factories.category(), factories.category()
    writer = factories.author()
    when = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)  # 1 April in Baghdad: the UTC month
    a = factories.article(title="تقرير المناخ", category=first, author=writer, published_at=when)
    entry = SearchEntry.objects.get(pk=a.pk)
    assert entry.facet_terms == f"c{first.pk} a{writer.pk} m202603"
    assert found("مناخ", SearchFilters(category_ids=(first.pk,))) == [a.pk]
    a.category = second
    a.author = None
    a.save()
    assert SearchEntry.objects.get(pk=a.pk).facet_terms == f"c{second.pk} m202603"
    assert found("مناخ", SearchFilters(category_ids=(first.pk,))) == []
    assert found("مناخ", SearchFilters(category_ids=(second.pk,))) == [a.pk]
    assert found("مناخ", SearchFilters(author_ids=(writer.pk,))) == []


def test_a_facet_is_never_a_word():
    """No reader's query can match a facet term (analyze() splits letters from digits)."""
    section = factories.category()
    factories.article(title="خبر", category=section)
    assert found(f"c{section.pk}") == []
    assert found(f'"c{section.pk}"') == []


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ((2026, 1, 15), (2026, 1, 16), ["m202601"]),
        ((2025, 11, 30), (2026, 2, 1), ["m202511", "m202512", "m202601"]),
        ((2026, 2, 1), (2026, 2, 1), []),
    ],
)
def test_month_facets_cover_the_range(start, end, months):
    assert list(month_facets(datetime(*start, tzinfo=UTC), datetime(*end, tzinfo=UTC))) == months


def test_month_facets_are_utc_months():
    baghdad = ZoneInfo("Asia/Baghdad")  # UTC+3: local 1 March 01:00 is 28 February in UTC
    start = datetime(2026, 3, 1, 1, 0, tzinfo=baghdad)
    assert list(month_facets(start, start + timedelta(hours=1))) == ["m202602"]


def test_migration_fills_the_facets_as_the_indexer_does():
    """Migration 0004 computes existing entries' facets in SQL: it must agree with Python."""
    migration = importlib.import_module("akhbar.search.migrations.0004_facet_terms")
    sql = {"sqlite": migration._SQLITE_FACETS, "postgresql": migration._POSTGRES_FACETS}
    writer = factories.author()
    made = [
        factories.article(author=writer),
        factories.article(published_at=datetime(2025, 12, 31, 23, 59, tzinfo=UTC)),
    ]
    expected = dict(SearchEntry.objects.values_list("article_id", "facet_terms"))
    assert all(expected[a.pk] for a in made)
    SearchEntry.objects.update(facet_terms="")
    with connection.cursor() as cursor:
        cursor.execute(sql[connection.vendor])
    assert dict(SearchEntry.objects.values_list("article_id", "facet_terms")) == expected
    assert expected[made[1].pk].endswith("m202512")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 top-matches shortcut")
def test_filtered_shortcut_gives_the_full_querys_pages():
    """With filters too, the shortcut's pages equal the full join's (date edges included)."""
    from akhbar.search.backends.sqlite import SQLiteSearchBackend

    now = timezone.now()
    first, second = factories.category(), factories.category()
    writer = factories.author()
    for i in range(40):
        factories.article(
            title="الميناء" if i % 3 else "الميناء الجديد في الميناء",
            body="<p>" + "شحنات الميناء " * (i % 4) + "</p>",
            category=first if i % 2 else second,
            author=writer if i % 5 else None,
            published_at=now - timedelta(days=i * 9, minutes=i),
        )
    hidden = factories.article(title="الميناء الميناء الميناء", category=first)
    Article.objects.filter(pk=hidden.pk).update(status=Article.Status.DRAFT)
    backend = SQLiteSearchBackend()
    full = SQLiteSearchBackend()
    full.MAX_FAST_DEPTH = 0
    today = timezone.localdate()
    for filters in [
        SearchFilters(category_ids=(first.pk,)),
        SearchFilters(author_ids=(writer.pk,)),
        SearchFilters(date_from=today - timedelta(days=100), date_to=today - timedelta(days=20)),
        SearchFilters(category_ids=(second.pk,), date_from=today - timedelta(days=200)),
    ]:
        for q in ["الميناء", "ميناء شحنات", '"الميناء الجديد"']:
            for page in range(1, 5):
                fast_page = backend.search(parse_query(q), filters, page, 4)
                full_page = full.search(parse_query(q), filters, page, 4)
                assert fast_page.hits == full_page.hits, (q, page, filters)
                assert (fast_page.total, fast_page.more) == (full_page.total, full_page.more)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 any-word shortcut")
@pytest.mark.parametrize("pool", [3, 5, 8])
def test_any_word_shortcut_keeps_the_best_matches(monkeypatch, pool):
    """Leaving the common words out of an any-word search loses none of its best POOL."""
    from akhbar.search.backends import base
    from akhbar.search.backends.base import SearchBackend
    from akhbar.search.backends.sqlite import SQLiteSearchBackend
    from akhbar.search.vocabulary import resolve_proclitics

    now = timezone.now()
    for i in range(40):
        words = ["الميناء"] * (i % 4 != 0) + ["سفينة"] * (i % 3 == 0) + ["القمح"] * (i % 5 == 0)
        factories.article(
            title=" ".join(words[:2]) or "خبر",
            body="<p>" + " ".join(words + ["الشعير"] * (i % 7 == 0)) + " نص.</p>",
            published_at=now - timedelta(hours=i),
        )
    monkeypatch.setattr(base, "POOL", pool)
    fallbacks = []
    original = SearchBackend._relaxed

    def spy(self, *args):
        fallbacks.append(args)
        return original(self, *args)

    monkeypatch.setattr(SearchBackend, "_relaxed", spy)
    backend = SQLiteSearchBackend()
    query, frequencies = resolve_proclitics(
        parse_query("الميناء سفينة القمح الشعير"), backend.document_frequencies
    )
    assert frequencies["ميناء"] > 40 / backend.COMMON_SHARE  # a common word, left out
    found = backend._relaxed(query, None, frequencies)
    assert not fallbacks  # the shortcut, not the whole query
    full = backend._matches(query, None, 0, pool, any_word=True)
    assert {h.article_id for h in full.hits} <= {h.article_id for h in found.hits}
    assert found.total == full.total
    # And the pages shown come from those candidates, ranked as always.
    page = backend.search(query, None, 1, pool)
    assert page.match == "some" and len(page.hits) == pool


def test_long_question_over_common_words_finds_the_best(monkeypatch):
    """With the pool and the ranking budget small, a question over common words still finds
    the article with most of its words and the one with its rare word, on either engine."""
    from akhbar.search.backends import base
    from akhbar.search.backends.postgres import PostgresSearchBackend

    monkeypatch.setattr(base, "POOL", 4)
    monkeypatch.setattr(PostgresSearchBackend, "RANK_LIMIT", 8)
    now = timezone.now()
    for i in range(30):
        factories.article(
            title="تقرير",
            body="<p>"
            + ("الميناء " if i % 2 else "السوق ")
            + ("المدينة " if i % 3 else "")
            + "</p>",
            published_at=now - timedelta(hours=i + 1),
        )
    most = factories.article(title="تقرير", body="<p>الميناء السوق المدينة</p>")
    rare = factories.article(title="الزعفران", body="<p>خبر.</p>")
    results = get_backend().search(
        parse_query("أين الميناء والسوق والمدينة والزعفران؟"), None, 1, 4
    )
    got = [h.article_id for h in results.hits]
    assert results.match == "some" and results.more
    assert got[:2] == [most.pk, rare.pk] or got[:2] == [rare.pk, most.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN indexes")
def test_gin_pending_lists_are_bounded_and_merged_after_a_rebuild():
    """Every search reads a GIN index's whole pending list: migration 0007 keeps it small,
    and a bulk rebuild (``optimize``) leaves nothing in it."""
    from akhbar.search.backends.postgres import GIN_INDEXES

    for i in range(5):
        factories.article(title=f"خبر عن الموانئ {i}", body="السفن في الميناء " * 40)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)", [list(GIN_INDEXES)]
        )
        options = dict(cursor.fetchall())
        assert options == {name: ["gin_pending_list_limit=256"] for name in GIN_INDEXES}
        get_backend().optimize()
        for name in GIN_INDEXES:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])
            assert cursor.fetchone()[0] == 0, f"{name} still had pending pages"
    assert len(found("الموانئ")) == 5
