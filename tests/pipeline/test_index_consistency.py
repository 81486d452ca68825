"""Indexes never disagree with the articles (issue #13, item 10).

* an import interrupted between its batches and its catch-up leaves published articles
  without search entries or fingerprints; the worker's ``index_catch_up`` job (every ten
  minutes, no cron) and ``reindex --missing`` find and index them;
* FTS5's own ``rebuild`` works: its columns are named like its content table's.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from akhbar.importers.wordpress import WordPressImporter
from akhbar.newsroom.models import Article
from akhbar.pipeline.tasks import index_catch_up
from akhbar.related.models import ArticleFingerprint
from akhbar.search.backends import get_backend
from akhbar.search.models import SearchEntry
from akhbar.search.query import parse_query
from tests import factories
from tests.importers.test_import_batches import export

pytestmark = pytest.mark.django_db


class Interrupted(BaseException):
    """Stands for the process being killed between two batches (not an Exception)."""


def test_published_articles_are_searchable_after_an_interrupted_import(tmp_path, monkeypatch):
    path = export(tmp_path / "site.xml", 30)
    importer = WordPressImporter(pause_indexing=True, batch_size=10)
    flush = WordPressImporter._flush_posts
    calls = {"n": 0}

    def flush_then_die(self):
        if self._pending:
            calls["n"] += 1
            if calls["n"] == 3:
                raise Interrupted
        flush(self)

    monkeypatch.setattr(WordPressImporter, "_flush_posts", flush_then_die)
    with pytest.raises(Interrupted):
        importer.import_file(path)
    live = set(Article.objects.published().values_list("pk", flat=True))
    assert len(live) == 20  # two batches committed
    # Indexing was suspended and the catch-up never ran: the gap the audit found.
    assert not SearchEntry.objects.filter(article_id__in=live).exists()

    result = index_catch_up.enqueue()  # what the worker's scheduler runs
    assert result.return_value == {"search": 20, "related": 20}
    assert set(SearchEntry.objects.values_list("article_id", flat=True)) == live
    assert set(ArticleFingerprint.objects.values_list("article_id", flat=True)) >= live
    hits = get_backend().search(parse_query("خبر"), per_page=50).hits
    assert {h.article_id for h in hits} == live


def test_reindex_missing_drops_entries_of_unpublished_articles():
    a, b = factories.article(), factories.article()
    Article.objects.filter(pk=a.pk).update(status=Article.Status.DRAFT)  # no event: bulk
    SearchEntry.objects.filter(article=b).delete()
    call_command("reindex", "--missing", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(SearchEntry.objects.values_list("article_id", flat=True)) == [b.pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's engine")
def test_fts5_rebuild_and_integrity_check_work():
    article = factories.article(title="انخفاض منسوب نهر دجلة")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")
    call_command("reindex", "--native", stdout=open("/dev/null", "w"))  # noqa: SIM115
    hits = get_backend().search(parse_query("دجلة")).hits
    assert [h.article_id for h in hits] == [article.pk]
