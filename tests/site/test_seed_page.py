"""The seed page (a real WordPress news article, read in place from ../shared/seed/) imported as
a normal Article and rendered by Akhbar: every part a reader saw there must be on our page."""

from __future__ import annotations

import html as html_lib

import pytest

from akhbar.newsroom.models import Article
from akhbar.site.models import SiteSettings
from tests import factories as f
from tests.conftest import SHARED

SEED_DIR = SHARED / "seed"
pytestmark = [pytest.mark.django_db, pytest.mark.shared]


@pytest.fixture
def seed_article() -> Article:
    files = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.exists() else []
    if not files:
        pytest.skip(f"seed page not found in {SEED_DIR}")
    lines = [line.strip() for line in files[0].read_text(encoding="utf-8").splitlines()]
    title = lines[0]
    body_lines = []
    for line in lines[1:]:
        if line == "اظهر المزيد":
            break
        if line:
            body_lines.append(line)
    SiteSettings.objects.update_or_create(pk=1, defaults={"copyright_holder": "Ta4a.net"})
    a = f.article(
        title=title,
        slug="seed",
        body="".join(f"<p>{html_lib.escape(p)}</p>" for p in body_lines),
        category=f.category("العراق"),
    )
    f.article(title="خبر آخر من العراق", category=a.category)
    a.seed_paragraphs = body_lines
    return a


def test_seed_article_renders_with_every_part(client, seed_article):
    response = client.get(seed_article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert f'<h1 id="article-title" class="article__title">{seed_article.title}</h1>' in page
    for paragraph in seed_article.seed_paragraphs:
        assert html_lib.escape(paragraph) in page  # the whole body, even the collapsed part
    for part in [
        "أظهر المزيد",
        "مقالات ذات صلة",
        "خبر آخر من العراق",
        "اترك تعليقاً",
        "لن يتم نشر عنوان بريدك الإلكتروني",
        "الحقول الإلزامية مشار إليها بـ",
        "تعرّف على كيفية معالجة بيانات تعليقك",
        'aria-label="زر الذهاب إلى الأعلى"',
        "© ",
        "Ta4a.net",
    ]:
        assert part in page, part
    for field in ["author_name", "author_email", "author_url", "body"]:
        assert f'name="{field}"' in page
