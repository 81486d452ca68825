"""Import a WordPress export (WXR) into Akhbar: authors, taxonomy, posts, pages, comments.

The file is streamed through :func:`akhbar.importers.wxr.read_wxr`, so memory stays bounded
by the largest single item (times the batch size), whatever the file size. Posts are written
in batches of a few hundred, each batch in one ``transaction.atomic()`` block with bulk
statements (one insert per table, not a dozen ORM round trips per post). If a batch fails it
is rolled back and redone one post at a time through ``Article.save()``, each post in its own
transaction, like every other record: a bad item is reported and skipped, never half-written,
and a file that breaks half-way keeps everything before the fault (each item whole).

What an item points at may come later in the file (a category's parent, a comment's parent,
a post's featured image). Such links are written down on the item's :class:`ImportedItem`
row (``needs_linking``) and resolved in a second pass over those rows after the stream.

Re-running the same export updates what it imported the first time instead of duplicating
it: items are keyed by the WordPress site, the record kind and the WordPress id (or login /
nicename), with the post GUID as a fallback key.
"""

from __future__ import annotations

import contextlib
import copy
import html
import ipaddress
import logging
import os
import posixpath
import zoneinfo
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, router, transaction
from django.utils import timezone
from django.utils.text import slugify

from akhbar.comments.models import Comment
from akhbar.importers import bulk, legacy
from akhbar.importers.models import ImportedItem
from akhbar.importers.wpcontent import convert_wp_content, excerpt_from_html
from akhbar.importers.wxr import (
    WxrAuthor,
    WxrCategory,
    WxrComment,
    WxrError,
    WxrItem,
    WxrSite,
    WxrTag,
    WxrTerm,
    read_wxr,
)
from akhbar.newsroom import public as services
from akhbar.newsroom.models import (
    Article,
    Author,
    Category,
    Tag,
    unique_slug,
)
from akhbar.site.models import Page

log = logging.getLogger(__name__)

Kind = ImportedItem.Kind

# WordPress post status -> Akhbar article status; ``None`` means "do not import".
POST_STATUS: dict[str, str | None] = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # published with a future date = scheduled
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.PENDING,
    "private": Article.Status.DRAFT,  # private posts must not become public
    "trash": None,
    "auto-draft": None,
    "inherit": None,
}
COMMENT_STATUS = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
PING_TYPES = frozenset({"pingback", "trackback"})
UNCATEGORISED_SLUG = "uncategorized"
UNCATEGORISED_NAME = "غير مصنّف"
MEDIA_TIMEOUT = 20.0
MAX_MEDIA_BYTES = 50 * 1024 * 1024
# Posts written per transaction by the batch path. Big enough that the fixed cost of a
# statement is spread thin, small enough that redoing a failed batch one by one is quick.
BATCH_SIZE = 250
# The columns of a bookkeeping row, as written by the batch path.
RECORD_FIELDS = [
    "source", "kind", "key", "wp_id", "guid", "content_type", "object_id", "old_permalink",
    "data", "needs_linking", "imported_at",
]  # fmt: skip


class _Unbatchable(Exception):
    """The batch holds a case whose outcome depends on item order: redo it one by one."""


@dataclass
class ImportReport:
    """What happened, per kind of record, for the summary table and the tests."""

    site: str = ""
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fatal: str | None = None
    fatal_line: int | None = None
    items_seen: int = 0

    MAX_MESSAGES = 200

    def skip(self, kind: str, reason: str) -> None:
        self.skipped[(kind, reason)] += 1

    def error(self, kind: str, what: str, exc: BaseException | str) -> None:
        self.skip(kind, "error")
        if len(self.errors) < self.MAX_MESSAGES:
            self.errors.append(f"{kind} {what}: {exc}")

    def warn(self, message: str) -> None:
        if len(self.warnings) < self.MAX_MESSAGES:
            self.warnings.append(message)

    @property
    def ok(self) -> bool:
        return self.fatal is None

    def kinds(self) -> list[str]:
        order = [k.value for k in Kind]
        seen = set(self.created) | set(self.updated) | {k for k, _ in self.skipped}
        return [k for k in order if k in seen] + sorted(seen - set(order))

    def skipped_total(self, kind: str) -> int:
        return sum(n for (k, _), n in self.skipped.items() if k == kind)

    def snapshot(self) -> ImportReport:
        """A copy to go back to when a batch is rolled back and redone item by item."""
        return copy.deepcopy(self)

    def restore(self, saved: ImportReport) -> None:
        self.__dict__.update(copy.deepcopy(saved).__dict__)


class CountingReader:
    """A binary file wrapper that counts bytes read, for a progress bar by bytes."""

    def __init__(self, raw: IO[bytes], callback: Callable[[int], None] | None = None) -> None:
        self.raw = raw
        self.callback = callback
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.position += len(chunk)
        if self.callback is not None:
            self.callback(self.position)
        return chunk


def _clip(value: str, length: int) -> str:
    return (value or "")[:length]


def _slug(text: str, length: int) -> str:
    """WordPress slugs arrive percent-encoded; keep Arabic, drop what URLs cannot carry."""
    return slugify(unquote(text or "", errors="replace"), allow_unicode=True)[:length].strip("-")


def _plain_text(value: str) -> str:
    """Comment HTML as the plain text Akhbar stores (rendering adds paragraphs and links)."""
    return html.unescape(nh3.clean(value or "", tags=set(), attributes={})).strip()


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _unique_username(user_model: Any, wanted: str) -> str:
    """``wanted``, or ``wanted-wp``, ``wanted-wp2``… when an account already has the name."""
    wanted = wanted or "wp-author"
    taken = set(
        user_model.objects.filter(username__startswith=wanted[:140]).values_list(
            "username", flat=True
        )
    )
    if wanted not in taken:
        return wanted
    for n in range(1, 10_000):
        candidate = f"{wanted[:140]}-wp{n if n > 1 else ''}"
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free username for {wanted!r}")


class WordPressImporter:
    """One import run. ``import_file`` is the whole job; the rest are its steps."""

    def __init__(
        self,
        *,
        fetch_media: bool = False,
        progress: Callable[[int], None] | None = None,
        http_client: Any = None,
        time_zone: str | None = None,
        pause_indexing: bool = False,
        batch_size: int = BATCH_SIZE,
        author_map: dict[str, str] | None = None,
    ) -> None:
        self.fetch_media = fetch_media
        # WXR login -> existing username (--map-author): the only way an import credits an
        # account that already exists.
        self.author_map = dict(author_map or {})
        self.progress = progress
        self.http_client = http_client
        self.tz = zoneinfo.ZoneInfo(time_zone or settings.TIME_ZONE)
        self.report = ImportReport()
        self.started = timezone.now()
        self.pause_indexing = pause_indexing
        self._earlier: bool | None = None
        self.source = "wordpress"
        self.base_path = ""
        # Small id maps (taxonomy and people, never posts) so each post costs no lookups.
        self._authors: dict[str, int] = {}
        self._authors_by_wp_id: dict[int, int] = {}
        self._categories: dict[str, int] = {}
        self._tags: dict[str, int] = {}
        self._contributor_group: Group | bool | None = False
        self._ct: dict[type, ContentType] = {}
        # Posts waiting to be written as one batch (``batch_size`` <= 1: one by one).
        self.batch_size = batch_size
        self._pending: list[WxrItem] = []
        self._pending_ids: set[int] = set()
        self._pending_comment_ids: set[int] = set()

    # --- entry point ----------------------------------------------------------------------

    def import_file(self, path_or_file: str | os.PathLike[str] | IO[bytes]) -> ImportReport:
        """Stream the file, import each record, then resolve deferred links."""
        if isinstance(path_or_file, str | os.PathLike):
            try:
                raw: IO[bytes] = open(path_or_file, "rb")  # noqa: SIM115 - closed below
            except OSError as exc:
                self.report.fatal = f"Cannot read {os.fspath(path_or_file)}: {exc.strerror}"
                return self.report
            close = True
        else:
            raw, close = path_or_file, False
        try:
            with contextlib.ExitStack() as stack:
                paused = stack.enter_context(bulk.paused_indexing()) if self.pause_indexing else []
                self._stream(CountingReader(raw, self.progress))
            if paused and (self.report.created or self.report.updated):
                self.report.notes.extend(bulk.catch_up(paused))
        finally:
            if close:
                raw.close()
        return self.report

    def _stream(self, reader: CountingReader) -> None:
        try:
            for record in read_wxr(reader, forbid_dtd=True):
                self._dispatch(record)
        except WxrError as exc:
            self.report.fatal = exc.message
            self.report.fatal_line = exc.line
        # Every post read whole before the end (or the fault) is written.
        self._flush_posts()
        if self.report.items_seen or self.report.created or self.report.updated:
            self.link_pass()

    def _dispatch(self, record: Any) -> None:
        if isinstance(record, WxrItem) and record.post_id is not None and self.batch_size > 1:
            if record.post_type == "post":
                self.report.items_seen += 1
                self._queue_post(record)
                return
            if record.post_type == "attachment":
                # Attachment rows touch nothing a post writes: no need to end the batch.
                self.report.items_seen += 1
                self._item(record)
                return
        # Anything else (site, people, taxonomy, pages) may change what the pending posts
        # would find, so they are written first, keeping the file's order of effects.
        self._flush_posts()
        if isinstance(record, WxrSite):
            self._site(record)
        elif isinstance(record, WxrAuthor):
            self._guard(Kind.AUTHOR, record.login, self.import_author, record)
        elif isinstance(record, WxrCategory):
            self._guard(Kind.CATEGORY, record.nicename, self.import_category, record)
        elif isinstance(record, WxrTag):
            self._guard(Kind.TAG, record.slug, self.import_tag, record)
        elif isinstance(record, WxrTerm):
            self.report.skip("term", f"taxonomy {record.taxonomy or '?'} is not imported")
        elif isinstance(record, WxrItem):
            self.report.items_seen += 1
            self._item(record)

    def _guard(self, kind: str, what: Any, func: Callable[..., Any], *args: Any) -> Any:
        """Run one record's import in its own transaction; report instead of raising."""
        try:
            with transaction.atomic():
                return func(*args)
        except (DatabaseError, ValueError, TypeError, KeyError, OSError) as exc:
            log.warning("Skipping %s %s: %s", kind, what, exc)
            self.report.error(kind, str(what), exc)
            self._forget_ids()
            return None

    def _forget_ids(self) -> None:
        """Ids cached during a failed transaction may have been rolled back with it."""
        self._authors.clear()
        self._authors_by_wp_id.clear()
        self._categories.clear()
        self._tags.clear()

    def _site(self, site: WxrSite) -> None:
        url = site.base_blog_url or site.link or site.base_site_url
        self.source = _clip(url.rstrip("/") or "wordpress", 200)
        self.report.site = site.title or self.source
        self.base_path = urlsplit(url).path.rstrip("/")
        for warning in site.warnings:
            self.report.warn(warning)

    # --- bookkeeping ----------------------------------------------------------------------

    def _content_type(self, model: type) -> ContentType:
        if model not in self._ct:
            self._ct[model] = ContentType.objects.get_for_model(model)
        return self._ct[model]

    def _find(self, kind: str, key: str, guid: str = "") -> ImportedItem | None:
        found = ImportedItem.objects.filter(source=self.source, kind=kind, key=key).first()
        if found is None and guid and self._has_earlier_rows():
            # The same post under a new id (the old site was itself migrated). Only rows from
            # earlier runs count: within one file, distinct ids are distinct posts even when
            # they share a GUID (the theme unit test data has such pairs).
            found = ImportedItem.objects.filter(
                source=self.source, kind=kind, guid=guid, imported_at__lt=self.started
            ).first()
        return found

    def _has_earlier_rows(self) -> bool:
        if self._earlier is None:
            self._earlier = ImportedItem.objects.filter(
                source=self.source, imported_at__lt=self.started
            ).exists()
        return self._earlier

    def _target(self, item: ImportedItem | None, model: type) -> Any:
        if item is None or item.object_id is None:
            return None
        return model._default_manager.filter(pk=item.object_id).first()

    def _remember(
        self,
        item: ImportedItem | None,
        kind: str,
        key: str,
        obj: Any,
        *,
        wp_id: int | None = None,
        guid: str = "",
        permalink: str = "",
        data: dict | None = None,
        needs_linking: bool = False,
    ) -> ImportedItem:
        item = item or ImportedItem(source=self.source, kind=kind)
        item.key = key
        item.wp_id = wp_id
        item.guid = _clip(guid, 500)
        if obj is not None:
            item.content_type = self._content_type(type(obj))
            item.object_id = obj.pk
        item.old_permalink = _clip(permalink, 1000)
        item.data = data or {}
        item.needs_linking = needs_linking
        item.save()
        return item

    def _aware(self, local: datetime | None, gmt: datetime | None) -> datetime | None:
        """GMT when the export has it, else the local time read in the site's time zone."""
        if gmt is not None:
            return gmt
        if local is not None:
            return local.replace(tzinfo=self.tz).astimezone(UTC)
        return None

    def _legacy(self, target: Any, *links: str, extra: tuple[str, ...] = ()) -> None:
        legacy.register(_legacy_keys(links, extra), target)

    # --- authors and taxonomy -------------------------------------------------------------

    def _contributor(self) -> Group | None:
        if self._contributor_group is False:
            try:
                from akhbar.newsroom import public as roles

                names = [roles.group_name(roles.CONTRIBUTOR), roles.CONTRIBUTOR]
            except (ImportError, AttributeError, KeyError):
                names = ["contributor"]
            self._contributor_group = Group.objects.filter(name__in=names).first()
        return self._contributor_group or None

    def import_author(self, author: WxrAuthor) -> Author | None:
        """The profile for one ``wp:author``. An import never changes an existing account:
        a login equal to an existing username gets a *new*, unique, inactive contributor,
        unless ``author_map`` (``--map-author LOGIN=USER``) names the account to credit."""
        login = author.login.strip()
        if not login:
            self.report.skip(Kind.AUTHOR, "no login")
            return None
        item = self._find(Kind.AUTHOR, login)
        profile = self._target(item, Author)
        user_model = get_user_model()
        user = profile.user if profile is not None and profile.user_id else None
        mapped = False
        if user is None and login in self.author_map:
            user = user_model.objects.filter(username=self.author_map[login]).first()
            mapped = user is not None
            if not mapped:
                self.report.warn(
                    f"--map-author {login}={self.author_map[login]}: no such user; "
                    "a new inactive contributor was created instead"
                )
        if user is None:
            user = user_model(
                username=_unique_username(user_model, _clip(login, 150)),
                email=_clip(author.email, 254),
                first_name=_clip(author.first_name, 150),
                last_name=_clip(author.last_name, 150),
                # Inactive until someone in the newsroom vouches for the account.
                is_active=False,
                is_staff=True,
            )
            user.set_unusable_password()
            user.save()
            if (group := self._contributor()) is not None:
                user.groups.add(group)
        display = (author.display_name or "").strip() or login
        mapped_profile = False
        if profile is None:
            profile = Author.objects.filter(user=user).first()
            mapped_profile = profile is not None and mapped
        if profile is None:
            profile = Author(user=user)
            profile.slug = unique_slug(Author, _slug(login, 140) or display, None, 140)
        if not mapped_profile:
            # The existing writer's public profile stays as the newsroom wrote it.
            profile.display_name = _clip(display, 120)
            profile.save()
        self._remember(item, Kind.AUTHOR, login, profile, wp_id=author.id)
        (self.report.updated if item else self.report.created)[Kind.AUTHOR] += 1
        self._authors[login] = profile.pk
        if author.id is not None:
            self._authors_by_wp_id[author.id] = user.pk
        self._legacy(profile, extra=(f"{self.base_path}/author/{unquote(login)}",))
        return profile

    def _author_for(self, login: str) -> int | None:
        """The Author for a post's ``dc:creator``, created on the fly when undeclared."""
        login = login.strip()
        if not login:
            return None
        if login in self._authors:
            return self._authors[login]
        item = self._find(Kind.AUTHOR, login)
        if item is not None and item.object_id:
            self._authors[login] = item.object_id
            return item.object_id
        profile = self.import_author(WxrAuthor(None, login, "", login, "", ""))
        return profile.pk if profile else None

    def import_category(self, cat: WxrCategory) -> Category | None:
        key = unquote(cat.nicename or "", errors="replace").strip() or _slug(cat.name, 120)
        if not key:
            self.report.skip(Kind.CATEGORY, "no nicename")
            return None
        item = self._find(Kind.CATEGORY, key)
        obj = self._target(item, Category)
        slug = _slug(key, 120) or _slug(cat.name, 120) or "category"
        if obj is None:
            obj = Category.objects.filter(slug=slug).first()
        created = obj is None
        if obj is None:
            obj = Category(slug=unique_slug(Category, slug, None, 120))
        obj.name = _clip(html.unescape(cat.name).strip() or key, 100)
        obj.description = cat.description or obj.description
        parent_key = unquote(cat.parent_nicename or "", errors="replace").strip()
        parent_pk = self._category_pk(parent_key) if parent_key else None
        if parent_pk and parent_pk != obj.pk:
            obj.parent_id = parent_pk
        obj.save()
        self._remember(
            item,
            Kind.CATEGORY,
            key,
            obj,
            wp_id=cat.term_id,
            data={"parent": parent_key} if parent_key else {},
            needs_linking=bool(parent_key),  # the full /category/a/b/ path needs the chain
        )
        (self.report.created if created and item is None else self.report.updated)[
            Kind.CATEGORY
        ] += 1
        self._categories[key] = obj.pk
        extra = [f"{self.base_path}/category/{key}"]
        if cat.term_id is not None:
            extra.append(f"?cat={cat.term_id}")
        self._legacy(obj, extra=tuple(extra))
        return obj

    def _category_pk(self, key: str) -> int | None:
        if key in self._categories:
            return self._categories[key]
        item = self._find(Kind.CATEGORY, key)
        if item is not None and item.object_id:
            self._categories[key] = item.object_id
            return item.object_id
        return None

    def import_tag(self, tag: WxrTag) -> Tag | None:
        key = unquote(tag.slug or "", errors="replace").strip() or _slug(tag.name, 120)
        if not key:
            self.report.skip(Kind.TAG, "no slug")
            return None
        return self._tag(key, tag.name, tag.term_id, declared=True)

    def _tag(self, key: str, name: str, term_id: int | None, declared: bool) -> Tag:
        item = self._find(Kind.TAG, key)
        obj = self._target(item, Tag)
        name = _clip(html.unescape(name or "").strip() or key, 100)
        slug = _slug(key, 120) or _slug(name, 120) or "tag"
        if obj is None:
            obj = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name=name).first()
        created = obj is None
        if obj is None:
            obj = Tag(name=name, slug=unique_slug(Tag, slug, None, 120))
            obj.save()
        elif declared and obj.name != name and not Tag.objects.filter(name=name).exists():
            obj.name = name
            obj.save()
        self._remember(item, Kind.TAG, key, obj, wp_id=term_id)
        if declared or created:
            (self.report.created if created else self.report.updated)[Kind.TAG] += 1
        self._tags[key] = obj.pk
        self._legacy(obj, extra=(f"{self.base_path}/tag/{key}", f"?tag={key}"))
        return obj

    def _tag_pk(self, key: str, name: str) -> int:
        if key in self._tags:
            return self._tags[key]
        return self._tag(key, name, None, declared=False).pk

    def _uncategorised(self) -> int:
        pk = self._category_pk(UNCATEGORISED_SLUG)
        if pk is None:
            obj = Category.objects.filter(slug=UNCATEGORISED_SLUG).first()
            if obj is None:
                obj = Category.objects.create(name=UNCATEGORISED_NAME, slug=UNCATEGORISED_SLUG)
            pk = self._categories[UNCATEGORISED_SLUG] = obj.pk
        return pk

    # --- items ----------------------------------------------------------------------------

    def _item(self, item: WxrItem) -> None:
        post_type = item.post_type or "?"
        if item.post_id is None:
            self.report.skip(post_type, "no valid wp:post_id")
            return
        if post_type == "post":
            self._guard(Kind.POST, item.post_id, self.import_post, item)
        elif post_type == "page":
            self._guard(Kind.PAGE, item.post_id, self.import_page, item)
        elif post_type == "attachment":
            self._guard(Kind.ATTACHMENT, item.post_id, self.import_attachment, item)
        else:
            self.report.skip(post_type, "post type not imported")

    def _post_status(self, wp: WxrItem) -> str | None:
        """The Akhbar status for a post, or ``None`` (reported as skipped) when not imported."""
        status = POST_STATUS.get(wp.status, Article.Status.DRAFT)
        if status is None:
            self.report.skip(Kind.POST, f"status {wp.status}")
            return None
        if wp.status not in POST_STATUS:
            self.report.warn(f"post {wp.post_id}: unknown status {wp.status!r}, imported as draft")
        if wp.password and status == Article.Status.PUBLISHED:
            status = Article.Status.DRAFT
            self.report.warn(f"post {wp.post_id} is password-protected: imported as a draft")
        return status

    def _post_categories(self, wp: WxrItem) -> tuple[list[WxrTerm], list[int]]:
        """The post's category terms and their pks (undeclared ones created on the fly)."""
        categories = [t for t in wp.categories if t.domain == "category"]
        category_pks: list[int] = []
        for term in categories:
            key_c = unquote(term.nicename, errors="replace").strip()
            pk = self._category_pk(key_c)
            if pk is None:
                made = self.import_category(WxrCategory(None, term.nicename, "", term.name, ""))
                pk = made.pk if made else None
            if pk is not None and pk not in category_pks:
                category_pks.append(pk)
        return categories, category_pks

    def _fill_post(
        self, article: Article, wp: WxrItem, status: str, when: Any, category_pks: list[int]
    ) -> None:
        """Set what the export says about the article (both paths; save() derives the rest)."""
        article.category_id = category_pks[0] if category_pks else self._uncategorised()
        article.title = _clip(html.unescape(wp.title).strip(), 300)
        article.body = convert_wp_content(wp.content)
        article.excerpt = (
            excerpt_from_html(convert_wp_content(wp.excerpt), 80) if wp.excerpt else ""
        )
        article.status = status
        dated = status == Article.Status.PUBLISHED or wp.post_date_gmt is not None
        article.published_at = when if dated else None
        article.is_featured = wp.is_sticky
        article.comments_open = wp.comment_status != "closed"
        article.author_id = self._author_for(wp.creator)

    def _post_tag_pks(self, wp: WxrItem, category_pks: list[int]) -> list[int]:
        """Tag pks, in order, without repeats; categories beyond the first become tags."""
        tag_pks = [
            self._tag_pk(unquote(t.nicename, errors="replace").strip(), t.name)
            for t in wp.categories
            if t.domain == "post_tag"
        ]
        # Akhbar has one category per article: the others stay visible as tags.
        for pk in category_pks[1:]:
            name = Category.objects.filter(pk=pk).values_list("name", flat=True).first()
            if name:
                tag_pks.append(self._tag_pk(f"category-{pk}", name))
        return list(dict.fromkeys(tag_pks))

    @staticmethod
    def _post_data(
        wp: WxrItem, categories: list[WxrTerm], category_pks: list[int]
    ) -> tuple[dict[str, Any], bool]:
        """The bookkeeping data of a post's ImportedItem row, and whether it needs linking."""
        thumbnail = _int(wp.postmeta.get("_thumbnail_id", [""])[0])
        data: dict[str, Any] = {}
        if thumbnail:
            data["thumbnail"] = thumbnail
        if len(category_pks) > 1:
            data["categories"] = [t.nicename for t in categories]
        return data, bool(thumbnail)

    @staticmethod
    def _base_slug(wp: WxrItem) -> str:
        return _slug(wp.post_name, 190) or _slug(wp.title, 190) or f"post-{wp.post_id}"

    def import_post(self, wp: WxrItem) -> Article | None:
        """One post through ``Article.save()`` (the fallback for a batch that failed)."""
        status = self._post_status(wp)
        if status is None:
            return None
        key = str(wp.post_id)
        record = self._find(Kind.POST, key, wp.guid)
        article = self._target(record, Article)
        created = article is None
        if article is None:
            article = Article()
        when = self._aware(wp.post_date, wp.post_date_gmt)
        categories, category_pks = self._post_categories(wp)
        self._fill_post(article, wp, status, when, category_pks)
        if created:
            article.slug = unique_slug(Article, self._base_slug(wp), None, 200)
        # Tags in the same save through the write path, so its one event knows them.
        article._pending_tag_ids = self._post_tag_pks(wp, category_pks)
        article.save()
        if created and when is not None:
            stamps: dict[str, Any] = {"created_at": when}
            if status == Article.Status.PUBLISHED and when <= self.started:
                # Already live on the old site: no "went live" hook should fire for it now.
                stamps["went_live_at"] = when
            Article.objects.filter(pk=article.pk).update(**stamps)

        data, needs_linking = self._post_data(wp, categories, category_pks)
        self._remember(
            record,
            Kind.POST,
            key,
            article,
            wp_id=wp.post_id,
            guid=wp.guid,
            permalink=wp.link,
            data=data,
            needs_linking=needs_linking,
        )
        (self.report.created if created else self.report.updated)[Kind.POST] += 1
        self._legacy(article, wp.link, extra=(f"?p={wp.post_id}",))
        self.import_comments(wp, article)
        return article

    # --- posts in batches -------------------------------------------------------------------

    def _queue_post(self, wp: WxrItem) -> None:
        """Hold a post for the next batch; a repeated post or comment id ends the batch first.

        Within one batch every post is looked up before any is written, so a post (or a
        comment) that appears twice must land in different batches to be updated, not doubled.
        """
        comment_ids = {c.id for c in wp.comments if c.id is not None}
        if wp.post_id in self._pending_ids or not comment_ids.isdisjoint(self._pending_comment_ids):
            self._flush_posts()
        self._pending.append(wp)
        self._pending_ids.add(wp.post_id)
        self._pending_comment_ids |= comment_ids
        if len(self._pending) >= self.batch_size:
            self._flush_posts()

    def _flush_posts(self) -> None:
        """Write the pending posts in one transaction; if that fails, one by one.

        The one-by-one redo goes through :meth:`import_post` (each post in its own
        transaction), so a bad post is reported and skipped while the rest of its batch is
        imported: the batch is only a faster way to reach the same end state.
        """
        batch = self._pending
        if not batch:
            return
        self._pending, self._pending_ids, self._pending_comment_ids = [], set(), set()
        saved = self.report.snapshot()
        try:
            with transaction.atomic():
                self._import_post_batch(batch)
        except (_Unbatchable, DatabaseError, ValueError, TypeError, KeyError, OSError) as exc:
            self.report.restore(saved)
            self._forget_ids()
            level = logging.INFO if isinstance(exc, _Unbatchable) else logging.WARNING
            log.log(level, "Batch of %d posts redone one by one: %s", len(batch), exc)
            for wp in batch:
                self._guard(Kind.POST, wp.post_id, self.import_post, wp)

    def _find_many(self, kind: str, wanted: list[tuple[str, str]]) -> list[ImportedItem | None]:
        """:meth:`_find` for many (key, guid) pairs in two queries, with the same answers."""
        keys = [key for key, _ in wanted]
        by_key = {
            r.key: r
            for r in ImportedItem.objects.filter(source=self.source, kind=kind, key__in=keys)
        }
        found: list[ImportedItem | None] = [by_key.get(key) for key in keys]
        guids = {guid for (_, guid), row in zip(wanted, found, strict=True) if row is None and guid}
        if not guids or not self._has_earlier_rows():
            return found
        by_guid: dict[str, list[ImportedItem]] = {}
        for row in ImportedItem.objects.filter(
            source=self.source, kind=kind, guid__in=guids, imported_at__lt=self.started
        ).order_by("pk"):
            by_guid.setdefault(row.guid, []).append(row)
        claimed = {row.pk for row in found if row is not None}
        for i, ((_, guid), row) in enumerate(zip(wanted, found, strict=True)):
            if row is None and by_guid.get(guid):
                # One post claims the row (it is re-keyed and re-stamped), the next one with
                # the same GUID gets the next older row, as one-by-one lookups would.
                match = by_guid[guid].pop(0)
                if match.pk in claimed:
                    raise _Unbatchable(f"post {keys[i]}: GUID matches another post's row")
                claimed.add(match.pk)
                found[i] = match
        return found

    def _import_post_batch(self, batch: list[WxrItem]) -> None:
        """Posts, their tags, revisions, bookkeeping rows, old URLs and comments, in bulk.

        The articles themselves are saved by the newsroom's batch write path
        (``services.save_many``): the same derived fields, slugs, revisions, tags, renditions
        request and events as a single save, with bulk statements.
        """
        now = timezone.now()
        wanted = [(wp, status) for wp in batch if (status := self._post_status(wp)) is not None]
        if not wanted:
            return
        records = self._find_many(Kind.POST, [(str(wp.post_id), wp.guid) for wp, _ in wanted])
        existing = Article.objects.in_bulk(
            [r.object_id for r in records if r is not None and r.object_id]
        )
        rows: list[dict[str, Any]] = []
        for (wp, status), record in zip(wanted, records, strict=True):
            article = existing.get(record.object_id) if record and record.object_id else None
            created = article is None
            if article is None:
                article = Article()
            when = self._aware(wp.post_date, wp.post_date_gmt)
            categories, category_pks = self._post_categories(wp)
            self._fill_post(article, wp, status, when, category_pks)
            if created:
                article.slug = self._base_slug(wp)  # made unique by save_many
                if when is not None and status == Article.Status.PUBLISHED and when <= self.started:
                    # Already live on the old site: it went live then, not now.
                    article.went_live_at = when
            data, needs_linking = self._post_data(wp, categories, category_pks)
            rows.append(
                {
                    "wp": wp,
                    "record": record,
                    "article": article,
                    "created": created,
                    "when": when,
                    "tags": self._post_tag_pks(wp, category_pks),
                    "data": data,
                    "needs_linking": needs_linking,
                }
            )
        services.save_many([(row["article"], row["tags"]) for row in rows])
        new = [row for row in rows if row["created"]]
        _set_created_at(
            [(row["article"], row["when"]) for row in new if row["when"] is not None], Article
        )
        self._write_records(rows, now)
        legacy.register_many(
            (_legacy_keys([row["wp"].link], (f"?p={row['wp'].post_id}",)), row["article"])
            for row in rows
        )
        self._import_comments([(row["wp"], row["article"]) for row in rows])
        for row in rows:
            (self.report.created if row["created"] else self.report.updated)[Kind.POST] += 1

    def _write_records(self, rows: list[dict[str, Any]], now: Any) -> None:
        """The posts' ImportedItem rows: new ones inserted, earlier ones updated in place."""
        ct = self._content_type(Article)
        fresh, seen = [], []
        for row in rows:
            wp = row["wp"]
            record = row["record"] or ImportedItem(source=self.source, kind=Kind.POST)
            record.key = str(wp.post_id)
            record.wp_id = wp.post_id
            record.guid = _clip(wp.guid, 500)
            record.content_type = ct
            record.object_id = row["article"].pk
            record.old_permalink = _clip(wp.link, 1000)
            record.data = row["data"]
            record.needs_linking = row["needs_linking"]
            record.imported_at = now  # auto_now is not applied by bulk_update
            (seen if record.pk else fresh).append(record)
        bulk.insert_rows(ImportedItem, fresh, RECORD_FIELDS)
        ImportedItem.objects.bulk_update(
            seen,
            ["key", "wp_id", "guid", "content_type", "object_id", "old_permalink", "data",
             "needs_linking", "imported_at"],
        )  # fmt: skip

    def import_page(self, wp: WxrItem) -> Page | None:
        status = POST_STATUS.get(wp.status, Article.Status.DRAFT)
        if status is None:
            self.report.skip(Kind.PAGE, f"status {wp.status}")
            return None
        key = str(wp.post_id)
        record = self._find(Kind.PAGE, key, wp.guid)
        page = self._target(record, Page)
        created = page is None
        if page is None:
            base = _slug(wp.post_name, 110) or _slug(wp.title, 110) or f"page-{wp.post_id}"
            page = Page(slug=unique_slug(Page, base, None, 120))
        page.title = _clip(html.unescape(wp.title).strip(), 200)
        page.body = convert_wp_content(wp.content)
        page.is_published = status == Article.Status.PUBLISHED and not wp.password
        page.save()
        self._remember(
            record,
            Kind.PAGE,
            key,
            page,
            wp_id=wp.post_id,
            guid=wp.guid,
            permalink=wp.link,
            data={"parent": wp.post_parent} if wp.post_parent else {},
        )
        (self.report.created if created else self.report.updated)[Kind.PAGE] += 1
        self._legacy(page, wp.link, extra=(f"?page_id={wp.post_id}", f"?p={wp.post_id}"))
        for _ in wp.comments:
            self.report.skip(Kind.COMMENT, "on a static page (pages take no comments)")
        return page

    def import_attachment(self, wp: WxrItem) -> None:
        """Attachments are kept as metadata (original URL, caption, alt); files on request."""
        key = str(wp.post_id)
        record = self._find(Kind.ATTACHMENT, key, wp.guid)
        data = dict(record.data) if record else {}
        data.update(
            {
                "url": wp.attachment_url or wp.guid,
                "title": wp.title,
                "caption": excerpt_from_html(convert_wp_content(wp.excerpt), 60)
                if wp.excerpt
                else "",
                "alt": (wp.postmeta.get("_wp_attachment_image_alt") or [""])[0],
                "file": (wp.postmeta.get("_wp_attached_file") or [""])[0],
                "parent": wp.post_parent,
            }
        )
        if self.fetch_media and not data.get("local"):
            data["local"] = self._fetch_media(data["url"], data["file"])
        self._remember(
            record,
            Kind.ATTACHMENT,
            key,
            None,
            wp_id=wp.post_id,
            guid=wp.guid,
            permalink=wp.link,
            data=data,
        )
        (self.report.updated if record else self.report.created)[Kind.ATTACHMENT] += 1

    def _fetch_media(self, url: str, file_name: str) -> str:
        """Download one attachment into media storage; '' (and a warning) when it fails.

        Through the SSRF guard (:mod:`akhbar.core.http`): an import file naming
        ``http://127.0.0.1/…`` or a private address is refused unless
        ``AKHBAR_ALLOW_PRIVATE_FETCH`` is on; size and time are capped."""
        import time

        import httpx
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        from akhbar.core.http import guarded_client, read_limited

        if not url.lower().startswith(("http://", "https://")):
            return ""
        client = self.http_client or guarded_client(timeout=MEDIA_TIMEOUT)
        started = time.monotonic()
        try:
            with client.stream("GET", url) as response:
                response.raise_for_status()
                content = read_limited(
                    response, max_bytes=MAX_MEDIA_BYTES, deadline=started + 3 * MEDIA_TIMEOUT
                )
        except httpx.HTTPError as exc:
            self.report.warn(f"media {url}: {exc}")
            return ""
        finally:
            if self.http_client is None:
                client.close()
        name = posixpath.basename(file_name or urlsplit(url).path) or "file"
        folder = posixpath.dirname(file_name).strip("/") if file_name else ""
        path = posixpath.join("wordpress", folder, name) if folder else f"wordpress/{name}"
        return default_storage.save(path, ContentFile(content))

    # --- comments -------------------------------------------------------------------------

    def import_comments(self, wp: WxrItem, article: Article) -> None:
        """All comments of one post in a few bulk statements, threads rebuilt in memory."""
        self._import_comments([(wp, article)])

    def _import_comments(self, posts: list[tuple[WxrItem, Article]]) -> None:
        """The comments of several posts at once: one lookup, one insert per nesting level.

        Threads are resolved inside each post; a reply whose parent is in another post (or
        missing) is left for the link pass, as in the one-post case.
        """
        per_post: list[tuple[WxrItem, Article, list[WxrComment]]] = []
        for wp, article in posts:
            wanted: list[WxrComment] = []
            for c in wp.comments:
                if c.id is None:
                    self.report.skip(Kind.COMMENT, "no comment id")
                elif c.type in PING_TYPES:
                    self.report.skip(Kind.COMMENT, "pingback/trackback")
                else:
                    wanted.append(c)
            if wanted:
                per_post.append((wp, article, wanted))
        if not per_post:
            return
        keys = [str(c.id) for _, _, wanted in per_post for c in wanted]
        known = {
            r.key: r
            for r in ImportedItem.objects.filter(
                source=self.source, kind=Kind.COMMENT, key__in=keys
            )
        }
        existing = Comment.objects.in_bulk([r.object_id for r in known.values() if r.object_id])
        new: list[Comment] = []
        changed: list[Comment] = []
        levels: dict[int, list[Comment]] = {}
        dates: dict[int, Any] = {}
        done: list[tuple[WxrItem, WxrComment, Comment, bool]] = []
        for wp, article, wanted in per_post:
            objs: dict[int, Comment] = {}
            post_new: list[Comment] = []
            for c in wanted:
                rec = known.get(str(c.id))
                obj = existing.get(rec.object_id) if rec and rec.object_id else None
                if obj is None:
                    obj = Comment(article=article)
                    post_new.append(obj)
                obj.article = article
                obj.author_name = _clip(html.unescape(c.author).strip() or "مجهول", 100)
                obj.author_email = _clip(c.author_email, 254)
                obj.author_url = _clip(c.author_url, 300)
                obj.body = _plain_text(c.content)
                obj.status = COMMENT_STATUS.get(c.approved, Comment.Status.PENDING)
                obj.ip_address = _valid_ip(c.author_ip)
                obj.user_agent = _clip((c.meta.get("comment_agent") or [""])[0], 500)
                obj.user_id = self._authors_by_wp_id.get(c.user_id) if c.user_id else None
                objs[c.id] = obj
            by_id = {c.id: c for c in wanted}
            for c in wanted:
                obj = objs[c.id]
                parent = objs.get(c.parent_id) if c.parent_id else None
                obj.depth, cyclic = _depth(c.id, by_id, objs)
                unresolved = False
                if cyclic:
                    parent, obj.depth = None, 0
                elif c.parent_id and parent is None:
                    unresolved = True  # in another post, or missing: the link pass decides
                obj.parent = parent
                obj.created_at = self._aware(c.date, c.date_gmt) or article.published_at
                dates[id(obj)] = obj.created_at  # bulk_create's auto_now_add overwrites it
                levels.setdefault(obj.depth, []).append(obj)
                done.append((wp, c, obj, unresolved))
            fresh_here = {id(o) for o in post_new}
            changed.extend(o for o in objs.values() if id(o) not in fresh_here)
            new.extend(post_new)
        fresh = {id(o) for o in new}
        # Parents first, so every reply is inserted with its parent's id already known.
        for depth in sorted(levels):
            batch = [o for o in levels[depth] if id(o) in fresh]
            for o in batch:
                o.parent = o.parent  # refresh parent_id from the now-saved parent
            Comment.objects.bulk_create(batch)
        if changed:
            Comment.objects.bulk_update(
                changed,
                ["article", "author_name", "author_email", "author_url", "body", "status",
                 "ip_address", "user_agent", "user", "parent", "created_at", "depth"],
            )  # fmt: skip
        _set_created_at([(o, dates[id(o)]) for o in new])
        ct = self._content_type(Comment)
        now = timezone.now()
        rows = []
        for wp, c, obj, unresolved in done:
            rec = known.get(str(c.id)) or ImportedItem(
                source=self.source, kind=Kind.COMMENT, key=str(c.id), imported_at=now
            )
            rec.wp_id, rec.content_type, rec.object_id = c.id, ct, obj.pk
            rec.data = {"parent": c.parent_id, "post": wp.post_id} if unresolved else {}
            rec.needs_linking = unresolved
            rows.append(rec)
        bulk.insert_rows(
            ImportedItem,
            rows,
            RECORD_FIELDS,
            conflict=["source", "kind", "key"],
            update=["wp_id", "content_type", "object_id", "data", "needs_linking"],
        )
        for _, c, _, _ in done:
            (self.report.updated if str(c.id) in known else self.report.created)[Kind.COMMENT] += 1

    # --- second pass ----------------------------------------------------------------------

    def link_pass(self) -> None:
        """Resolve what pointed forward in the file, from the rows written in the first pass."""
        pending = ImportedItem.objects.filter(source=self.source, needs_linking=True)
        for kind, func in (
            (Kind.CATEGORY, self._link_category),
            (Kind.POST, self._link_post),
            (Kind.COMMENT, self._link_comment),
        ):
            for pk in list(pending.filter(kind=kind).values_list("pk", flat=True)):
                row = ImportedItem.objects.filter(pk=pk).first()
                if row is not None:
                    self._guard(kind, row.key, func, row)

    def _link_category(self, row: ImportedItem) -> None:
        parent_key = row.data.get("parent", "")
        parent_pk = self._category_pk(parent_key)
        category = self._target(row, Category)
        if category is None:
            return
        if parent_pk is None:
            self.report.warn(f"category {row.key}: parent {parent_key!r} is not in the export")
        elif (
            parent_pk != category.pk
            and category.parent_id != parent_pk
            and not self._is_descendant(parent_pk, category.pk)
        ):
            category.parent_id = parent_pk
            category.save(update_fields=["parent"])
        # WordPress links nested categories with their whole chain: /category/a/b/c/.
        chain = [row.key]
        seen = {row.key}
        parent = parent_key
        while parent and parent not in seen:
            chain.insert(0, parent)
            seen.add(parent)
            up = ImportedItem.objects.filter(
                source=self.source, kind=Kind.CATEGORY, key=parent
            ).first()
            parent = up.data.get("parent", "") if up else ""
        legacy.register([f"{self.base_path}/category/{'/'.join(chain)}"], category)
        row.needs_linking = False
        row.save(update_fields=["needs_linking"])

    @staticmethod
    def _is_descendant(candidate_pk: int, ancestor_pk: int) -> bool:
        """Would making ``candidate`` the parent create a cycle?"""
        seen: set[int] = set()
        pk: int | None = candidate_pk
        while pk is not None and pk not in seen:
            if pk == ancestor_pk:
                return True
            seen.add(pk)
            pk = Category.objects.filter(pk=pk).values_list("parent_id", flat=True).first()
        return False

    def _link_post(self, row: ImportedItem) -> None:
        article = self._target(row, Article)
        thumb = row.data.get("thumbnail")
        if article is None or not thumb:
            return
        media = ImportedItem.objects.filter(
            source=self.source, kind=Kind.ATTACHMENT, key=str(thumb)
        ).first()
        if media is None:
            self.report.warn(f"post {row.key}: featured image {thumb} is not in the export")
        else:
            info = media.data
            article.image_caption = _clip(info.get("caption") or "", 300)
            article.image_alt = _clip(info.get("alt") or info.get("title") or "", 300)
            fields = ["image_caption", "image_alt"]
            local = info.get("local")
            if local and article.featured_image.name != local:
                self._attach_image(article, local)
            Article.objects.filter(pk=article.pk).update(**{f: getattr(article, f) for f in fields})
            # A bulk column update: tell subscribers through the write path's helper.
            services.emit_updated([article.pk], frozenset({"image_caption", "image_alt"}))
            row.data = {**row.data, "featured_image_url": info.get("url", "")}
        row.needs_linking = False
        row.save(update_fields=["data", "needs_linking"])

    def _attach_image(self, article: Article, local: str) -> None:
        """Use a fetched file as the featured image, through the newsroom's image checks."""
        from django.core.exceptions import ValidationError
        from django.core.files.storage import default_storage

        from akhbar.newsroom import public as images

        try:
            with default_storage.open(local, "rb") as fh:
                cleaned = images.clean_upload(fh, posixpath.basename(local))
        except (ValidationError, OSError, ValueError) as exc:
            self.report.warn(f"featured image {local}: {exc}")
            return
        article.featured_image.save(cleaned.name, cleaned, save=False)
        article.save()

    def _link_comment(self, row: ImportedItem) -> None:
        parent_id = row.data.get("parent")
        comment = self._target(row, Comment)
        parent_row = ImportedItem.objects.filter(
            source=self.source, kind=Kind.COMMENT, key=str(parent_id)
        ).first()
        parent = self._target(parent_row, Comment)
        if comment is not None:
            if parent is None or parent.article_id != comment.article_id:
                self.report.warn(
                    f"comment {row.key}: parent {parent_id} not found; kept unthreaded"
                )
            else:
                Comment.objects.filter(pk=comment.pk).update(parent=parent, depth=parent.depth + 1)
        row.needs_linking = False
        row.save(update_fields=["needs_linking"])


def _legacy_keys(links: tuple[str, ...] | list[str], extra: tuple[str, ...] = ()) -> list[str]:
    keys: list[str] = list(extra)
    for link in links:
        keys.extend(legacy.keys_for_link(link))
    return keys


def _set_created_at(objs: list[tuple[Any, Any]], model: type = Comment) -> None:
    """Give new rows their original dates (``auto_now_add`` overrode them on insert).

    One ``executemany``: no ORM statement per row, which is what the batches are about.
    """
    if not objs:
        return
    from django.db import connections

    connection = connections[router.db_for_write(model)]
    field = model._meta.get_field("created_at")
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(field.column)
    rows = []
    for obj, when in objs:
        obj.created_at = when or obj.created_at
        rows.append((field.get_db_prep_save(obj.created_at, connection), obj.pk))
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE id = %s", rows)  # noqa: S608


def _int(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


def _depth(
    comment_id: int, by_id: dict[int, WxrComment], objs: dict[int, Comment]
) -> tuple[int, bool]:
    """Nesting level inside this post's comments, and whether hostile data made a cycle."""
    depth, seen = 0, {comment_id}
    parent = by_id[comment_id].parent_id
    while parent and parent in by_id and parent in objs:
        if parent in seen:
            return 0, True
        depth += 1
        seen.add(parent)
        parent = by_id[parent].parent_id
    return min(depth, 32767), False


def import_wordpress(
    path: str | Path | IO[bytes], *, fetch_media: bool = False, **kwargs: Any
) -> ImportReport:
    """Import a WXR file; see :class:`WordPressImporter`."""
    return WordPressImporter(fetch_media=fetch_media, **kwargs).import_file(path)
