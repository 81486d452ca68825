"""The batch path: same results as one post at a time, a bad post costs only itself.

Posts are written a few hundred per transaction with bulk statements; a batch that fails is
rolled back and redone one post at a time through ``Article.save()``. These tests hold the
batch path to the one-by-one path's results on real exports and to its guarantees.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from akhbar.comments.models import Comment
from akhbar.importers import bulk
from akhbar.importers.models import ImportedItem, LegacyUrl
from akhbar.importers.wordpress import WordPressImporter
from akhbar.newsroom.models import Article, Category, Revision
from tests.importers.conftest import ARABIC, BLOCKS, THEME

pytestmark = pytest.mark.django_db

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>دفعات</title><link>https://batch.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://batch.example.org</wp:base_site_url>
<wp:base_blog_url>https://batch.example.org</wp:base_blog_url>
"""
BAD = "BAD-ITEM"


def export(path: Path, posts: int, bad: int | None = None) -> Path:
    """A small export: ``posts`` posts with two comments each (one a reply)."""
    items = []
    for p in range(1, posts + 1):
        title = f"{BAD} {p}" if p == bad else f"خبر رقم {p}"
        c1, c2 = 2 * p - 1, 2 * p
        comments = "".join(
            f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
            f"<wp:comment_author>قارئ {cid}</wp:comment_author>"
            f"<wp:comment_date_gmt>2024-01-02 10:{cid % 60:02d}:00</wp:comment_date_gmt>"
            f"<wp:comment_content>تعليق {cid}</wp:comment_content>"
            f"<wp:comment_approved>1</wp:comment_approved>"
            f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
            for cid, parent in ((c1, 0), (c2, c1))
        )
        items.append(
            f"<item><title>{title}</title>"
            f"<link>https://batch.example.org/2024/01/news-{p}/</link>"
            f"<dc:creator>writer</dc:creator><guid>https://batch.example.org/?p={p}</guid>"
            f"<content:encoded><![CDATA[<p>نص الخبر {p}</p>]]></content:encoded>"
            f"<wp:post_id>{p}</wp:post_id><wp:post_date_gmt>2024-01-01 08:00:00</wp:post_date_gmt>"
            f"<wp:post_name>news-{p}</wp:post_name><wp:status>publish</wp:status>"
            f"<wp:post_type>post</wp:post_type>"
            f'<category domain="category" nicename="local">محلي</category>'
            f'<category domain="post_tag" nicename="t{p % 3}">وسم {p % 3}</category>'
            f"{comments}</item>\n"
        )
    path.write_text(HEAD + "".join(items) + "</channel></rss>\n", encoding="utf-8")
    return path


@pytest.fixture
def reject_bad_titles():
    """A database trigger that refuses one article, as a real database error would."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER reject_bad BEFORE INSERT ON newsroom_article "
                f"WHEN NEW.title LIKE '{BAD}%' BEGIN SELECT RAISE(ABORT, 'bad item'); END"
            )
        elif vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION reject_bad() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.title LIKE '{BAD}%' THEN RAISE EXCEPTION 'bad item'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER reject_bad BEFORE INSERT ON newsroom_article "
                "FOR EACH ROW EXECUTE FUNCTION reject_bad()"
            )
        else:  # pragma: no cover
            pytest.skip(f"no trigger recipe for {vendor}")
    yield


def snapshot(report: Any) -> dict[str, Any]:
    """Everything an import leaves behind, keyed by what does not depend on row ids."""
    records = {
        (r.content_type.model if r.content_type else None, r.object_id): (r.kind, r.key)
        for r in ImportedItem.objects.select_related("content_type")
    }

    def ref(model: str, pk: int | None) -> Any:
        return records.get((model, pk), pk and (model, "unrecorded"))

    # Extra categories become tags named after the category's pk; PostgreSQL sequences do
    # not roll back with the first import, so name them by the category's slug instead.
    categories = dict(Category.objects.values_list("pk", "slug"))

    def named(text: Any) -> Any:
        if not isinstance(text, str):
            return text
        return re.sub(
            r"(?<![\w-])category-(\d+)(?![\w-])",
            lambda m: f"category-{categories.get(int(m[1]), m[1])}",
            text,
        )

    articles = {}
    for a in Article.objects.select_related("author", "category").prefetch_related("tags"):
        articles[a.slug] = (
            a.title, a.body, a.excerpt, a.status, a.published_at, a.created_at,
            a.went_live_at, a.is_featured, a.comments_open, a.reading_minutes,
            a.content_updated_at, a.author.slug if a.author else None, a.category.slug,
            sorted(named(t.slug) for t in a.tags.all()), a.image_caption, a.image_alt,
            [(r.title, r.excerpt, r.body) for r in a.revisions.all()],
        )  # fmt: skip
    comments = sorted(
        (
            ref("comment", c.pk),
            c.article.slug,
            ref("comment", c.parent_id),
            c.depth,
            c.author_name,
            c.author_email,
            c.body,
            c.status,
            c.created_at,
            c.ip_address,
        )
        for c in Comment.objects.select_related("article")
    )
    items = sorted(
        (r.kind, named(r.key), r.wp_id, r.guid, r.old_permalink, r.data, r.needs_linking)
        for r in ImportedItem.objects.all()
    )
    urls = {}
    for u in LegacyUrl.objects.select_related(*LegacyUrl.TARGETS):
        target = u.target
        urls[named(u.old_path)] = (type(target).__name__, named(getattr(target, "slug", None)))
    return {
        "articles": articles,
        "comments": comments,
        "items": items,
        "urls": urls,
        "created": dict(report.created),
        "updated": dict(report.updated),
        "skipped": dict(report.skipped),
        "errors": sorted(report.errors),
        "warnings": sorted(report.warnings),
    }


def import_both_ways(path: Path, batch_size: int = 7) -> tuple[dict, dict]:
    """Import one post at a time (then roll back), then in batches; snapshots of both."""
    with transaction.atomic():
        one_by_one = snapshot(WordPressImporter(batch_size=1).import_file(path))
        transaction.set_rollback(True)
    assert Article.objects.count() == 0
    batched = snapshot(WordPressImporter(batch_size=batch_size).import_file(path))
    return one_by_one, batched


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(THEME, id="theme", marks=pytest.mark.shared),
        pytest.param(BLOCKS, id="blocks", marks=pytest.mark.shared),
        pytest.param(ARABIC, id="arabic"),
    ],
)
def test_batches_give_the_same_result_as_one_by_one(path):
    one_by_one, batched = import_both_ways(path)
    assert batched["articles"]  # the comparison is not vacuous
    for part in one_by_one:
        assert batched[part] == one_by_one[part], part


@pytest.mark.shared
def test_rerun_in_batches_updates_instead_of_duplicating():
    first = WordPressImporter().import_file(THEME)
    counts = (
        Article.objects.count(),
        Comment.objects.count(),
        Revision.objects.count(),
        ImportedItem.objects.count(),
        LegacyUrl.objects.count(),
    )
    before = snapshot(first)
    again = WordPressImporter().import_file(THEME)
    assert again.errors == []
    assert again.created.get("post", 0) == 0 and again.created.get("comment", 0) == 0
    assert again.updated["post"] == first.created["post"]
    assert again.updated["comment"] == first.created["comment"]
    # Same words, so no new revision; nothing doubled anywhere.
    assert (
        Article.objects.count(),
        Comment.objects.count(),
        Revision.objects.count(),
        ImportedItem.objects.count(),
        LegacyUrl.objects.count(),
    ) == counts
    after = snapshot(again)
    for part in ("articles", "comments", "items", "urls"):
        assert after[part] == before[part], part


def test_a_bad_post_in_a_batch_is_reported_and_the_rest_imported(tmp_path, reject_bad_titles):
    path = export(tmp_path / "export.xml", posts=30, bad=12)
    report = WordPressImporter(batch_size=10).import_file(path)
    assert report.ok
    assert report.created["post"] == 29
    assert report.created["comment"] == 58
    assert len(report.errors) == 1 and report.errors[0].startswith("post 12:")
    assert report.skipped[("post", "error")] == 1
    assert Article.objects.count() == 29
    assert not Article.objects.filter(title__startswith=BAD).exists()
    # Nothing of the bad post was half-written: no comments, bookkeeping rows or old URLs.
    assert not ImportedItem.objects.filter(kind="post", key="12").exists()
    assert not ImportedItem.objects.filter(kind="comment", key__in=["23", "24"]).exists()
    assert not LegacyUrl.objects.filter(old_path="?p=12").exists()
    # Its batch neighbours are complete, threads included.
    neighbour = Article.objects.get(slug="news-11")
    assert neighbour.comments.count() == 2
    assert neighbour.comments.filter(depth=1, parent__isnull=False).count() == 1
    assert sorted(neighbour.tags.values_list("slug", flat=True)) == ["t2"]
    assert neighbour.revisions.count() == 1
    assert Comment.objects.count() == 58


def test_batches_take_far_fewer_queries(tmp_path):
    """With indexing paused (what the command does), a batch costs a fixed few statements."""
    path = export(tmp_path / "export.xml", posts=40)
    with bulk.paused_indexing(), CaptureQueriesContext(connection) as batched:
        WordPressImporter(batch_size=40).import_file(path)
    assert Article.objects.count() == 40
    # The per-item path needed about 16 statements per post (640 here).
    assert len(batched.captured_queries) < 80, len(batched.captured_queries)
