"""The /search/ page: results, filters, snippets, counts and every kind of bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from akhbar.search.query import MAX_QUERY_LENGTH
from akhbar.search.services import results_count_text
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/search/"


@pytest.fixture
def news():
    politics = factories.category(name="سياسة")
    sport = factories.category(name="رياضة")
    a = factories.article(
        title="القوات العراقية تدخل المدينة",
        body="<p>أعلنت القيادة أنّ القُوّاتِ العِرَاقِيَّةَ دخلت المدينة فجراً.</p>"
        "<p>وقال مسؤول إن السكان <b>بخير</b> & آمنون.</p>",
        category=politics,
    )
    b = factories.article(title="مباراة القمة", body="<p>فاز الفريق في الملعب.</p>", category=sport)
    return {"politics": politics, "sport": sport, "a": a, "b": b}


def test_results_page_highlights_original_words(client, news):
    response = client.get(URL, {"q": "القوات العراقية"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert "عُثر على نتيجة واحدة" in html
    assert news["a"].get_absolute_url() in html
    assert news["b"].get_absolute_url() not in html
    # Highlighted as published, diacritics kept, in title and snippet.
    assert "<mark>القُوّاتِ</mark> <mark>العِرَاقِيَّةَ</mark>" in html
    assert "<mark>القوات</mark> <mark>العراقية</mark> تدخل" in html
    # Body text is escaped, never injected.
    assert "&amp; آمنون" in html or "آمنون" not in html


def test_search_box_in_header_on_every_page(client, news):
    html = client.get("/").content.decode()
    assert 'action="/search/"' in html and 'name="q"' in html


def test_no_results_message(client, news):
    response = client.get(URL, {"q": "زلزال"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "لم نجد مقالات تطابق بحثك" in html
    assert "جرّب كلمات أقل" in html
    assert "تحقّق من كتابة الكلمات" in html
    assert news["politics"].get_absolute_url() in html  # browse sections


def test_category_filter_includes_subcategories(client, news):
    child = factories.category(name="برلمان", parent=news["politics"])
    c = factories.article(title="جلسة المدينة", category=child)
    html = client.get(URL, {"q": "المدينة", "category": news["politics"].slug}).content.decode()
    assert news["a"].get_absolute_url() in html and c.get_absolute_url() in html
    html = client.get(URL, {"q": "المدينة", "category": child.slug}).content.decode()
    assert news["a"].get_absolute_url() not in html and c.get_absolute_url() in html
    html = client.get(URL, {"q": "المدينة", "category": "no-such\x00"}).content.decode()
    assert "القسم المختار غير موجود" in html and c.get_absolute_url() in html


def test_date_filters_and_bad_dates(client, news):
    old = factories.article(
        title="المدينة قديما", published_at=timezone.now() - timedelta(days=400)
    )
    today = timezone.localdate()
    html = client.get(
        URL, {"q": "المدينة", "from": (today - timedelta(days=30)).isoformat()}
    ).content.decode()
    assert old.get_absolute_url() not in html and news["a"].get_absolute_url() in html
    html = client.get(
        URL, {"q": "المدينة", "to": (today - timedelta(days=300)).isoformat()}
    ).content.decode()
    assert old.get_absolute_url() in html and news["a"].get_absolute_url() not in html
    for bad in ["2024-13-45", "yesterday", "0001-01-01", "9999-12-31", "٢٠٢٤-٠١-٠١x", "' OR 1=1"]:
        response = client.get(URL, {"q": "المدينة", "from": bad, "to": bad})
        assert response.status_code == 200
        html = response.content.decode()
        assert "غير صالح فتجاهلناه" in html
        assert old.get_absolute_url() in html  # filter ignored, not applied


def test_dates_in_arabic_order_and_digits(client, news):
    """The form asks for day/month/year (no browser date box speaking English); ISO works too."""
    old = factories.article(
        title="المدينة قديماً", published_at=timezone.now() - timedelta(days=400)
    )
    html = client.get(URL, {"q": "المدينة"}).content.decode()
    assert 'type="date"' not in html and "يوم/شهر/سنة" in html
    day = (timezone.localdate() - timedelta(days=30)).strftime("%d/%m/%Y")
    for value in (day, day.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))):
        html = client.get(URL, {"q": "المدينة", "from": value}).content.decode()
        assert "غير صالح" not in html
        assert old.get_absolute_url() not in html and news["a"].get_absolute_url() in html


def test_reversed_dates_are_swapped(client, news):
    today = timezone.localdate()
    response = client.get(
        URL,
        {"q": "المدينة", "from": today.isoformat(), "to": (today - timedelta(days=5)).isoformat()},
    )
    assert "فبدّلنا بينهما" in response.content.decode()
    assert news["a"].get_absolute_url() in response.content.decode()


def test_pagination_keeps_query_and_filters(client, news):
    for i in range(12):
        factories.article(title=f"المدينة خبر {i}", category=news["politics"])
    response = client.get(URL, {"q": "المدينة", "category": news["politics"].slug})
    html = response.content.decode()
    assert "عُثر على 13 نتيجة" in html
    assert "page=2" in html and "category=" + news["politics"].slug in html
    second = client.get(URL, {"q": "المدينة", "category": news["politics"].slug, "page": 2})
    assert "صفحة 2 من 2" in second.content.decode()
    beyond = client.get(URL, {"q": "المدينة", "page": "99"})
    assert beyond.status_code == 200 and "صفحة 2 من 2" in beyond.content.decode()


def test_query_count_is_bounded(client, news, django_assert_max_num_queries):
    for i in range(15):
        factories.article(title=f"المدينة خبر {i}", tags=[factories.tag()])
    client.get(URL, {"q": "المدينة"})  # first request creates the site settings row
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"q": "المدينة"})
    assert response.status_code == 200


def test_response_does_not_depend_on_reader(client, news, django_user_model):
    first = client.get(URL, {"q": "المدينة"})
    user = django_user_model.objects.create_user("reader", password="x-long-password-1")
    client.force_login(user)
    second = client.get(URL, {"q": "المدينة"})
    strip = lambda r: r.content.decode().split("<main", 1)[1]  # noqa: E731
    assert strip(first) == strip(second)
    assert "Cookie" not in first.get("Vary", "")


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "لم يُعثر على نتائج"),
        (1, "عُثر على نتيجة واحدة"),
        (2, "عُثر على نتيجتين"),
        (3, "عُثر على 3 نتائج"),
        (10, "عُثر على 10 نتائج"),
        (11, "عُثر على 11 نتيجة"),
        (99, "عُثر على 99 نتيجة"),
        (100, "عُثر على 100 نتيجة"),
        (103, "عُثر على 103 نتائج"),
        (112, "عُثر على 112 نتيجة"),
    ],
)
def test_arabic_count_agreement(n, text):
    assert results_count_text(n) == text


BAD_QUERIES = [
    "",
    "   ",
    "\t\n",
    "ًٌٍَُِّْ",  # diacritics only
    "ـــ",  # tatweel only
    "ا" * 5000,
    "كلمة " * 1000,
    '"',
    '""',
    '"القوات',
    "*",
    "قوات*",
    "NEAR(",
    "NEAR(قوات عراق, 2)",
    "AND",
    "قوات AND OR NOT",
    "(",
    "(()))",
    "^قوات",
    "title:قوات",
    ":",
    "-",
    "--",
    "- -قوات",
    "-قوات",
    "' OR 1=1 --",
    "'; DROP TABLE newsroom_article; --",
    "\\",
    "%",
    "_",
    "\x00",
    "قوات\x00عراق",
    "\u202eقوات\u202c",  # bidi override
    "\u200f\u200e\u2066\u2069",
    "\ufeff",
    "<script>alert(1)</script>",
    "😀🔥",
    "\U0001d400",
]


@pytest.mark.parametrize("q", BAD_QUERIES)
def test_bad_queries_never_500(client, news, q):
    response = client.get(URL, {"q": q})
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    "raw",
    [
        "q=%ED%A0%80",  # encoded lone surrogate
        "q=%ff%fe%fd",  # not UTF-8
        "q=%",  # broken percent-encoding
        "q=%zz%4",
        "q=%E2%80%AE%D9%82%D9%88%D8%A7%D8%AA",  # RLO + word
        "q=%00",
        "q=a&q=b",
        "q[]=x",
        "page=abc&q=%D9%82%D9%88%D8%A7%D8%AA",
        "page=-5&q=x",
        "page=99999999999999999999999&q=x",
        "page=1e3&q=x",
        "category[]=x&q=x",
        "from=%ff&to=%00&q=x",
    ],
)
def test_bad_raw_query_strings_never_500(client, news, raw):
    response = client.get(f"{URL}?{raw}")
    assert response.status_code in (200, 400)


def test_long_query_is_truncated_with_notice(client, news):
    response = client.get(URL, {"q": "القوات " * 100})
    html = response.content.decode()
    assert response.status_code == 200
    assert "تم اقتطاع عبارة البحث" in html
    assert news["a"].get_absolute_url() in html
    value = html.split('id="search-q"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    assert len(value) <= MAX_QUERY_LENGTH


def test_empty_and_unsearchable_queries_explain(client, news):
    assert "اكتب كلمة أو أكثر" in client.get(URL).content.decode()
    assert "لم نجد في عبارة البحث كلمات" in client.get(URL, {"q": "ًٌٍ !!"}).content.decode()
    assert "أضف كلمة واحدة على الأقل" in client.get(URL, {"q": "-قوات"}).content.decode()


def test_post_is_refused(client):
    assert client.post(URL, {"q": "x"}).status_code == 405


@pytest.mark.parametrize(
    ("n", "text"),
    [(1000, "عُثر على أكثر من 1000 نتيجة"), (10, "عُثر على أكثر من 10 نتائج")],
)
def test_arabic_count_when_counting_stopped(n, text):
    assert results_count_text(n, more=True) == text


def test_page_says_more_than_when_counting_stopped(client, monkeypatch):
    from akhbar.search.backends import base, sqlite

    for i in range(4):
        factories.article(title=f"موسم الحصاد {i}")
    monkeypatch.setattr(base, "COUNT_LIMIT", 2)
    monkeypatch.setattr(sqlite, "COUNT_LIMIT", 2)
    html = client.get(URL, {"q": "الحصاد"}).content.decode()
    assert "عُثر على أكثر من نتيجتين" in html  # count_phrase: the dual, not "2 نتيجة"


def test_page_says_which_kind_of_match_it_shows(client, news):
    html = client.get(URL, {"q": "القوات العراقية"}).content.decode()
    assert "نتائج تطابق كل الكلمات" in html
    html = client.get(URL, {"q": "القوات الأمريكية في الملعب"}).content.decode()
    assert "نتائج تطابق بعض كلمات البحث" in html
    assert news["a"].get_absolute_url() in html and news["b"].get_absolute_url() in html
    html = client.get(URL, {"q": "القوات"}).content.decode()  # one word: nothing to say
    assert "نتائج تطابق" not in html


def test_questions_find_articles(client, news):
    for q in ["متى دخلت القوات العراقية المدينة؟", "من فاز في مباراة القمة", "كم عدد السكان؟"]:
        html = client.get(URL, {"q": q}).content.decode()
        assert "لم نجد مقالات" not in html, q


def test_did_you_mean_links_the_closest_known_word(client, news):
    html = client.get(URL, {"q": "مباراه القمة الملعبب"}).content.decode()
    assert "هل تقصد" in html and "ملعب" in html.split("هل تقصد", 1)[1][:300]
    assert news["b"].get_absolute_url() in html


def test_no_results_searches_the_suggestion_and_says_so(client, news):
    html = client.get(URL, {"q": "الملعبب"}).content.decode()
    assert "فعرضنا نتائج" in html and "ملعب" in html
    assert news["b"].get_absolute_url() in html
    assert "لم نجد مقالات تطابق بحثك" not in html
    # Nothing close in the vocabulary: the ordinary empty page.
    html = client.get(URL, {"q": "زلزال"}).content.decode()
    assert "فعرضنا نتائج" not in html and "لم نجد مقالات تطابق بحثك" in html


def test_author_filter(client, news):
    writer = factories.author(name="سلمى")
    mine = factories.article(title="المدينة تحتفل", author=writer)
    html = client.get(URL, {"q": "المدينة", "author": writer.slug}).content.decode()
    assert mine.get_absolute_url() in html and news["a"].get_absolute_url() not in html
    html = client.get(URL, {"q": "المدينة", "author": "nobody\x00"}).content.decode()
    assert "الكاتب المختار غير موجود" in html and mine.get_absolute_url() in html


HOSTILE_QUESTIONS = [
    "ما " * 80,  # only stop words, 160+ characters
    "من هو الذي في عن على",  # only question words and fillers
    "؟!،.؛…()[]{}«»",  # only punctuation
    " ".join(f"كلمة{i}" for i in range(40)),  # more than 24 terms
    "متى " + "القوات العراقية في المدينة " * 10,  # 200-character question
    "Iraq القوات 2024 عراق١٢٣ COVID-19",  # Latin / Arabic / digits mixed
    "القوات 😀🔥 العراقية",
    "\u202eالقوات\u202c \u2067العراقية\u2069",
    "القوات\x00العراقية\x00",
    "الملعبب\x00",
]


@pytest.mark.parametrize("q", HOSTILE_QUESTIONS)
def test_hostile_questions_get_a_clear_page_with_bounded_work(
    client, news, q, django_assert_max_num_queries
):
    client.get(URL, {"q": "x"})  # site settings row
    with django_assert_max_num_queries(14):
        response = client.get(URL, {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert "\x00" not in html and "\u202e" not in html
    assert any(s in html for s in ("عُثر على", "لم نجد", "تم اقتطاع", "فعرضنا نتائج", "لم يُعثر")), q
