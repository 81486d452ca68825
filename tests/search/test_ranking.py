"""Ranked any-word retrieval, the same on both engines; vocabulary; short proclitic words.

The engine-equivalence tests compare each engine's pages with a reference computed here
from the stored entries alone (frequencies and lengths counted in Python), so an engine
passing them on SQLite and on PostgreSQL (CI runs both) ranks exactly like the other.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from akhbar.newsroom.models import Article
from akhbar.search import ranking
from akhbar.search.backends import SearchFilters, get_backend
from akhbar.search.models import SearchEntry
from akhbar.search.query import parse_query
from akhbar.search.vocabulary import (
    arabic_distance,
    closest_terms,
    join_allowed,
    proclitic_alternative,
)
from tests import factories

pytestmark = pytest.mark.django_db


def ids(
    q: str, page: int = 1, per_page: int = 50, filters: SearchFilters | None = None
) -> list[int]:
    found = get_backend().search(parse_query(q), filters, page, per_page)
    return [h.article_id for h in found.hits]


def reference(q: str, filters: SearchFilters | None = None) -> list[int]:
    """Every live entry containing a word of ``q``, ranked from the entries alone.

    ``filters`` are applied here in Python, to the articles' own fields and local dates.
    """
    query = parse_query(q)
    live = set()
    for pk, category, author, when in Article.objects.published().values_list(
        "pk", "category_id", "author_id", "published_at"
    ):
        day = timezone.localtime(when).date()
        if filters and (
            (filters.category_ids and category not in filters.category_ids)
            or (filters.author_ids and author not in filters.author_ids)
            or (filters.date_from and day < filters.date_from)
            or (filters.date_to and day > filters.date_to)
        ):
            continue
        live.add(pk)
    rows = list(
        SearchEntry.objects.values_list(
            "article_id", "title_terms", "body_terms", "article__published_at"
        )
    )
    docs = {pk: set(f"{t} {b}".split()) for pk, t, b, _ in rows}
    frequencies = {
        term: sum(term in words for words in docs.values())
        for term in {*query.terms, *(t for p in query.phrases for t in p)}
    }
    stats = ranking.IndexStats(
        len(rows),
        sum(len(t.split()) for _, t, _, _ in rows),
        sum(len(b.split()) for *_, b, _ in rows),
    )
    matching = [
        ranking.Candidate(*row)
        for row in rows
        if row[0] in live and docs[row[0]] & set(query.terms)
    ]
    groups = ranking.groups_of(query.terms, (), query.phrases)
    return [s.article_id for s in ranking.rank(matching, groups, frequencies, stats)]


@pytest.fixture
def harbour():
    now = timezone.now()
    made = []
    texts = [
        ("الميناء يستقبل سفينة القمح", "وصلت السفينة إلى الميناء محملة بالقمح."),
        ("سفينة في الميناء", "رست السفينة صباحا."),
        ("أسعار القمح", "ارتفعت أسعار القمح في الأسواق."),
        ("الميناء", "حركة نشطة في الميناء."),
        ("الميناء", "حركة نشطة في الميناء."),  # identical: tied scores, recency decides
        ("القمح والشعير", "محاصيل الموسم."),
        ("مباراة كرة القدم", "فاز الفريق."),
        ("سفينة سياحية", "رحلة بحرية."),
    ]
    for i, (title, body) in enumerate(texts):
        made.append(
            factories.article(
                title=title, body=f"<p>{body}</p>", published_at=now - timedelta(hours=i + 1)
            )
        )
    # Not live: must never appear, and must not disturb the pages.
    factories.article(title="الميناء والقمح والسفينة", published_at=now + timedelta(days=1))
    return made


def assert_pages_equal_reference(q: str, filters: SearchFilters | None = None) -> None:
    expected = reference(q, filters)
    if not expected:
        assert ids(q, filters=filters) == [], (q, filters)
        assert filters, q  # every unfiltered query of these tests finds something
        return
    for per_page in (1, 2, 3, 50):
        pages = []
        for page in range(1, len(expected) // per_page + 3):
            pages += ids(q, page, per_page, filters)
        strict = get_backend().search(parse_query(q), filters, 1, per_page)
        if strict.match == "all" and per_page < len(expected):
            # A page filled by articles with every word shows only those, in the same order.
            complete = [pk for pk in expected if pk in pages]
            assert pages == complete, (q, per_page, filters)
        else:
            assert pages == expected, (q, per_page, filters)
    assert len(set(pages)) == len(pages)


@pytest.mark.parametrize(
    "q",
    ["الميناء سفينة القمح", "أين ترسو سفينة القمح؟", "الميناء", "القمح الشعير الأسواق"],
)
def test_engine_pages_equal_the_reference_ranking(harbour, q):
    assert_pages_equal_reference(q)


@pytest.fixture
def sections():
    """The harbour texts over two sections, two writers (and none) and fourteen months."""
    now = timezone.now()
    first, second = factories.category(), factories.category()
    writer, other = factories.author(), factories.author()
    texts = [
        ("الميناء يستقبل سفينة القمح", "وصلت السفينة إلى الميناء محملة بالقمح."),
        ("سفينة في الميناء", "رست السفينة صباحا."),
        ("أسعار القمح", "ارتفعت أسعار القمح في الأسواق."),
        ("الميناء", "حركة نشطة في الميناء."),
        ("القمح والشعير", "محاصيل الموسم."),
        ("سفينة سياحية", "رحلة بحرية."),
    ]
    for i in range(30):
        title, body = texts[i % len(texts)]
        factories.article(
            title=title,
            body=f"<p>{body}</p>",
            category=first if i % 2 else second,
            author=(writer, other, None)[i % 3],
            published_at=now - timedelta(days=i * 14, hours=i),
        )
    # Not live, though in every filter: must never appear.
    factories.article(
        title="الميناء والقمح والسفينة",
        category=first,
        author=writer,
        published_at=now + timedelta(days=1),
    )
    hidden = factories.article(title="الميناء القمح", category=first, author=writer)
    Article.objects.filter(pk=hidden.pk).update(status=Article.Status.DRAFT)  # stale entry
    return first, second, writer, other


def _filters(kind: str, first, second, writer, other) -> SearchFilters:
    today = timezone.localdate()
    return {
        "section": SearchFilters(category_ids=(first.pk,)),
        "two sections": SearchFilters(category_ids=(first.pk, second.pk)),
        "writer": SearchFilters(author_ids=(other.pk,)),
        "dates": SearchFilters(
            date_from=today - timedelta(days=200), date_to=today - timedelta(days=30)
        ),
        "from": SearchFilters(date_from=today - timedelta(days=100)),
        "to": SearchFilters(date_to=today - timedelta(days=150)),
        "all": SearchFilters(
            category_ids=(first.pk,), author_ids=(writer.pk,), date_from=today - timedelta(days=300)
        ),
    }[kind]


@pytest.mark.parametrize(
    "kind", ["section", "two sections", "writer", "dates", "from", "to", "all"]
)
@pytest.mark.parametrize("q", ["الميناء سفينة القمح", "الميناء", "أين ترسو سفينة القمح؟"])
def test_filtered_pages_equal_the_reference_ranking(sections, kind, q):
    assert_pages_equal_reference(q, _filters(kind, *sections))


def test_empty_and_future_date_ranges_find_nothing(sections):
    today = timezone.localdate()
    later = SearchFilters(date_from=today + timedelta(days=30))
    assert ids("الميناء", filters=later) == []
    long_ago = SearchFilters(date_to=today - timedelta(days=3000))
    assert ids("الميناء", filters=long_ago) == []


def test_all_words_first_then_most_words(harbour):
    q = "الميناء سفينة القمح"
    got = ids(q)
    # The one article with all three words first; then those with two; then one.
    assert got[0] == harbour[0].pk
    two = {harbour[1].pk}  # ميناء + سفينة
    assert set(got[1:2]) == two
    results = get_backend().search(parse_query(q), None, 1, 10)
    assert results.match == "some"
    assert harbour[6].pk not in got  # no word in common


def test_ties_break_by_recency(harbour):
    got = ids("الميناء")
    assert got.index(harbour[3].pk) < got.index(harbour[4].pk)


def test_question_words_never_required(harbour):
    for q in ["ما هي أسعار القمح؟", "لماذا ارتفعت أسعار القمح", "شو أسعار القمح", "كم أسعار القمح"]:
        got = ids(q)
        assert got and got[0] == harbour[2].pk, q
        assert get_backend().search(parse_query(q), None, 1, 1).match == "all", q


def test_phrases_and_exclusions_stay_strict(harbour):
    assert ids('"أسعار القمح"') == [harbour[2].pk]
    got = ids('"أسعار القمح" الميناء')
    assert got == [harbour[2].pk]  # the phrase is required, the word only ranks
    got = ids("الميناء سفينة -القمح")
    assert harbour[0].pk not in got and harbour[2].pk not in got
    assert harbour[1].pk == got[0]


def test_vocabulary_and_statistics_follow_the_index(harbour):
    backend = get_backend()
    rows = list(SearchEntry.objects.values_list("title_terms", "body_terms"))
    stats = backend.index_stats()
    assert stats.documents == len(rows)
    assert stats.title_terms == sum(len(t.split()) for t, _ in rows)
    assert stats.body_terms == sum(len(b.split()) for _, b in rows)
    df = backend.document_frequencies(["ميناء", "قمح", "غيرموجود"])
    assert df == {"ميناء": 5, "قمح": 4}
    article = harbour[0]
    article.delete()
    assert backend.document_frequencies(["ميناء"]) == {"ميناء": 4}
    assert backend.index_stats().documents == len(rows) - 1
    near = dict(backend.vocabulary_range("قم", "قن", 10))
    assert near == {"قمح": 3}


def test_short_proclitic_words_use_the_vocabulary():
    wheat = factories.article(title="حصاد القمح", body="<p>موسم القمح والقمح الجيد.</p>")
    for i in range(25):
        factories.article(title=f"القمح {i}", body="<p>سوق.</p>")
    arrived = factories.article(title="وصل الوفد", body="<p>زيارة.</p>")
    factories.article(title="صل", body="<p>كلمة.</p>")
    for q in ["وقمح", "فقمح", "بقمح", "لقمح"]:
        got = ids(q)
        assert wheat.pk in got, q
    assert ids("وصل") == [arrived.pk]  # "صل" is known but not 3 times as frequent
    results = get_backend().search(parse_query("وقمح"), None, 1, 50)
    assert results.query.alternatives == (("قمح",),)


def test_typed_form_ranks_above_the_stripped_form():
    plain = factories.article(title="القمح", body="<p>خبر.</p>")
    typed = factories.article(
        title="خبر", body="<p>شعير وقمح.</p>", published_at=timezone.now() - timedelta(days=3)
    )
    for i in range(25):
        factories.article(title=f"القمح {i}", body="<p>سوق.</p>")
    got = ids("وقمح")
    assert got[0] == typed.pk and plain.pk in got


@pytest.mark.parametrize(
    ("word", "stripped"),
    [("وقمح", "قمح"), ("فقمح", "قمح"), ("بقمح", "قمح"), ("لقمح", "قمح"), ("كقمح", "قمح")],
)
def test_proclitic_alternative(word, stripped):
    assert proclitic_alternative(word) == stripped


def test_join_needs_a_much_more_frequent_stripped_form():
    assert join_allowed(0, 3)
    assert not join_allowed(0, 0)
    assert not join_allowed(5, 6)  # ورد / رد: both real words, alike in frequency
    assert not join_allowed(8, 4)  # وجد / جد
    assert join_allowed(5, 25)  # بدعم / دعم
    assert join_allowed(1, 300)


def test_arabic_distance_weighs_confusions_low():
    assert arabic_distance("ضابط", "صابط") < 1
    assert arabic_distance("ذهب", "زهب") < 1
    assert arabic_distance("ثلاث", "سلاث") < 1
    assert arabic_distance("اطفاال", "اطفال") < 1  # doubled letter
    assert arabic_distance("قمح", "قمخ") == 1
    assert arabic_distance("كتاب", "كتاب") == 0
    assert arabic_distance("قمح", "سفينه") > 2


def test_closest_terms_prefers_confusions_and_frequency(harbour):
    backend = get_backend()
    assert closest_terms("ميناا", backend.vocabulary_range)[0][0] == "ميناء"
    assert closest_terms("ثفين", backend.vocabulary_range, 1)[0][0] == "سفين"
    assert closest_terms("قمهح", backend.vocabulary_range, 1)[0][0] == "قمح"
    assert closest_terms("بيت", backend.vocabulary_range) == []  # nothing near
