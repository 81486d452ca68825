"""Related articles stored and served through the real database, hooks included."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from akhbar.newsroom import services as newsroom_services
from akhbar.newsroom.models import Article
from akhbar.related import services
from akhbar.related.models import ArticleFingerprint, NearDuplicate, RelatedArticle
from tests import factories
from tests.related_quality.evaluate import load_stories

pytestmark = pytest.mark.django_db

STORIES = ("iraq-elections", "basra-water", "iraq-sandstorm", "egypt-rates")


@pytest.fixture(autouse=True)
def _fresh_index():
    services.reset_index()
    yield
    services.reset_index()


def _html(body: str) -> str:
    return "".join(f"<p>{line}</p>" for line in body.split("\n"))


@pytest.fixture
def newsroom(django_capture_on_commit_callbacks):
    """Four sub-stories from the evaluation set, published through the real save hooks."""
    categories: dict[str, object] = {}
    tags: dict[str, object] = {}
    by_story: dict[str, list[Article]] = {}
    now = timezone.now()
    docs = [d for d in load_stories() if d.group in STORIES]
    newest = max(d.ts for d in docs)
    with django_capture_on_commit_callbacks(execute=True):
        for d in docs:
            cat = categories.get(d.category) or factories.category(d.category)
            categories[d.category] = cat
            article = factories.article(
                title=d.title,
                body=_html(d.body),
                category=cat,
                published_at=now - timedelta(seconds=newest - d.ts) - timedelta(hours=1),
                tags=[
                    tags[t] if t in tags else tags.setdefault(t, factories.tag(t)) for t in d.tags
                ],
            )
            by_story.setdefault(d.group, []).append(article)
    return by_story


def _story_of(newsroom, article_id: int) -> str:
    return next(s for s, items in newsroom.items() if any(a.pk == article_id for a in items))


def test_publishing_computes_related_articles_of_the_same_story(newsroom):
    hits = total = 0
    for story, items in newsroom.items():
        for article in items:
            related = services.related_for(article, 4)
            assert article.pk not in {r.pk for r in related}
            assert len(related) == 4
            hits += sum(_story_of(newsroom, r.pk) == story for r in related)
            total += 4
    assert hits / total >= 0.85, hits / total


def test_related_for_uses_at_most_two_queries(newsroom, django_assert_max_num_queries):
    article = newsroom["basra-water"][0]
    with django_assert_max_num_queries(2):
        related = services.related_for(article, 4)
        [r.category.name for r in related]  # everything the template shows is loaded


def test_fallback_is_same_category_newest_first_before_any_computation():
    cat = factories.category()
    with services.suspended():  # nothing computed yet (as during a bulk import)
        a = factories.article(category=cat)
        b = factories.article(category=cat, published_at=timezone.now() - timedelta(days=1))
        c = factories.article(category=cat, published_at=timezone.now() - timedelta(days=2))
        factories.article()  # another category
    assert not RelatedArticle.objects.exists()
    assert [r.pk for r in services.related_for(a, 4)] == [b.pk, c.pk]


def test_never_unpublished_scheduled_or_itself(newsroom, django_capture_on_commit_callbacks):
    items = newsroom["iraq-elections"]
    target = items[0]
    with django_capture_on_commit_callbacks(execute=True):
        items[1].status = Article.Status.DRAFT
        items[1].save()
        items[2].published_at = timezone.now() + timedelta(days=2)  # scheduled
        items[2].save()
        target.title = target.title + " (محدث)"
        target.save()
    shown = {r.pk for r in services.related_for(target, 8)}
    assert target.pk not in shown
    assert items[1].pk not in shown
    assert items[2].pk not in shown


def test_pinned_first_excluded_never_and_both_survive_recomputation(newsroom):
    article = newsroom["egypt-rates"][0]
    outsider = newsroom["iraq-sandstorm"][-1]
    unwanted = services.related_for(article, 4)[0]
    RelatedArticle.objects.update_or_create(
        article=article, related=outsider, defaults={"pinned": True}
    )
    RelatedArticle.objects.filter(article=article, related=unwanted).update(excluded=True)
    services.compute_related(article)
    call_command("related", "--rebuild", verbosity=0)
    shown = services.related_for(article, 4)
    assert shown[0].pk == outsider.pk
    assert unwanted.pk not in {r.pk for r in shown}
    assert len(shown) == 4


def test_new_article_joins_the_lists_of_older_articles(
    newsroom, django_capture_on_commit_callbacks
):
    older = newsroom["iraq-sandstorm"][0]
    with django_capture_on_commit_callbacks(execute=True):
        fresh = factories.article(
            title="عاصفة ترابية جديدة تغلق مطار بغداد وحالات اختناق في المستشفيات",
            body="<p>أغلق مطار بغداد الدولي مجدداً بسبب عاصفة ترابية كثيفة.</p>"
            "<p>وسجلت المستشفيات مئات حالات الاختناق وضيق التنفس في بغداد والأنبار.</p>",
            category=older.category,
            published_at=timezone.now() - timedelta(minutes=5),
        )
    assert fresh.pk in {r.pk for r in services.related_for(older, 4)}


def test_rebuild_command_matches_incremental_results(newsroom):
    article = newsroom["basra-water"][2]
    before = [r.pk for r in services.related_for(article, 4)]
    RelatedArticle.objects.all().delete()
    ArticleFingerprint.objects.all().delete()
    services.reset_index()
    call_command("related", "--rebuild", verbosity=0)
    after = {r.pk for r in services.related_for(article, 4)}
    # Incremental lists were scored with the IDF of their day; the rebuild uses today's.
    assert len(set(before) & after) >= 3, (before, after)
    assert ArticleFingerprint.objects.count() == Article.objects.count()


def test_command_rejects_bad_arguments():
    with pytest.raises(CommandError):
        call_command("related")
    with pytest.raises(CommandError):
        call_command("related", "--article", "999999")
    with pytest.raises(CommandError):
        call_command("related", "--rebuild", "--chunk", "0")


def test_other_process_changes_are_picked_up(newsroom):
    """A fingerprint written elsewhere (no hook ran here) reaches this process's index."""
    services.get_index()  # loaded now
    article = newsroom["egypt-rates"][1]
    other = factories.article(
        title="المركزي المصري يرفع الفائدة مجدداً والجنيه يتراجع",
        body="<p>رفع البنك المركزي المصري أسعار الفائدة مرة أخرى لمواجهة التضخم.</p>"
        "<p>وتراجع الجنيه أمام الدولار في البنوك.</p>",
        category=article.category,
    )
    services.store_fingerprint(other)
    ranked = services.compute_related(article, cascade=False)
    assert other.pk in {rid for rid, _ in ranked}


def test_tag_change_recomputes(newsroom, django_capture_on_commit_callbacks):
    article = newsroom["egypt-rates"][0]
    tag = factories.tag("وسم جديد تماماً")
    with django_capture_on_commit_callbacks(execute=True):
        newsroom_services.set_tags(article, [*article.tags.all(), tag])
    terms = ArticleFingerprint.objects.get(article=article).terms
    assert f"#t:{tag.pk}" in terms


# --- Near-duplicates -------------------------------------------------------------------------

ORIGINAL = [
    "أعلنت وزارة الموارد المائية أن منسوب نهر دجلة انخفض إلى أدنى مستوى منذ عقود بسبب قلة الأمطار.",
    "وقال المتحدث باسم الوزارة إن الخزين المائي في السدود لا يكفي لموسم الصيف المقبل.",
    "ودعت الوزارة المزارعين إلى تقليص المساحات المزروعة بالأرز واعتماد الري بالتنقيط.",
    "ويحذر خبراء من أن استمرار الجفاف سيؤدي إلى هجرة واسعة من الريف إلى المدن.",
]


def _rewrite() -> tuple[str, str]:
    """Same story: new headline, paragraphs reordered, tashkeel added."""
    paragraphs = [ORIGINAL[2], ORIGINAL[0], ORIGINAL[3], ORIGINAL[1]]
    paragraphs[0] = paragraphs[0].replace("المزارعين", "المُزارِعين").replace("الري", "الرَّي")
    paragraphs[1] = paragraphs[1].replace("منسوب", "مَنسُوب")
    return "دجلة في أدنى مستوياته والوزارة تطلب تقليص زراعة الأرز", _html("\n".join(paragraphs))


def test_rewritten_story_is_flagged_and_other_stories_are_not(
    newsroom, django_capture_on_commit_callbacks
):
    cat = factories.category()
    with django_capture_on_commit_callbacks(execute=True):
        original = factories.article(
            title="انخفاض منسوب دجلة إلى أدنى مستوى", body=_html("\n".join(ORIGINAL)), category=cat
        )
        title, body = _rewrite()
        copy = factories.article(title=title, body=body, category=cat)
    found = services.find_near_duplicates(copy)
    assert [a.pk for a, _ in found] == [original.pk]
    assert found[0][1] >= 0.8
    assert NearDuplicate.objects.filter(article=copy, duplicate_of=original).exists()
    # the importer's API: plain text, or (title, body)
    assert services.find_near_duplicates(body)[0][0].pk in {original.pk, copy.pk}
    assert services.find_near_duplicates(("عنوان آخر", "\n".join(ORIGINAL)))
    # a near-duplicate is never offered as "related"
    assert original.pk not in {r.pk for r in services.related_for(copy, 8)}
    # articles of one sub-story are related, not duplicates
    for story in newsroom.values():
        for article in story:
            assert services.find_near_duplicates(article) == []
    warnings = services.near_duplicate_warnings(copy)
    assert len(warnings) == 1 and "يشبه" in warnings[0]


def test_same_topic_different_story_is_not_a_duplicate():
    cat = factories.category()
    factories.article(title="انخفاض منسوب دجلة", body=_html("\n".join(ORIGINAL)), category=cat)
    services.store_fingerprint(Article.objects.get(title="انخفاض منسوب دجلة"))
    other = (
        "أعلنت وزارة الموارد المائية إطلاق خطة لتأهيل السدود في نينوى وصلاح الدين.\n"
        "وقال المتحدث باسم الوزارة إن الخطة تشمل صيانة البوابات ومحطات الضخ.\n"
        "ودعت الوزارة المزارعين إلى الالتزام بالخطة الزراعية الصيفية."
    )
    assert services.find_near_duplicates(other) == []


def test_fingerprint_batch_matches_the_one_by_one_path_and_rolls_back_with_savepoints():
    """What wire ingest uses: fingerprints found at once, stored together at the end."""
    from django.db import transaction

    from akhbar.related.models import SignatureBand

    cat = factories.category()
    title, body = _rewrite()
    with services.suspended():  # no refresh job: only the batch fingerprints these
        stored = factories.article(title="انخفاض منسوب دجلة", body=_html("\n".join(ORIGINAL)))
        copy = factories.article(title=title, body=body, category=cat)
        later = factories.article(title="نسخة ثالثة", body=body, category=cat)
        dropped = factories.article(title="نسخة رابعة", body=body, category=cat)
    services.store_fingerprint(stored)
    batch = services.FingerprintBatch()
    with transaction.atomic():
        # Against the stored archive, as find_near_duplicates sees it.
        assert [a.pk for a, _ in batch.add(copy, [])] == [stored.pk]
        # Against the batch's earlier, not yet stored, article too.
        assert {a.pk for a, _ in batch.add(later, [])} == {stored.pk, copy.pk}
        mark = batch.mark()
        batch.add(dropped, [])
        batch.add(copy, [])  # a second version of the same article in one delivery
        batch.rollback(mark)  # their savepoint rolled back
        assert len(batch) == 2
        batch.flush()
    assert not ArticleFingerprint.objects.filter(article=dropped).exists()
    for article in (copy, later):
        fingerprint = ArticleFingerprint.objects.get(article=article)
        assert fingerprint.terms and len(bytes(fingerprint.signature)) == 512
        assert SignatureBand.objects.filter(article=article).count() == 20
    assert set(
        NearDuplicate.objects.filter(article=later).values_list("duplicate_of", flat=True)
    ) == {
        stored.pk,
        copy.pk,
    }
    # Stored as store_fingerprint would have: the one-by-one search now finds the same.
    assert {a.pk for a, _ in services.find_near_duplicates(later)} == {stored.pk, copy.pk}


# --- Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("", ""),
        ("كلمة", ""),
        ("Breaking: markets rally", "<p>Stocks rose sharply on Monday as investors cheered.</p>"),
        ("!!! ... ؟؟؟", "<p>123 456 — ٧٨٩</p>"),
    ],
)
def test_junk_articles_get_an_empty_list(newsroom, django_capture_on_commit_callbacks, title, body):
    with django_capture_on_commit_callbacks(execute=True):
        junk = factories.article(title=title or "x", body=body, category=factories.category())
    assert services.compute_related(junk, cascade=False) == []
    assert services.related_for(junk, 4) == []  # alone in its category: nothing to fall back on
    assert services.find_near_duplicates(junk) == [] or title == ""


def test_huge_article_is_bounded(newsroom, django_capture_on_commit_callbacks):
    words = [
        "الانتخابات",
        "المحافظات",
        "المفوضية",
        "الناخبين",
        "بغداد",
        "البصرة",
        "كركوك",
        "الاقتراع",
    ]
    body = "<p>" + " ".join(words[i % len(words)] for i in range(200_000)) + "</p>"
    started = time.process_time()  # CPU, not wall clock: immune to a loaded machine
    with django_capture_on_commit_callbacks(execute=True):
        big = factories.article(title="مقال طويل جداً عن الانتخابات", body=body)
    elapsed = time.process_time() - started
    related = services.related_for(big, 4)
    assert elapsed < 15, elapsed  # includes Article.save's own sanitising of 1.5 MB of HTML
    assert related and all(r.pk != big.pk for r in related)
    assert len(ArticleFingerprint.objects.get(article=big).terms) <= 48
