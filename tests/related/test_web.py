"""The staff-only suggestion endpoint, the admin page and the static script."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.urls import include, path, reverse

from akhbar.related.models import RelatedArticle
from akhbar.urls import urlpatterns as project_urls
from tests import factories

pytestmark = pytest.mark.django_db

# The lead adds this include to akhbar/urls.py; until then the tests mount it themselves.
urlpatterns = [path("admin/related/", include("akhbar.related.urls")), *project_urls]


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw-12345-xyz")
    client.force_login(user)
    return client


@pytest.mark.urls("tests.related.test_web")
def test_suggestions_for_staff(staff):
    factories.tag("البصرة")
    url = reverse("related:tag_suggestions")
    response = staff.post(
        url,
        {
            "title": "انقطاع المياه في البصرة",
            "body": "<p>تفاقمت أزمة المياه في البصرة ومحافظة ذي قار مع ارتفاع الملوحة.</p>",
        },
    )
    assert response.status_code == 200
    labels = {(s["label"], s["kind"]) for s in response.json()["suggestions"]}
    assert ("البصرة", "tag") in labels
    assert ("ذي قار", "place") in labels


@pytest.mark.urls("tests.related.test_web")
@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"data": "{not json", "content_type": "application/json"}, 400),
        ({"data": json.dumps([1, 2]), "content_type": "application/json"}, 400),
        ({"data": json.dumps({"title": 5, "body": []}), "content_type": "application/json"}, 400),
        ({"data": {"title": "", "body": "", "k": "abc"}}, 200),
        ({"data": {"title": "English only", "body": "nothing arabic here at all"}}, 200),
    ],
)
def test_bad_input_is_a_clear_answer(staff, kwargs, status):
    response = staff.post(reverse("related:tag_suggestions"), **kwargs)
    assert response.status_code == status
    assert "suggestions" in response.json() or "error" in response.json()


@pytest.mark.urls("tests.related.test_web")
def test_anonymous_and_non_staff_are_turned_away(client):
    url = reverse("related:tag_suggestions")
    assert client.get(url, {"title": "x"}).status_code == 302
    user = get_user_model().objects.create_user("reader", "r@example.org", "pw-12345-xyz")
    client.force_login(user)
    assert client.post(url, {"title": "x"}).status_code == 302


def test_admin_page_lists_related_items_with_pin_and_exclude(staff):
    cat = factories.category()
    a, b, c = (factories.article(category=cat) for _ in range(3))
    RelatedArticle.objects.create(article=a, related=b, score=0.5)
    RelatedArticle.objects.create(article=a, related=c, score=0.4)
    url = reverse("admin:related_articlerelations_change", args=[a.pk])
    page = staff.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "مثبّت" in html and "مستبعد" in html
    rows = list(RelatedArticle.objects.filter(article=a).order_by("-score"))
    prefix = "related_links"
    data = {
        f"{prefix}-TOTAL_FORMS": "3",
        f"{prefix}-INITIAL_FORMS": "2",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-id": rows[0].pk,
        f"{prefix}-0-article": a.pk,
        f"{prefix}-0-related": b.pk,
        f"{prefix}-0-excluded": "on",
        f"{prefix}-1-id": rows[1].pk,
        f"{prefix}-1-article": a.pk,
        f"{prefix}-1-related": c.pk,
        f"{prefix}-1-pinned": "on",
        f"{prefix}-2-article": a.pk,
    }
    response = staff.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RelatedArticle.objects.get(article=a, related=b).excluded
    assert RelatedArticle.objects.get(article=a, related=c).pinned
    assert staff.get(reverse("admin:related_articlerelations_changelist")).status_code == 200


def test_script_is_served_by_staticfiles():
    assert finders.find("related/tag_suggestions.js")


def test_saving_a_rewrite_of_a_stored_story_warns_the_editor_in_arabic(client):
    """The related app's warning on the newsroom's article form (a mixin it adds itself)."""
    from tests.newsroom.conftest import make_user
    from tests.newsroom.test_admin_input import form_data
    from tests.related.test_services import ORIGINAL, _html, _rewrite

    cat = factories.category()
    original = factories.article(
        title="انخفاض منسوب دجلة إلى أدنى مستوى", body=_html("\n".join(ORIGINAL)), category=cat
    )
    client.force_login(make_user("editor", name="dup-ed"))
    title, body = _rewrite()
    r = client.post(
        "/admin/newsroom/article/add/", form_data(cat, title=title, body=body), follow=True
    )
    assert r.status_code == 200
    page = r.content.decode()
    assert f"يشبه المقال «{original.title}»" in page
