"""What a newsroom publishes: articles, their categories, tags and authors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.text import slugify

from akhbar.core import surrogate
from akhbar.newsroom.html import html_to_text
from akhbar.newsroom.images import SafeImageField

# Arabic news prose is read at roughly 180 words a minute on screen.
WORDS_PER_MINUTE = 180


def slug_url(name: str, slug: str) -> str:
    """``reverse(name, kwargs={"slug": slug})``, remembered: a list of 20 articles links 20
    sections, authors and ~60 tags, mostly the same few, and each reverse() costs ~30 µs.
    Keyed by the URLconf and script prefix in use, so overrides (tests) never see stale URLs.
    """
    return _slug_url(name, slug, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=16_384)
def _slug_url(name: str, slug: str, urlconf: str, prefix: str) -> str:
    return reverse(name, kwargs={"slug": slug}, urlconf=urlconf)


def first_block_text(body_html: str) -> str:
    """Text of the first paragraph (or first block with text) for the automatic excerpt.

    Editors' HTML may start with a bare line, a heading or an image; a naive split on
    ``</p>`` would glue the heading's words onto the paragraph.
    """
    import lxml.html

    if not (body_html or "").strip():
        return ""
    for fragment in lxml.html.fragments_fromstring(body_html):
        if isinstance(fragment, str):
            text = fragment.strip()
        else:
            if fragment.tag in ("h2", "h3", "h4", "h5", "h6", "figure"):
                continue
            text = html_to_text(lxml.html.tostring(fragment, encoding=str))
        if text:
            return " ".join(text.split())
    return html_to_text(body_html)


def reading_minutes(body_html: str) -> int:
    """Whole minutes to read ``body_html`` (at least one), stored so teasers need no body."""
    words = len(html_to_text(body_html).split())
    return max(1, round(words / WORDS_PER_MINUTE))


def unique_slug(
    model: type[models.Model], text: str, instance_pk: Any = None, max_length: int = 200
) -> str:
    """An Arabic-preserving slug for ``text``, made unique in ``model`` by a numeric suffix.

    ``slugify(allow_unicode=True)`` keeps Arabic letters (WordPress does the same, percent-encoded
    in URLs), drops tashkeel and punctuation, and turns spaces into hyphens.
    """
    base = slugify(text, allow_unicode=True)[: max_length - 8].strip("-") or "item"
    slug, n = base, 2
    qs = model._default_manager.all()
    if instance_pk is not None:
        qs = qs.exclude(pk=instance_pk)
    while qs.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


#: Fields of a section or tag whose change renames it for readers (and search).
RENAME_FIELDS = ("name", "slug")
TAXONOMY_FIELDS = {"category": ("name", "slug", "parent_id", "description", "position"),
                   "tag": ("name", "slug")}  # fmt: skip


def _save_taxonomy(instance: Category | Tag, kind: str, write: Callable[[], None]) -> None:
    """Save a section or tag and emit what changed: TaxonomyRenamed for a new name or slug,
    TaxonomyChanged for anything else, nothing when nothing changed."""
    from akhbar.core import events

    fields = TAXONOMY_FIELDS[kind]
    previous = (
        type(instance)._default_manager.filter(pk=instance.pk).values(*fields).first()
        if instance.pk
        else None
    )
    write()
    if previous is None:
        events.emit(
            events.TaxonomyChanged(
                kind=kind, object_id=instance.pk, created=True, slugs=(instance.slug,)
            )
        )
        return
    changed = frozenset(f for f in fields if previous[f] != getattr(instance, f))
    if not changed:
        return
    slugs = tuple(dict.fromkeys((previous["slug"], instance.slug)))
    cls = events.TaxonomyRenamed if changed & set(RENAME_FIELDS) else events.TaxonomyChanged
    events.emit(cls(kind=kind, object_id=instance.pk, fields=changed, slugs=slugs))


def _delete_taxonomy(instance: models.Model, kind: str, write: Any) -> Any:
    from akhbar.core import events

    pk, slug = instance.pk, getattr(instance, "slug", "")
    result = write()
    events.emit(events.TaxonomyChanged(kind=kind, object_id=pk, deleted=True, slugs=(slug,)))
    return result


def _emit_people(author: Any, previous_slug: str | None) -> None:
    from akhbar.core import events

    slugs = tuple(s for s in dict.fromkeys((previous_slug, author.slug)) if s)
    events.emit(events.PeopleChanged(author_id=author.pk, slugs=slugs))


class Category(models.Model):
    name = models.CharField("الاسم", max_length=100)
    slug = models.SlugField("المعرّف في الرابط", max_length=120, unique=True, allow_unicode=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="القسم الأب",
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    description = models.TextField("الوصف", blank=True)
    position = models.PositiveSmallIntegerField("الترتيب", default=0)

    class Meta:
        verbose_name = "قسم"
        verbose_name_plural = "الأقسام"
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Category, self.name, self.pk, 120)
        _save_taxonomy(self, "category", lambda: super(Category, self).save(*args, **kwargs))

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return _delete_taxonomy(
            self, "category", lambda: super(Category, self).delete(*args, **kwargs)
        )

    def get_absolute_url(self) -> str:  # noqa: DJ012 - after save/delete, which belong together
        return slug_url("site:category", self.slug)


class Tag(models.Model):
    name = models.CharField("الاسم", max_length=100, unique=True)
    slug = models.SlugField("المعرّف في الرابط", max_length=120, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = "وسم"
        verbose_name_plural = "الوسوم"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Tag, self.name, self.pk, 120)
        _save_taxonomy(self, "tag", lambda: super(Tag, self).save(*args, **kwargs))

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return _delete_taxonomy(self, "tag", lambda: super(Tag, self).delete(*args, **kwargs))

    def get_absolute_url(self) -> str:  # noqa: DJ012 - after save/delete, which belong together
        return slug_url("site:tag", self.slug)


class Author(models.Model):
    """The public face of a writer; the login account stays private."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="الحساب",
        null=True,
        blank=True,
        related_name="author_profile",
        on_delete=models.SET_NULL,
    )
    display_name = models.CharField("الاسم المعروض", max_length=120)
    slug = models.SlugField("المعرّف في الرابط", max_length=140, unique=True, allow_unicode=True)
    bio = models.TextField("نبذة", blank=True)
    photo = SafeImageField("الصورة", upload_to="authors/%Y/", blank=True)

    class Meta:
        verbose_name = "كاتب"
        verbose_name_plural = "الكتّاب"
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Author, self.display_name, self.pk, 140)
        previous = (
            Author.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
            if self.pk
            else None
        )
        super().save(*args, **kwargs)
        _emit_people(self, previous)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        pk, slug = self.pk, self.slug
        result = super().delete(*args, **kwargs)
        from akhbar.core import events

        events.emit(events.PeopleChanged(author_id=pk, slugs=(slug,)))
        return result

    def get_absolute_url(self) -> str:  # noqa: DJ012 - after save/delete, which belong together
        return slug_url("site:author", self.slug)


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self, now: Any = None) -> ArticleQuerySet:
        """What readers may see: published, and not scheduled for later.

        Scheduling needs no cron: an article with a future ``published_at`` simply isn't
        matched until its time comes.
        """
        now = now or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now)

    def for_listing(self) -> ArticleQuerySet:
        """Everything a teaser needs but its comment count, in one query.

        The approved-comment count is attached afterwards for just the articles shown
        (akhbar.site.services.with_comment_counts): counting in the same query would group
        the whole archive before LIMIT applies, which took seconds at 100,000 articles.
        """
        return self.select_related("author", "category", "category__parent").defer("body")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "مسودة"
        PENDING = "pending", "بانتظار المراجعة"
        PUBLISHED = "published", "منشور"
        ARCHIVED = "archived", "مؤرشف"

    title = models.CharField("العنوان", max_length=300)
    slug = models.SlugField(
        "المعرّف في الرابط", max_length=200, unique=True, allow_unicode=True, blank=True
    )
    excerpt = models.TextField("المقتطف", blank=True)
    body = models.TextField("النص", blank=True, help_text="HTML منقّح")
    status = models.CharField(
        "الحالة", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField("تاريخ النشر", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("تاريخ الإنشاء", auto_now_add=True)
    updated_at = models.DateTimeField("آخر تحديث", auto_now=True)
    author = models.ForeignKey(
        Author,
        verbose_name="الكاتب",
        null=True,
        blank=True,
        related_name="articles",
        on_delete=models.SET_NULL,
    )
    category = models.ForeignKey(
        Category, verbose_name="القسم", related_name="articles", on_delete=models.PROTECT
    )
    tags = models.ManyToManyField(Tag, verbose_name="الوسوم", related_name="articles", blank=True)
    featured_image = models.ImageField("الصورة البارزة", upload_to="articles/%Y/%m/", blank=True)
    image_caption = models.CharField("تعليق الصورة", max_length=300, blank=True)
    image_credit = models.CharField("مصدر الصورة", max_length=200, blank=True)
    source_name = models.CharField("اسم المصدر", max_length=200, blank=True)
    source_url = models.URLField("رابط المصدر", max_length=500, blank=True)
    is_breaking = models.BooleanField("خبر عاجل", default=False)
    is_featured = models.BooleanField("مميّز", default=False)
    # Opinion pieces (columns, analysis) are shown apart from news, with the writer's photo.
    is_opinion = models.BooleanField(
        "مقال رأي", default=False, help_text="يظهر في ركن «رأي» بصورة كاتبه، لا بين الأخبار."
    )
    comments_open = models.BooleanField("التعليقات مفتوحة", default=True)
    image_alt = models.CharField(
        "النص البديل للصورة",
        max_length=300,
        blank=True,
        help_text="وصف مختصر للصورة لمن لا يراها؛ مطلوب قبل النشر.",
    )
    # {"source": name, "width": w, "height": h, "jpeg": [[w, name]...], "webp": [[w, name]...]}
    image_renditions = models.JSONField("مقاسات الصورة", default=dict, blank=True, editable=False)
    correction_note = models.TextField(
        "تصحيح",
        blank=True,
        help_text="يظهر للقرّاء أسفل العنوان عند تصحيح معلومة بعد النشر.",
    )
    content_updated_at = models.DateTimeField(
        "آخر تحديث للمحتوى", null=True, blank=True, editable=False
    )
    went_live_at = models.DateTimeField("وقت الظهور للقرّاء", null=True, blank=True, editable=False)
    reading_minutes = models.PositiveSmallIntegerField("دقائق القراءة", default=1, editable=False)
    view_count = models.PositiveIntegerField("عدد القراءات", default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="أنشأه",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )

    objects = ArticleQuerySet.as_manager()

    # Not fields: set by whoever saves, read (with getattr defaults) by services.persist and
    # services.delete. Who made the change, for the revision and the event.
    _changed_by: Any
    # Tag ids to set once the row is written (set_tags, save_article, the importer).
    _pending_tag_ids: list[int] | None

    class Meta:
        verbose_name = "مقال"
        verbose_name_plural = "المقالات"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub"),
            # Section blocks, archives and same-section lists: newest live stories of one
            # category without sorting the whole section.
            models.Index(
                fields=["category", "status", "-published_at"], name="article_cat_status_pub"
            ),
            # An author's newest live stories (the API's ?author=, author pages) read in
            # order from the index instead of sorting all the author's articles each time.
            models.Index(
                fields=["author", "status", "-published_at"], name="article_author_status_pub"
            ),
            # Whether an article is live, without reading its row: a tag's articles (the
            # API's ?tag=, tag pages) are an id list checked and ordered by status and date.
            # On SQLite those two columns come after the body, in its overflow pages, so the
            # row lookups read every tagged article's body (3 ms for a tag of 560 articles
            # at 100,000; 1 ms from this index). Migration 0009 analyses it: without
            # statistics SQLite prefers the primary key.
            models.Index(fields=["id", "status", "published_at"], name="article_id_live"),
            # The home page's opinion column: the newest live opinion pieces. Without it
            # SQLite walks the date index reading rows until it finds four, the whole archive
            # when a newsroom publishes few (128 ms of a 180 ms home page at 100,000).
            # Partial, because Django writes the filter as a bare `"is_opinion"` term, which
            # no index column can match but a partial index's identical condition does.
            models.Index(
                fields=["status", "-published_at"],
                condition=models.Q(is_opinion=True),
                name="article_opinion_pub",
            ),
        ]
        permissions = [
            ("publish_article", "يمكنه نشر مقالاته وجدولتها"),
            ("edit_others_article", "يمكنه تعديل مقالات الآخرين ونشرها"),
        ]

    # Fields whose change after publication is news to the reader ("آخر تحديث").
    CONTENT_FIELDS = ("title", "excerpt", "body", "correction_note")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save through the newsroom's one write path (``akhbar.newsroom.services.persist``).

        A thin shim so that any code saving an article (admin, importer fallback, shell,
        fixtures, tests) gets the same derived fields, revision, renditions request and
        domain event. Whoever saves may set ``article._changed_by`` (a user) so the revision
        and the event record who.
        """
        from akhbar.newsroom import services

        if kwargs.get("raw"):  # pragma: no cover - loaddata never calls save() with raw
            super().save(*args, **kwargs)
            return
        services.persist(self, lambda **kw: super(Article, self).save(*args, **kw), kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        from akhbar.newsroom import services

        return services.delete(self, lambda **kw: super(Article, self).delete(*args, **kw), kwargs)

    def get_absolute_url(self) -> str:  # noqa: DJ012 - after save/delete, which belong together
        # Every page linking here is tagged for the edge cache (akhbar.core.surrogate).
        surrogate.note(surrogate.article(self.pk))
        return reverse("site:article", kwargs={"slug": self.slug})

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def show_updated(self) -> bool:
        """Show "آخر تحديث" only for a real content edit made after publication."""
        return bool(
            self.content_updated_at
            and self.published_at
            and self.content_updated_at - self.published_at > timedelta(minutes=1)
        )

    @property
    def is_live(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class Revision(models.Model):
    """A snapshot of an article's words, kept on every save that changed them."""

    article = models.ForeignKey(
        Article, verbose_name="المقال", related_name="revisions", on_delete=models.CASCADE
    )
    title = models.CharField("العنوان", max_length=300)
    excerpt = models.TextField("المقتطف", blank=True)
    body = models.TextField("النص", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="بواسطة",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField("التاريخ", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "نسخة"
        verbose_name_plural = "النسخ"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.created_at:%Y-%m-%d %H:%M})"


class WorkflowEvent(models.Model):
    """Who moved an article through the workflow, and when (the audit trail editors ask for)."""

    class Action(models.TextChoices):
        CREATED = "created", "أُنشئ"
        SUBMITTED = "submitted", "أُرسل للمراجعة"
        RETURNED = "returned", "أُعيد مسودة"
        PUBLISHED = "published", "نُشر"
        SCHEDULED = "scheduled", "جُدول للنشر"
        WENT_LIVE = "went_live", "ظهر للقرّاء"
        ARCHIVED = "archived", "أُرشف"
        RESTORED = "restored", "استُعيدت نسخة"

    article = models.ForeignKey(
        Article, verbose_name="المقال", related_name="events", on_delete=models.CASCADE
    )
    action = models.CharField("الإجراء", max_length=16, choices=Action.choices)
    from_status = models.CharField("من حالة", max_length=16, blank=True)
    to_status = models.CharField("إلى حالة", max_length=16, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="بواسطة",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    at = models.DateTimeField("الوقت", default=timezone.now, db_index=True)
    note = models.CharField("ملاحظة", max_length=300, blank=True)

    class Meta:
        verbose_name = "حدث في سير العمل"
        verbose_name_plural = "سجل سير العمل"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.article_id}"


class ArticleNote(models.Model):
    """A correction (تصحيح) or update (تحديث) readers see on the article, with its time.

    Visible corrections are a trust signal (Google News weighs them); each is kept with its own
    time, so a later edit never hides that a fact was once wrong. Wire ingest adds an update
    note when an agency sends a newer version, and a withdrawal note when it kills an item.
    The older single ``Article.correction_note`` field is still shown for existing articles.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", "تصحيح"
        UPDATE = "update", "تحديث"
        WITHDRAWAL = "withdrawal", "سحب"

    article = models.ForeignKey(
        Article, verbose_name="المقال", related_name="notes", on_delete=models.CASCADE
    )
    kind = models.CharField("النوع", max_length=12, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField("النص")
    created_at = models.DateTimeField("الوقت", default=timezone.now, db_index=True)
    is_public = models.BooleanField("ظاهر للقرّاء", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="بواسطة",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )

    class Meta:
        verbose_name = "تصحيح أو تحديث"
        verbose_name_plural = "التصحيحات والتحديثات"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["kind", "-created_at"], name="articlenote_kind_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"
