"""Newsroom domain logic: the one write path for articles, the workflow, previews, read counts.

**The write path.** What creating, saving, publishing, unpublishing, scheduling and deleting
an article *mean* lives here, once, in single and batch form:

* :func:`persist` — every ``Article.save()`` runs through it (the model's ``save`` is a thin
  shim, so the shell, fixtures and tests get the same meaning as the admin): clean the body,
  derive excerpt / reading time / publication date / "content updated" stamp and slug, keep a
  revision, set the tags, request image renditions (a background job), stamp the first time
  readers could see it, and emit one domain event (akhbar.core.events) after commit.
* :func:`save_many` — the same for a batch written with bulk statements (the WordPress
  importer): same derivations with the same functions, one ``emit_many`` per batch.
* :func:`save_article` / :func:`transition` / :func:`publish` / :func:`archive` /
  :func:`delete_article` — the above plus the role rules and the workflow log, for people.
* :func:`publish_due` — scheduled articles whose time came: "went live" log + ArticlePublished.

No Django signal is sent by hand anywhere: other apps subscribe to the events.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from akhbar.core import counters, events
from akhbar.core.conf import akhbar_settings
from akhbar.core.sql import insert_rows
from akhbar.newsroom import roles
from akhbar.newsroom.html import first_words, sanitize_html
from akhbar.newsroom.models import (
    Article,
    Revision,
    WorkflowEvent,
    first_block_text,
    reading_minutes,
    unique_slug,
)

log = logging.getLogger(__name__)

Status = Article.Status
Action = WorkflowEvent.Action

#: What readers see of an article: a change to any of these is news to caches and indexes.
VISIBLE_FIELDS = (
    "title", "slug", "excerpt", "body", "correction_note", "status", "published_at",
    "category_id", "author_id", "is_breaking", "is_featured", "comments_open",
    "featured_image", "image_alt", "image_caption", "image_credit", "source_name",
    "source_url",
)  # fmt: skip
Snapshot = dict[str, Any]


# --- Derived fields (single and batch) --------------------------------------------------------


def derive_fields(article: Article, previous: Snapshot | None, now: datetime) -> None:
    """What saving fills in before writing: clean body, excerpt, publication date, reading
    time and the "content updated" stamp (a real edit of a live article).

    ``previous`` is the stored state (:func:`snapshot`), None for a new article.
    """
    article.body = sanitize_html(article.body)
    if not (article.excerpt or "").strip():
        article.excerpt = first_words(first_block_text(article.body), 40)
    if article.status == Status.PUBLISHED and article.published_at is None:
        article.published_at = now
    article.reading_minutes = reading_minutes(article.body)
    if (
        previous
        and _is_live(previous["status"], previous["published_at"], now)
        and any(previous[f] != getattr(article, f) for f in Article.CONTENT_FIELDS)
    ):
        article.content_updated_at = now


def unique_slugs(bases: list[str]) -> list[str]:
    """``unique_slug(Article, base)`` for many new articles: one query unless they clash."""
    max_length = Article._meta.get_field("slug").max_length or 200
    cleaned = [
        slugify(base, allow_unicode=True)[: max_length - 8].strip("-") or "item" for base in bases
    ]
    taken = set(Article.objects.filter(slug__in=set(cleaned)).values_list("slug", flat=True))
    out: list[str] = []
    for base in cleaned:
        slug, n = base, 2
        # Bases were looked up together; only a clash costs a query per suffix tried.
        while slug in taken or (slug != base and Article.objects.filter(slug=slug).exists()):
            slug = f"{base}-{n}"
            n += 1
        taken.add(slug)
        out.append(slug)
    return out


def _is_live(status: str | None, published_at: datetime | None, now: datetime) -> bool:
    return status == Status.PUBLISHED and published_at is not None and published_at <= now


def _values(article: Article) -> Snapshot:
    values = {f: getattr(article, f) for f in VISIBLE_FIELDS if f != "featured_image"}
    values["featured_image"] = article.featured_image.name or ""
    return values


def snapshots(ids: Iterable[int]) -> dict[int, Snapshot]:
    """Stored visible state of articles (two queries whatever their number), for events."""
    ids = list(ids)
    if not ids:
        return {}
    rows = {
        row["id"]: row for row in Article.objects.filter(pk__in=ids).values("id", *VISIBLE_FIELDS)
    }
    for row in rows.values():
        row["featured_image"] = row["featured_image"] or ""
        row["tag_ids"] = ()
    tags: dict[int, list[int]] = {}
    for article_id, tag_id in Article.tags.through.objects.filter(
        article_id__in=list(rows)
    ).values_list("article_id", "tag_id"):
        tags.setdefault(article_id, []).append(tag_id)
    for article_id, tag_ids in tags.items():
        rows[article_id]["tag_ids"] = tuple(sorted(tag_ids))
    return rows


def snapshot(article: Article) -> Snapshot | None:
    return snapshots([article.pk]).get(article.pk) if article.pk else None


def _ids(*values: Any) -> tuple[int, ...]:
    out: list[int] = []
    for value in values:
        for item in value if isinstance(value, tuple | list | set) else (value,):
            if item is not None and item not in out:
                out.append(item)
    return tuple(out)


def change_event(
    previous: Snapshot | None,
    article: Article,
    tag_ids: Sequence[int],
    *,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> events.Event | None:
    """The one event a save means, or None if nothing anybody follows changed.

    Not live → live: ArticlePublished; live → not live (draft, archived, moved to a future
    time): ArticleUnpublished; live and changed: ArticleUpdated; otherwise ArticleSaved.
    """
    now = now or timezone.now()
    current = {**_values(article), "tag_ids": tuple(sorted(tag_ids))}
    if previous is None:
        changed = frozenset(VISIBLE_FIELDS) | {"tags"}
    else:
        changed = frozenset(
            ("tags" if f == "tag_ids" else f)
            for f in (*VISIBLE_FIELDS, "tag_ids")
            if previous.get(f) != current[f]
        )
    before = previous or {}
    payload: dict[str, Any] = {
        "article_id": article.pk,
        "actor_id": actor_id,
        "category_ids": _ids(before.get("category_id"), current["category_id"]),
        "tag_ids": _ids(before.get("tag_ids", ()), current["tag_ids"]),
        "author_ids": _ids(before.get("author_id"), current["author_id"]),
        "slugs": _ids(before.get("slug"), current["slug"]),
    }
    was_live = previous is not None and _is_live(before["status"], before["published_at"], now)
    is_live = _is_live(article.status, article.published_at, now)
    if is_live and not was_live:
        return events.ArticlePublished(**payload)
    if was_live and not is_live:
        return events.ArticleUnpublished(**payload)
    if not changed:
        return None
    if is_live:
        return events.ArticleUpdated(**payload, fields=changed)
    scheduled = (
        article.published_at
        if article.status == Status.PUBLISHED and article.published_at
        else None
    )
    return events.ArticleSaved(**payload, fields=changed, scheduled_at=scheduled)


def _actor_id(user: Any) -> int | None:
    return user.pk if getattr(user, "is_authenticated", False) else None


# --- Renditions (a background job) -------------------------------------------------------------


def request_renditions(article: Article) -> None:
    """After the featured image changed: note its size now, make renditions in a job.

    Until the job has run, pages show the original image in a box of its real proportions
    (``width``/``height`` are read from the file header, which costs no decoding), never a
    broken image. An image removed drops the renditions at once.
    """
    from akhbar.newsroom import images

    name = article.featured_image.name or ""
    data: dict[str, Any] = {}
    if name:
        data = {"source": name, "pending": True, **images.dimensions(name)}
    article.image_renditions = data
    Article.objects.filter(pk=article.pk).update(image_renditions=data)
    if name:
        from akhbar.newsroom.tasks import make_renditions

        article_id = article.pk
        transaction.on_commit(lambda: make_renditions.enqueue(article_id, name))


def _needs_renditions(article: Article) -> bool:
    return (article.featured_image.name or "") != (article.image_renditions or {}).get("source", "")


# --- The single write path ---------------------------------------------------------------------


def persist(article: Article, write: Callable[..., None], kwargs: dict[str, Any]) -> None:
    """``Article.save()``: derive, write, revision, tags, renditions, event (see the module)."""
    from akhbar.newsroom import revisions

    now = timezone.now()
    previous = snapshot(article) if article.pk is not None else None
    derive_fields(article, previous, now)
    if not article.slug:
        article.slug = unique_slug(Article, article.title, article.pk)
    live = _is_live(article.status, article.published_at, now)
    if live and article.went_live_at is None:
        article.went_live_at = now
    if kwargs.get("update_fields") is not None:
        extra = {"reading_minutes", "content_updated_at", "went_live_at", "slug"}
        kwargs["update_fields"] = {*kwargs["update_fields"], *extra}
    write(**kwargs)
    user = getattr(article, "_changed_by", None)
    tag_ids = getattr(article, "_pending_tag_ids", None)
    if tag_ids is not None:
        article._pending_tag_ids = None
        article.tags.set(tag_ids)
        tag_ids = list(tag_ids)
    elif previous is not None:
        tag_ids = list(previous["tag_ids"])
    else:
        tag_ids = []
    revisions.record_revision(article, user, new=previous is None)
    if _needs_renditions(article):
        request_renditions(article)
    event = change_event(previous, article, tag_ids, actor_id=_actor_id(user), now=now)
    if event is not None:
        events.emit(event)


def set_tags(article: Article, tags: Iterable[Any], user: Any = None) -> None:
    """Replace an article's tags through the write path (indexes and caches follow)."""
    article._pending_tag_ids = [getattr(t, "pk", t) for t in tags]
    article._changed_by = user
    article.save(update_fields=["updated_at"])


def delete(article: Article, write: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    """``Article.delete()``: remove the row and emit ArticleDeleted (with what pages showed)."""
    previous = snapshot(article)
    article_id = article.pk
    result = write(**kwargs)
    if previous is not None:
        now = timezone.now()
        events.emit(
            events.ArticleDeleted(
                article_id=article_id,
                actor_id=_actor_id(getattr(article, "_changed_by", None)),
                category_ids=_ids(previous["category_id"]),
                tag_ids=tuple(previous["tag_ids"]),
                author_ids=_ids(previous["author_id"]),
                slugs=(previous["slug"],),
                was_live=_is_live(previous["status"], previous["published_at"], now),
            )
        )
    return result


def emit_updated(ids: Iterable[int], fields: frozenset[str]) -> None:
    """ArticleUpdated for the live ones of ``ids`` after a column update made in bulk
    (``queryset.update``), so subscribers hear of it like of any save."""
    now = timezone.now()
    batch: list[events.Event] = []
    for article_id, row in snapshots(ids).items():
        if _is_live(row["status"], row["published_at"], now):
            batch.append(
                events.ArticleUpdated(
                    article_id=article_id,
                    category_ids=_ids(row["category_id"]),
                    tag_ids=tuple(row["tag_ids"]),
                    author_ids=_ids(row["author_id"]),
                    slugs=(row["slug"],),
                    fields=fields,
                )
            )
    events.emit_many(batch)


# --- The batch write path ----------------------------------------------------------------------

#: Columns a batch update writes (what ``Article.save()`` would change on an existing article).
BATCH_UPDATE_FIELDS = [
    "category", "title", "body", "excerpt", "status", "published_at", "is_featured",
    "comments_open", "author", "reading_minutes", "content_updated_at", "updated_at",
    "went_live_at",
]  # fmt: skip


def save_many(
    items: Sequence[tuple[Article, Sequence[int] | None]],
    *,
    user: Any = None,
    update_fields: Sequence[str] = BATCH_UPDATE_FIELDS,
) -> dict[int, set[int]]:
    """Save a batch of articles with bulk statements: the meaning of :func:`persist`, fast.

    ``items`` are (article, tag ids or None to keep its tags). New articles may carry a base
    slug in ``slug`` (made unique here) and their own ``went_live_at`` (an article already
    live elsewhere). Call inside the caller's ``transaction.atomic()``: events are emitted
    with :func:`events.emit_many` and reach subscribers once the batch commits (or never, if
    it rolls back). Returns the tag ids taken off each updated article.
    """
    now = timezone.now()
    articles = [a for a, _ in items]
    previous = snapshots([a.pk for a in articles if a.pk is not None])
    new = [a for a in articles if a.pk is None]
    old = [a for a in articles if a.pk is not None]
    for article in articles:
        derive_fields(article, previous.get(article.pk) if article.pk else None, now)
        if _is_live(article.status, article.published_at, now) and article.went_live_at is None:
            article.went_live_at = now
    for article, slug in zip(new, unique_slugs([a.slug or a.title for a in new]), strict=True):
        article.slug = slug
    Article.objects.bulk_create(new)
    for article in old:
        article.updated_at = now  # auto_now is not applied by bulk_update
    Article.objects.bulk_update(old, list(update_fields))
    record_revisions_bulk(new, old, user)
    removed = _write_tags_bulk(items, previous)
    for article in articles:
        if _needs_renditions(article):
            request_renditions(article)
    actor = _actor_id(user)
    batch = []
    for article, tag_ids in items:
        before = previous.get(article.pk) if article in old else None
        tags = list(tag_ids) if tag_ids is not None else list((before or {}).get("tag_ids", ()))
        event = change_event(before, article, tags, actor_id=actor, now=now)
        if event is not None:
            batch.append(event)
    events.emit_many(batch)
    return removed


def record_revisions_bulk(new: list[Article], old: list[Article], user: Any = None) -> None:
    """``record_revision`` for a batch: new articles always, others if their words changed."""
    created_by = user if getattr(user, "is_authenticated", False) else None
    revisions = [
        Revision(article=a, title=a.title, excerpt=a.excerpt, body=a.body, created_by=created_by)
        for a in new
    ]
    if old:
        from django.db.models import OuterRef, Subquery

        latest = Subquery(
            Revision.objects.filter(article=OuterRef("pk"))
            .order_by("-created_at", "-id")
            .values("pk")[:1]
        )
        last_ids = dict(
            Article.objects.filter(pk__in=[a.pk for a in old])
            .annotate(last_revision=latest)
            .values_list("pk", "last_revision")
        )
        last = Revision.objects.only("title", "excerpt", "body").in_bulk(
            [pk for pk in last_ids.values() if pk]
        )
        for a in old:
            seen = last.get(last_ids.get(a.pk))
            if seen is None or (seen.title, seen.excerpt, seen.body) != (
                a.title,
                a.excerpt,
                a.body,
            ):
                revisions.append(
                    Revision(
                        article=a, title=a.title, excerpt=a.excerpt, body=a.body,
                        created_by=created_by,
                    )
                )  # fmt: skip
    now = timezone.now()
    for revision in revisions:
        revision.created_at = now
    insert_rows(
        Revision, revisions, ["article", "title", "excerpt", "body", "created_by", "created_at"]
    )


def _write_tags_bulk(
    items: Sequence[tuple[Article, Sequence[int] | None]], previous: dict[int, Snapshot]
) -> dict[int, set[int]]:
    """``tags.set`` for a batch; returns the tags taken off each article."""
    through = Article.tags.through
    wanted = [(a, tags) for a, tags in items if tags is not None]
    have: dict[int, set[int]] = {
        a.pk: set(previous[a.pk]["tag_ids"]) for a, _ in wanted if a.pk in previous
    }
    removed: dict[int, set[int]] = {}
    drop: list[tuple[int, set[int]]] = []
    add = []
    for article, tags in wanted:
        current = have.get(article.pk, set())
        gone = current - set(tags)
        if gone:
            removed[article.pk] = gone
            drop.append((article.pk, gone))
        seen: set[int] = set()
        for t in tags:
            if t not in current and t not in seen:
                add.append(through(article_id=article.pk, tag_id=t))
                seen.add(t)
    for article_id, gone in drop:
        through.objects.filter(article_id=article_id, tag_id__in=gone).delete()
    insert_rows(through, add, ["article", "tag"])
    return removed


# --- Workflow -------------------------------------------------------------------------------


def _action_for(old: str | None, new: str, article: Article, now: datetime) -> str | None:
    if old is None:
        return Action.CREATED if new in (Status.DRAFT,) else _action_for("draft", new, article, now)
    if old == new and new != Status.PUBLISHED:
        return None
    if new == Status.PENDING:
        return Action.SUBMITTED
    if new == Status.DRAFT:
        return Action.RETURNED
    if new == Status.ARCHIVED:
        return Action.ARCHIVED
    if new == Status.PUBLISHED:
        scheduled = article.published_at is not None and article.published_at > now
        if old == Status.PUBLISHED:
            return None
        return Action.SCHEDULED if scheduled else Action.PUBLISHED
    return None


def check_transition(user: Any, article: Article, new_status: str) -> None:
    """Raise PermissionDenied (Arabic message) unless ``user`` may move ``article`` there."""
    if article.pk is None:
        if not roles.can_create(user):
            raise PermissionDenied("لا تملك صلاحية إنشاء مقالات.")
    elif not roles.can_edit(user, article):
        raise PermissionDenied("لا تملك صلاحية تعديل هذا المقال.")
    if new_status in (Status.PUBLISHED, Status.ARCHIVED) and not roles.can_publish(user, article):
        raise PermissionDenied("لا تملك صلاحية نشر هذا المقال أو جدولته؛ أرسله للمراجعة.")


def check_publishable(article: Article) -> None:
    """What a published article must have (readers and screen readers depend on it)."""
    errors: dict[str, str] = {}
    if article.featured_image and not (article.image_alt or "").strip():
        errors["image_alt"] = "النص البديل للصورة مطلوب قبل النشر."
    if not (article.title or "").strip():
        errors["title"] = "العنوان مطلوب قبل النشر."
    if errors:
        raise ValidationError(errors)


def record_event(
    article: Article, old_status: str | None, user: Any = None, note: str = ""
) -> WorkflowEvent | None:
    """Log the transition that just happened (nothing if the state did not change)."""
    now = timezone.now()
    action = _action_for(old_status, article.status, article, now)
    if action is None:
        return None
    return WorkflowEvent.objects.create(
        article=article,
        action=action,
        from_status=old_status or "",
        to_status=article.status,
        user=user if getattr(user, "is_authenticated", False) else None,
        note=note,
    )


@transaction.atomic
def save_article(
    article: Article,
    user: Any,
    old_status: str | None = None,
    *,
    check: bool = True,
    tags: Iterable[Any] | None = None,
) -> Article:
    """Save as ``user``: check the workflow rules, keep a revision and log the transition.

    ``tags`` (tags or ids) replaces the article's tags in the same save, so the one event
    the save emits already knows them.
    """
    if check:
        check_transition(user, article, article.status)
        if problems := roles.editor_only_problems(user, article):
            raise PermissionDenied(" ".join(problems.values()))
        if article.status == Status.PUBLISHED:
            check_publishable(article)
    if article.pk is None and getattr(user, "is_authenticated", False):
        article.created_by = user
    if old_status is None and article.pk is not None:
        old_status = Article.objects.filter(pk=article.pk).values_list("status", flat=True).first()
    if tags is not None:
        article._pending_tag_ids = [getattr(t, "pk", t) for t in tags]
    article._changed_by = user
    article.save()
    record_event(article, old_status, user)
    return article


def transition(
    article: Article, new_status: str, user: Any, *, when: datetime | None = None
) -> Article:
    """Move ``article`` to ``new_status`` (``when`` sets a publication time, maybe future)."""
    check_transition(user, article, new_status)
    old = article.status
    article.status = new_status
    if when is not None:
        article.published_at = when
    return save_article(article, user, old)


def submit_for_review(article: Article, user: Any) -> Article:
    return transition(article, Status.PENDING, user)


def publish(article: Article, user: Any, when: datetime | None = None) -> Article:
    """Publish now, or schedule when ``when`` is in the future (no cron needed to go live)."""
    return transition(article, Status.PUBLISHED, user, when=when or article.published_at)


def unpublish(article: Article, user: Any) -> Article:
    """Take a live article off the site, back to draft."""
    return transition(article, Status.DRAFT, user)


def schedule(article: Article, user: Any, when: datetime) -> Article:
    """Publish at ``when`` (a future time): readers see it then, subscribers hear of it then."""
    return transition(article, Status.PUBLISHED, user, when=when)


def archive(article: Article, user: Any) -> Article:
    return transition(article, Status.ARCHIVED, user)


def delete_article(article: Article, user: Any) -> None:
    if not roles.can_delete(user, article):
        raise PermissionDenied("لا تملك صلاحية حذف هذا المقال.")
    article._changed_by = user
    article.delete()


def mark_live(article: Article, now: datetime | None = None) -> bool:
    """Record the moment ``article`` became visible and emit ArticlePublished, once."""
    now = now or timezone.now()
    updated = Article.objects.filter(
        pk=article.pk, went_live_at__isnull=True, status=Status.PUBLISHED, published_at__lte=now
    ).update(went_live_at=now)
    if updated:
        article.went_live_at = now
        tag_ids = list(article.tags.values_list("pk", flat=True))
        events.emit(
            events.ArticlePublished(
                article_id=article.pk,
                category_ids=_ids(article.category_id),
                tag_ids=tuple(tag_ids),
                author_ids=_ids(article.author_id),
                slugs=(article.slug,),
            )
        )
    return bool(updated)


@transaction.atomic
def publish_due(now: datetime | None = None) -> list[Article]:
    """Scheduled articles whose time has come and that no subscriber has heard of yet.

    Readers already see them (``published()`` filters on time); this is for subscribers that
    must hear once per article: it logs a "went live" event and emits ArticlePublished. The
    worker's scheduler runs it every minute (no cron).
    """
    now = now or timezone.now()
    due = list(
        Article.objects.filter(
            status=Status.PUBLISHED, published_at__lte=now, went_live_at__isnull=True
        ).select_for_update()
    )
    done = []
    for article in due:
        if mark_live(article, now):
            WorkflowEvent.objects.create(
                article=article,
                action=Action.WENT_LIVE,
                from_status=Status.PUBLISHED,
                to_status=Status.PUBLISHED,
            )
            done.append(article)
    return done


# --- Preview links --------------------------------------------------------------------------

PREVIEW_SALT = "akhbar.newsroom.preview"


def preview_hours() -> int:
    return akhbar_settings.preview_link_hours


def preview_token(article: Article) -> str:
    """A link token anyone may use to read this draft until it expires (default 48 hours)."""
    return signing.TimestampSigner(salt=PREVIEW_SALT).sign(str(article.pk))


def article_from_preview_token(token: str) -> Article | None:
    """The article for a valid, unexpired token, else None (bad, tampered or old)."""
    try:
        value = signing.TimestampSigner(salt=PREVIEW_SALT).unsign(
            token, max_age=timedelta(hours=preview_hours())
        )
    except signing.BadSignature:
        return None
    if not value.isdigit():
        return None
    return (
        Article.objects.select_related("author", "category", "category__parent")
        .prefetch_related("tags")
        .filter(pk=int(value))
        .first()
    )


# --- Read counts ----------------------------------------------------------------------------

HIT_KEY = "akhbar:hits:{}"
BOT_RE = re.compile(
    r"bot|crawl|spider|slurp|facebookexternalhit|embedly|preview|scan|monitor|curl|wget|"
    r"python-|httpclient|java/|go-http|okhttp|axios|node-fetch|lighthouse|pingdom",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or bool(BOT_RE.search(user_agent))


def count_hit(article_id: int, user_agent: str) -> bool:
    """Count one read in an atomic counter (akhbar.core.counters: Redis INCR, or one upsert
    in the database); added to ``view_count`` in batches. Returns False for bots.

    Exact under concurrency: the cache's read-then-write incr() used to inflate counts when
    beacons raced with a flush (x1.4-1.8 with the file cache)."""
    if is_bot(user_agent) or not 0 < article_id < 2**62:
        return False
    value = counters.incr(HIT_KEY.format(article_id))
    if value % akhbar_settings.hit_flush_every == 0:
        flush_hits()
    return True


def flush_hits() -> int:
    """Add the counted reads to ``Article.view_count`` (one UPDATE per article); return reads.

    Each counter is read and reset in one atomic step, so a read is flushed exactly once."""
    flushed = 0
    with transaction.atomic():  # a failed UPDATE puts the database counters back
        for key, count in counters.take_prefix(HIT_KEY.format("")).items():
            article_id = key.rsplit(":", 1)[-1]
            if not article_id.isdigit() or count <= 0:
                continue
            Article.objects.filter(pk=int(article_id)).update(view_count=F("view_count") + count)
            flushed += count
    return flushed


def most_read(count: int = 5, days: int | None = None) -> QuerySet[Article]:
    """The most read stories published in the last ``days`` (setting MOST_READ_DAYS, 7)."""
    days = days or akhbar_settings.most_read_days
    since = timezone.now() - timedelta(days=days)
    return (
        Article.objects.published()
        .filter(published_at__gte=since, view_count__gt=0)
        .only("title", "slug", "published_at", "view_count")
        .order_by("-view_count", "-published_at")[:count]
    )


# --- Reader-facing text -----------------------------------------------------------------------


def arabic_minutes(n: int) -> str:
    """Reading time with Arabic number agreement (akhbar.core.text): دقيقة واحدة، دقيقتان…"""
    from akhbar.core.text import count_phrase

    return count_phrase(max(1, int(n)), "minute")


# --- Corrections and updates readers see ------------------------------------------------------


def add_article_note(
    article: Article, kind: str, text: str, user: Any = None, *, at: datetime | None = None
) -> Any:
    """Attach a visible correction / update / withdrawal note and mark the article modified.

    The note's time is what ``dateModified`` (JSON-LD, API, sitemaps) reports, so a correction
    is never silent. Writers: the admin, wire ingest (agency updates and kills).
    """
    from akhbar.newsroom.models import ArticleNote

    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "نص التصحيح أو التحديث مطلوب."})
    at = at or timezone.now()
    note = ArticleNote.objects.create(
        article=article,
        kind=kind,
        text=text,
        created_at=at,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if article.is_live:
        if article.content_updated_at is None or article.content_updated_at < at:
            # A real save (not .update()) so page caches and feeds see the change at once.
            # Not needed when the edit that came with the note was stamped already (an
            # agency's new version: saved, then noted, at once).
            article.content_updated_at = at
            article.save(update_fields=["content_updated_at"])
        events.emit(
            events.ArticleUpdated(
                article_id=article.pk,
                actor_id=getattr(note.created_by, "pk", None),
                category_ids=(article.category_id,),
                slugs=(article.slug,),
                fields=frozenset({"notes"}),
            )
        )
    return note
