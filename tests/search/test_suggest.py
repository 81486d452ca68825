"""As-you-type suggestions: the JSON endpoint, its matching, caching and bad input."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from akhbar.search import suggest as suggest_module
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/search/suggest/"


@pytest.fixture(autouse=True)
def _fresh_names():
    suggest_module.clear_cache()
    yield
    suggest_module.clear_cache()


@pytest.fixture
def energy():
    section = factories.category(name="الطاقة")
    tag = factories.tag(name="الطاقة الشمسية")
    old = factories.article(
        title="محطة للطاقة الشمسية قرب البلدة",
        category=section,
        tags=[tag],
        published_at=timezone.now() - timedelta(days=2),
    )
    new = factories.article(title="أسعار الطاقة ترتفع", category=section)
    factories.article(title="مباراة كرة القدم", body="<p>الطاقة البدنية.</p>")
    factories.article(title="الطاقة في المستقبل", published_at=timezone.now() + timedelta(days=1))
    return {"section": section, "tag": tag, "old": old, "new": new}


def get(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)["items"]


def test_sections_tags_then_newest_headlines(client, energy):
    items = get(client, "الطا")
    kinds = [i["kind"] for i in items]
    assert kinds[:2] == ["section", "tag"]
    headlines = [i["url"] for i in items if i["kind"] == "headline"]
    # Newest first, title matches only, never a scheduled article.
    assert headlines == [energy["new"].get_absolute_url(), energy["old"].get_absolute_url()]
    assert items[0] == {
        "kind": "section",
        "label": "الطاقة",
        "url": energy["section"].get_absolute_url(),
    }


@pytest.mark.parametrize("q", ["طاق", "الطاق", "الطاقه", "  طاقة ", "الـطـا"])
def test_prefix_is_normalised_with_or_without_the_article(client, energy, q):
    urls = [i["url"] for i in get(client, q)]
    assert energy["new"].get_absolute_url() in urls, q
    assert energy["section"].get_absolute_url() in urls, q


def test_earlier_words_must_be_in_the_headline(client, energy):
    urls = [i["url"] for i in get(client, "محطة الشم")]
    assert urls == [energy["old"].get_absolute_url()]


def test_at_most_eight_items(client):
    for i in range(15):
        factories.article(title=f"الانتخابات البلدية {i}")
    assert len(get(client, "الانت")) == 8


def test_response_is_cacheable_like_pages(client, energy, django_assert_max_num_queries):
    response = client.get(URL, {"q": "الطا"})
    assert "public" in response["Cache-Control"] and "s-maxage" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
    with django_assert_max_num_queries(0):
        again = client.get(URL, {"q": "الطا"})  # the server's copy, until content changes
    assert again.content == response.content
    factories.article(title="الطاقة النظيفة")  # a save bumps the content generation
    assert len(get(client, "الطا")) > len(json.loads(response.content)["items"])


@pytest.mark.parametrize(
    "q",
    ["", "ا", " ", "%", "\x00", "ال", "😀", "\u202eالطا", "' OR 1=1 --", "طا" * 500, "*", '"'],
)
def test_bad_input_gives_an_empty_or_normal_list(client, energy, q, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        items = get(client, q)
    assert len(items) <= 8


def test_post_refused(client):
    assert client.post(URL, {"q": "x"}).status_code == 405


def test_names_follow_a_rename_at_once(client, energy, django_capture_on_commit_callbacks):
    """Sections and tags are held in memory per process, but only until content changes: a
    renamed section is suggested under its new name (and URL) on the next keystroke."""
    assert get(client, "الطا")[0]["label"] == "الطاقة"
    section = energy["section"]
    section.name = "الطاقات المتجددة"
    with django_capture_on_commit_callbacks(execute=True):
        section.save()
    first = get(client, "الطا")[0]
    assert first == {
        "kind": "section",
        "label": "الطاقات المتجددة",
        "url": section.get_absolute_url(),
    }
