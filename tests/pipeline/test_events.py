"""Every writer emits one typed event per change, after commit, through akhbar.core.events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from akhbar.comments import services as comment_services
from akhbar.comments.models import Comment
from akhbar.core import events
from akhbar.newsroom import services
from akhbar.newsroom.models import Article
from akhbar.search.models import SearchEntry
from akhbar.site.models import SiteSettings
from tests import factories
from tests.newsroom.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen():
    got: list[events.Event] = []
    events.subscribe(events.Event, got.append, name="test-recorder")
    yield got
    events.unsubscribe(events.Event, name="test-recorder")


def kinds(got):
    return [type(e).__name__ for e in got]


def test_publish_edit_unpublish_delete_each_emit_one_event_with_payload(seen):
    editor = make_user("editor", name="ed")
    cat, tag = factories.category(), factories.tag()
    seen.clear()
    article = Article(title="خبر أول", body="<p>نص الخبر.</p>", category=cat)
    services.save_article(article, editor, tags=[tag])
    assert kinds(seen) == ["ArticleSaved"]  # a draft: nothing public yet
    seen.clear()

    services.publish(article, editor)
    assert kinds(seen) == ["ArticlePublished"]
    published = seen[0]
    assert published.article_id == article.pk
    assert published.category_ids == (cat.pk,)
    assert published.tag_ids == (tag.pk,)
    assert published.slugs == (article.slug,)
    assert published.actor_id == editor.pk
    seen.clear()

    article.save()  # nothing changed: nobody needs to hear of it
    assert seen == []

    other = factories.category()
    seen.clear()
    article.title = "خبر أول (محدّث)"
    article.category = other
    services.save_article(article, editor)
    assert kinds(seen) == ["ArticleUpdated"]
    assert {"title", "category_id"} <= seen[0].fields
    assert set(seen[0].category_ids) == {cat.pk, other.pk}  # both section pages change
    seen.clear()

    services.unpublish(article, editor)
    assert kinds(seen) == ["ArticleUnpublished"]
    seen.clear()

    services.publish(article, editor)
    seen.clear()
    pk = article.pk
    services.delete_article(article, editor)
    assert kinds(seen) == ["ArticleDeleted"]
    assert seen[0].article_id == pk and seen[0].was_live


def test_nothing_is_delivered_for_a_rolled_back_transaction(seen):
    cat = factories.category()
    seen.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.create(title="لن يُنشر", category=cat, status=Article.Status.PUBLISHED)
        raise RuntimeError("the editor's connection dropped")
    assert seen == []
    assert not Article.objects.filter(title="لن يُنشر").exists()


def test_events_wait_for_the_outermost_commit(seen):
    cat = factories.category()
    seen.clear()
    with transaction.atomic():
        factories.article(category=cat)
        assert seen == []  # not yet: the transaction may still roll back
    assert kinds(seen) == ["ArticlePublished"]


def test_scheduled_article_is_heard_of_once_when_its_time_comes(seen):
    editor = make_user("editor", name="ed")
    article = Article(title="خبر مجدول", body="<p>نص.</p>", category=factories.category())
    seen.clear()
    services.save_article(article, editor)
    seen.clear()
    when = timezone.now() + timedelta(minutes=10)
    services.schedule(article, editor, when)
    assert kinds(seen) == ["ArticleSaved"] and seen[0].scheduled_at == when
    seen.clear()
    assert services.publish_due() == []
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now())
    assert [a.pk for a in services.publish_due()] == [article.pk]
    assert services.publish_due() == []
    assert kinds(seen) == ["ArticlePublished"]


def test_comments_approved_and_removed(seen):
    article = factories.article()
    seen.clear()
    comment = factories.comment(article, status=Comment.Status.PENDING)
    assert seen == []  # held for moderation: readers see nothing
    comment_services.moderate([comment], Comment.Status.APPROVED)
    assert kinds(seen) == ["CommentApproved"]
    assert (seen[0].comment_id, seen[0].article_id) == (comment.pk, article.pk)
    seen.clear()
    comment_services.moderate([comment], Comment.Status.SPAM)
    assert kinds(seen) == ["CommentRemoved"]
    seen.clear()
    comment.delete()  # was not visible any more: nothing to remove
    assert seen == []


def test_taxonomy_rename_only_when_renamed_and_suspended_search_is_untouched(seen):
    from akhbar.search import indexing

    cat = factories.category(name="اقتصاد")
    a = factories.article(category=cat)
    seen.clear()
    cat.save()
    assert seen == []  # unchanged: no event, no reindex
    cat.position = 3
    cat.save()
    assert kinds(seen) == ["TaxonomyChanged"]
    seen.clear()
    before = SearchEntry.objects.get(article=a).body_terms
    with indexing.suspended() as suspension:
        cat.name = "المال والأعمال"
        cat.save()
    assert kinds(seen) == ["TaxonomyRenamed"]
    assert SearchEntry.objects.get(article=a).body_terms == before  # suspended: untouched
    assert suspension.ids == {a.pk}
    indexing.catch_up(suspension.ids)
    assert SearchEntry.objects.get(article=a).body_terms != before


def test_site_settings_change_but_not_their_first_creation(seen):
    settings_row = SiteSettings.current()
    assert seen == []
    settings_row.site_name = "صحيفة الاختبار"
    settings_row.save()
    assert kinds(seen) == ["SiteSettingsChanged"]


def test_batch_write_path_delivers_one_batch_to_batch_subscribers():
    batches: list[tuple] = []
    events.subscribe(events.ArticlePublished, batches.append, name="test-batch", batch=True)
    try:
        cat = factories.category()
        items = [
            (Article(title=f"خبر {i}", body="<p>نص.</p>", category=cat,
                     status=Article.Status.PUBLISHED), [])
            for i in range(5)
        ]  # fmt: skip
        with transaction.atomic():
            services.save_many(items)
    finally:
        events.unsubscribe(events.ArticlePublished, name="test-batch")
    assert len(batches) == 1 and len(batches[0]) == 5
    # Same meaning as a single save: slugs, excerpt, revision, searchable.
    for article, _ in items:
        article.refresh_from_db()
        assert article.slug and article.excerpt == "نص."
        assert article.revisions.count() == 1
        assert SearchEntry.objects.filter(article=article).exists()


def test_no_app_reaches_into_another_apps_receivers():
    """Bulk work pauses indexing through public switches only (criterion 2 of #14): nobody
    disconnects receivers or sends model signals by hand. (Apps may still use Django
    signals for their *own* models, e.g. the audit log of user changes.)"""
    from tests.conftest import REPO

    offenders = []
    for path in (REPO / "akhbar").rglob("*.py"):
        text = path.read_text()
        if any(s in text for s in (".disconnect(", "post_save.send", "m2m_changed.send")):
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


def test_batched_block_delivers_its_events_as_one_batch_without_rolled_back_ones(seen):
    """Wire ingest saves item by item through the single write path, a savepoint each, in
    one transaction: batch subscribers hear of the delivery once; an item whose savepoint
    rolled back takes its events with it; plain subscribers still get one call per event."""
    batches: list[tuple] = []
    events.subscribe(events.ArticlePublished, batches.append, name="test-batch", batch=True)
    cat = factories.category()
    seen.clear()
    try:
        with events.batched(), transaction.atomic():
            for i in range(3):
                try:
                    with transaction.atomic():
                        factories.article(title=f"خبر {i}", category=cat)
                        if i == 1:
                            raise ValueError("a bad item")
                except ValueError:
                    pass
            with events.batched():  # a nested block joins the outer one
                factories.article(title="خبر 3", category=cat)
            assert batches == [] and seen == []  # nothing before the commit
    finally:
        events.unsubscribe(events.ArticlePublished, name="test-batch")
    titles = dict(Article.objects.values_list("pk", "title"))
    assert sorted(titles.values()) == ["خبر 0", "خبر 2", "خبر 3"]
    assert len(batches) == 1
    assert sorted(titles[e.article_id] for e in batches[0]) == ["خبر 0", "خبر 2", "خبر 3"]
    assert kinds(seen) == ["ArticlePublished"] * 3


def test_batched_block_that_rolls_back_delivers_nothing(seen):
    cat = factories.category()
    seen.clear()
    with pytest.raises(RuntimeError), events.batched(), transaction.atomic():
        factories.article(category=cat)
        raise RuntimeError("the delivery failed")
    assert seen == []
    # Outside any block again: events are delivered one by one, as before.
    factories.article(category=cat)
    assert kinds(seen) == ["ArticlePublished"]


def test_page_cache_generation_moves_for_what_readers_see_once_per_batch(monkeypatch):
    from akhbar.newsroom.models import Author
    from akhbar.site import cache as site_cache

    cat = factories.category()
    before = site_cache.content_version()
    draft = Article(title="مسودة", body="<p>نص.</p>", category=cat)
    services.save_article(draft, None, check=False)
    assert site_cache.content_version() == before  # a draft: no reader sees it
    bumps: list[str] = []
    original = site_cache.cache.set  # Django's cache: count the writes of the generation key

    def counting_set(key, *args, **kwargs):
        if key == site_cache.VERSION_KEY:
            bumps.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(site_cache.cache, "set", counting_set)
    # A delivery mixing kinds of events (a new article, a new author) bumps once.
    with events.batched(), transaction.atomic():
        factories.article(category=cat)
        Author.objects.create(display_name="مراسل جديد")
    assert len(bumps) == 1 and site_cache.content_version() != before
