from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from akhbar.newsroom.models import Article
from akhbar.search.backends import get_backend
from akhbar.search.models import SearchEntry
from akhbar.search.query import parse_query
from tests import factories

pytestmark = pytest.mark.django_db


def found(q: str) -> list[int]:
    return [h.article_id for h in get_backend().search(parse_query(q), None, 1, 50).hits]


@pytest.mark.parametrize(
    "extra",
    [
        [],
        ["--clear"],
        ["--no-progress", "--batch-size", "2"],
        ["--workers", "2", "--batch-size", "2"],
    ],
)
def test_reindex_repairs_index_after_bulk_writes(extra):
    keep = [factories.article(title=f"ميناء العاصمة {i}") for i in range(5)]
    gone = factories.article(title="ميناء مغلق")
    Article.objects.filter(pk=gone.pk).update(status=Article.Status.DRAFT)  # no signal
    Article.objects.filter(pk=keep[0].pk).update(title="مطار العاصمة")
    SearchEntry.objects.filter(pk=keep[1].pk).delete()
    out = StringIO()
    call_command("reindex", *extra, stdout=out)
    assert "Indexed 5 articles" in out.getvalue()
    assert set(found("ميناء")) == {a.pk for a in keep[1:]}
    assert found("مطار") == [keep[0].pk]
    assert SearchEntry.objects.count() == 5


def test_reindex_rejects_bad_batch_size():
    with pytest.raises(SystemExit):
        call_command("reindex", "--batch-size", "0", stdout=StringIO(), stderr=StringIO())


def test_reindex_shows_progress_lines_off_a_terminal_and_ends_with_one_summary_line():
    for i in range(3):
        factories.article(title=f"ميناء {i}")
    out, err = StringIO(), StringIO()
    call_command("reindex", stdout=out, stderr=err)
    assert err.getvalue().splitlines() == ["Indexing articles: 3/3 (100%)"]
    assert len(out.getvalue().splitlines()) == 1
    assert out.getvalue().startswith("Indexed 3 articles in ")

    out, err = StringIO(), StringIO()
    call_command("reindex", "--no-progress", stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert out.getvalue().startswith("Indexed 3 articles in ")
