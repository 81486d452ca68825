"""The front page has no holes, whatever the number of stories (1 to 100): every row of every
list of stories is filled from edge to edge, at phone, tablet and desktop widths."""

from __future__ import annotations

import pytest

from akhbar.newsroom.models import Article
from tests import factories as f
from tests.site.browser_checks import probe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each list of stories (and the top of the page): the rows its children form, and how much
# of the row's width they leave empty beyond the gaps between them.
ROW_GAPS_JS = probe("row_gaps.js")


@pytest.mark.parametrize("width", [360, 768, 1366])
def test_no_gaps_for_1_to_100_stories(live_server, page_factory, width):
    sections = [f.category(name) for name in ("سياسة", "اقتصاد", "رياضة", "ثقافة", "صحة")]
    columnist = f.author("كاتبة الرأي")
    page = page_factory(width=width, height=900)
    made = 0
    for count in (1, 2, 3, 4, 5, 7, 10, 13, 20, 33, 100):
        while made < count:
            f.article(
                title=f"خبر رقم {made + 1} عن المدينة",
                category=sections[made % len(sections)],
                is_featured=made % 9 == 0,
                is_breaking=made % 17 == 0,
                is_opinion=made % 11 == 5,
                author=columnist if made % 11 == 5 else None,
            )
            made += 1
        Article.objects.filter(pk__in=Article.objects.values("pk")[:6]).update(view_count=50)
        page.goto(live_server.url + "/")
        assert page.locator(".teaser").count() >= 1
        problems = page.evaluate(ROW_GAPS_JS)
        assert problems == [], (count, width, problems)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (count, width, overflow)
