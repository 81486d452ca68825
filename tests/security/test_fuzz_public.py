"""Generated hostile input against every public URL pattern, query parameter and form field:
no answer is ever a 5xx. Runs on whichever database the suite uses (CI: SQLite and
PostgreSQL); 1,200 generated requests per run."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from akhbar.comments.forms import sign_timestamp
from akhbar.site.models import Page
from tests import factories as f

pytestmark = pytest.mark.django_db

EXAMPLES = 1200


def public_patterns() -> list[str]:
    """Every URL pattern outside the admin, as route strings (``news/<str:slug>/``)."""
    found: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if not route.startswith("admin/"):
                    walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                found.append(route)

    walk(get_resolver().url_patterns, "")
    return found


PATTERNS = public_patterns()
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
QUERY_KEYS = [
    "q", "page", "p", "cpage", "replytocom", "category", "from", "to", "sort", "page_id", "cat",
    "tag", "author", "s", "m", "feed", "attachment_id", "preview", "utm_source", "r", "format",
]  # fmt: skip
FORM_KEYS = [
    "body", "author_name", "author_email", "author_url", "parent", "remember", "ts", "fax",
    "csrfmiddlewaretoken", "title", "name",
]  # fmt: skip
HOSTILE = [
    "", "0", "-1", "1e999", "99999999999999999999", "²", "١٢", "../../etc/passwd", "%00",
    "<script>alert(1)</script>", "' OR 1=1 --", "\u202e\u200f", "\u200b", "\ufeff", "a" * 5000,
    "2024-02-30", "9999-12-31", "NaN", "[]", "{}", "\\", "%", "%%", "?", "#", "&", "=",
    "фейк", "مقال", "ـــ", "\x7f", "\t\n",
]  # fmt: skip
text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30),
    st.integers(min_value=-(10**22), max_value=10**22).map(str),
)


def fill(route: str, draw, slugs: list[str]) -> str:
    def value(match: re.Match) -> str:
        converter = match.group(1)
        if converter == "int":
            return str(draw(st.one_of(st.integers(0, 10**22), st.sampled_from([1, 2, 3]))))
        raw = draw(st.one_of(st.sampled_from(slugs), text))
        return raw.replace("/", "") if converter in ("str", "slug", None) else raw

    path = PARAM.sub(value, route)
    return "/" + path.lstrip("^").rstrip("$")


@pytest.fixture
def site_data():
    cat = f.category(name="سياسة")
    tag = f.tag(name="انتخابات")
    author = f.author(name="سلمى")
    articles = [f.article(category=cat, tags=[tag], author=author) for _ in range(3)]
    f.comment(article=articles[0])
    Page.objects.create(title="من نحن", slug="about", body="<p>نحن</p>")
    return [cat.slug, tag.slug, author.slug, articles[0].slug, "about", "news", "pages"]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_public_input_gives_a_5xx(site_data, data):
    route = data.draw(st.sampled_from(PATTERNS), label="route")
    path = fill(route, data.draw, site_data)
    query = data.draw(st.dictionaries(st.sampled_from(QUERY_KEYS) | text, text, max_size=4))
    accept = data.draw(st.sampled_from(["text/html", "application/json", "*/*", ""]))
    client = Client(raise_request_exception=False, HTTP_ACCEPT=accept)
    if data.draw(st.booleans(), label="post") and ("post" in route or "hit" in route):
        form = data.draw(st.dictionaries(st.sampled_from(FORM_KEYS), text, max_size=8))
        if data.draw(st.booleans()):
            form["ts"] = sign_timestamp(timezone.now() - timedelta(minutes=1))
        response = client.post(path, form)
    else:
        response = client.get(path, query)
    assert response.status_code < 500, (path, query, response.status_code)
