"""Reader comments of imported posts, written in bulk with their threads rebuilt in memory.

A batch of posts brings its comments at once: one lookup of earlier imports, one insert per
nesting level (parents first, so every reply is inserted knowing its parent's id), one
update of the comments imported before, one insert of bookkeeping rows. A reply whose
parent is in another post, or not in the export, is left to the link pass.
"""

from __future__ import annotations

import html
import ipaddress
from dataclasses import dataclass, field
from datetime import datetime

import nh3
from django.utils import timezone

from akhbar.comments.models import Comment
from akhbar.importers import bulk
from akhbar.importers.models import ImportedItem
from akhbar.importers.wordpress.common import COMMENT, RECORD_FIELDS, clip, set_created_at
from akhbar.importers.wordpress.records import RecordBook
from akhbar.importers.wordpress.taxonomy import Taxonomy
from akhbar.importers.wxr import WxrComment, WxrItem
from akhbar.newsroom.models import Article

# WordPress ``comment_approved`` -> Akhbar comment status (anything else waits in moderation).
COMMENT_STATUS: dict[str, str] = {
    "1": str(Comment.Status.APPROVED),
    "approve": str(Comment.Status.APPROVED),
    "0": str(Comment.Status.PENDING),
    "hold": str(Comment.Status.PENDING),
    "spam": str(Comment.Status.SPAM),
    "trash": str(Comment.Status.TRASH),
    "post-trashed": str(Comment.Status.TRASH),
}
PENDING = str(Comment.Status.PENDING)
PING_TYPES = frozenset({"pingback", "trackback"})
#: Columns of an imported comment that a re-import rewrites.
UPDATE_FIELDS = [
    "article", "author_name", "author_email", "author_url", "body", "status", "ip_address",
    "user_agent", "user", "parent", "created_at", "depth",
]  # fmt: skip


def plain_text(value: str) -> str:
    """Comment HTML as the plain text Akhbar stores (rendering adds paragraphs and links)."""
    return html.unescape(nh3.clean(value or "", tags=set(), attributes={})).strip()


def valid_ip(value: str) -> str | None:
    """The address in a form the database column takes, or ``None`` for anything else."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def depth_of(
    comment_id: int | None,
    by_id: dict[int | None, WxrComment],
    objs: dict[int | None, Comment],
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


def _thread(
    obj: Comment,
    c: WxrComment,
    by_id: dict[int | None, WxrComment],
    objs: dict[int | None, Comment],
) -> bool:
    """Set ``obj``'s parent and depth within its post; ``True`` if the link pass must look."""
    parent = objs.get(c.parent_id) if c.parent_id else None
    obj.depth, cyclic = depth_of(c.id, by_id, objs)
    unresolved = False
    if cyclic:
        parent, obj.depth = None, 0
    elif c.parent_id and parent is None:
        unresolved = True  # in another post, or missing: the link pass decides
    obj.parent = parent
    return unresolved


@dataclass
class _Plan:
    """A batch's comments between reading and writing."""

    #: Rows of comments imported before, by WordPress comment id, and their comments.
    known: dict[str, ImportedItem]
    existing: dict[int, Comment]
    new: list[Comment] = field(default_factory=list)
    changed: list[Comment] = field(default_factory=list)
    #: Comments by nesting depth: inserted level by level, parents first.
    levels: dict[int, list[Comment]] = field(default_factory=dict)
    #: The original dates, by ``id(comment)``: ``bulk_create``'s ``auto_now_add`` overwrites.
    dates: dict[int, datetime | None] = field(default_factory=dict)
    #: (post, comment, object, parent left for the link pass) in file order.
    done: list[tuple[WxrItem, WxrComment, Comment, bool]] = field(default_factory=list)


class CommentWriter:
    """Comments of the posts the post writer saved (one post, or a whole batch)."""

    def __init__(self, book: RecordBook, taxonomy: Taxonomy) -> None:
        self.book = book
        self.report = book.report
        self.taxonomy = taxonomy

    def import_comments(self, posts: list[tuple[WxrItem, Article]]) -> None:
        """The comments of several posts at once: one lookup, one insert per nesting level.

        Threads are resolved inside each post; a reply whose parent is in another post (or
        missing) is left for the link pass, as in the one-post case.
        """
        per_post = self._wanted(posts)
        if not per_post:
            return
        keys = [str(c.id) for _, _, wanted in per_post for c in wanted]
        known = {
            r.key: r
            for r in ImportedItem.objects.filter(
                source=self.book.source, kind=COMMENT, key__in=keys
            )
        }
        existing = Comment.objects.in_bulk([r.object_id for r in known.values() if r.object_id])
        plan = _Plan(known=known, existing=existing)
        for wp, article, wanted in per_post:
            self._plan_post(plan, wp, article, wanted)
        self._insert(plan)
        self._write_records(plan)

    def _wanted(
        self, posts: list[tuple[WxrItem, Article]]
    ) -> list[tuple[WxrItem, Article, list[WxrComment]]]:
        """Each post's comments that become comments here (pingbacks and id-less ones not)."""
        per_post: list[tuple[WxrItem, Article, list[WxrComment]]] = []
        for wp, article in posts:
            wanted: list[WxrComment] = []
            for c in wp.comments:
                if c.id is None:
                    self.report.skip(COMMENT, "no comment id")
                elif c.type in PING_TYPES:
                    self.report.skip(COMMENT, "pingback/trackback")
                else:
                    wanted.append(c)
            if wanted:
                per_post.append((wp, article, wanted))
        return per_post

    def _plan_post(
        self, plan: _Plan, wp: WxrItem, article: Article, wanted: list[WxrComment]
    ) -> None:
        """One post's comments as objects, threaded and dated, added to ``plan``."""
        objs = self._objects(plan, article, wanted)
        by_id = {c.id: c for c in wanted}
        for c in wanted:
            obj = objs[c.id]
            unresolved = _thread(obj, c, by_id, objs)
            # None (no date, a draft's post) is filled in by auto_now_add when it is saved.
            obj.created_at = self.book.aware(c.date, c.date_gmt) or article.published_at  # type: ignore[assignment]
            plan.dates[id(obj)] = obj.created_at
            plan.levels.setdefault(obj.depth, []).append(obj)
            plan.done.append((wp, c, obj, unresolved))

    def _objects(
        self, plan: _Plan, article: Article, wanted: list[WxrComment]
    ) -> dict[int | None, Comment]:
        """The post's comments by WordPress id: earlier imports updated, others new."""
        objs: dict[int | None, Comment] = {}
        post_new: list[Comment] = []
        for c in wanted:
            rec = plan.known.get(str(c.id))
            obj = plan.existing.get(rec.object_id) if rec and rec.object_id else None
            if obj is None:
                obj = Comment(article=article)
                post_new.append(obj)
            self._fill(obj, c, article)
            objs[c.id] = obj
        fresh_here = {id(o) for o in post_new}
        plan.changed.extend(o for o in objs.values() if id(o) not in fresh_here)
        plan.new.extend(post_new)
        return objs

    def _fill(self, obj: Comment, c: WxrComment, article: Article) -> None:
        """What the export says about the comment (its thread and date come after)."""
        obj.article = article
        obj.author_name = clip(html.unescape(c.author).strip() or "مجهول", 100)
        obj.author_email = clip(c.author_email, 254)
        obj.author_url = clip(c.author_url, 300)
        obj.body = plain_text(c.content)
        obj.status = COMMENT_STATUS.get(c.approved, PENDING)
        obj.ip_address = valid_ip(c.author_ip)
        obj.user_agent = clip((c.meta.get("comment_agent") or [""])[0], 500)
        obj.user_id = self.taxonomy.user_for(c.user_id)

    @staticmethod
    def _insert(plan: _Plan) -> None:
        """New comments level by level, earlier ones updated, then the original dates."""
        fresh = {id(o) for o in plan.new}
        # Parents first, so every reply is inserted with its parent's id already known.
        for depth in sorted(plan.levels):
            batch = [o for o in plan.levels[depth] if id(o) in fresh]
            for o in batch:
                o.parent = o.parent  # refresh parent_id from the now-saved parent
            Comment.objects.bulk_create(batch)
        if plan.changed:
            Comment.objects.bulk_update(plan.changed, UPDATE_FIELDS)
        set_created_at([(o, plan.dates[id(o)]) for o in plan.new], Comment)

    def _write_records(self, plan: _Plan) -> None:
        """The comments' bookkeeping rows (one statement), then the report's counts."""
        ct = self.book.content_type(Comment)
        now = timezone.now()
        rows = []
        for wp, c, obj, unresolved in plan.done:
            rec = plan.known.get(str(c.id)) or ImportedItem(
                source=self.book.source, kind=COMMENT, key=str(c.id), imported_at=now
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
        for _, c, _, _ in plan.done:
            self.report.count(COMMENT, created=str(c.id) not in plan.known)
