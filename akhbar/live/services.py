"""Live coverage domain logic: starting and ending a coverage, posting and editing entries,
the readers' stream and their update payload.

Every change goes through here, bumps ``Coverage.version`` in the same transaction and emits
one :class:`~akhbar.core.events.LiveCoverageChanged` after commit; subscribers refresh the
version readers poll against and purge the edge (see ``subscribers``). Views stay thin.

Posting must be fast (a reporter on a phone, in the middle of events): a plain entry costs
four small statements — insert, bump the version, read it back, clear the draft.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from akhbar.core import events
from akhbar.live.embeds import Embed, embed_info
from akhbar.live.models import Coverage, Draft, Entry, EntryRevision
from akhbar.newsroom.models import Article
from akhbar.newsroom.public import clean_upload, html_to_text, sanitize_html

__all__ = [
    "Embed",
    "LiveError",
    "can_moderate",
    "can_post",
    "current_version",
    "delete_entry",
    "draft_for",
    "edit_entry",
    "embed_info",
    "end_coverage",
    "post_entry",
    "save_draft",
    "set_pinned",
    "set_state",
    "set_summary",
    "start_coverage",
    "stream",
    "updates_payload",
]

#: Entries per page, newest first (readers' page, reporter's screen, update payload).
PAGE_SIZE = 20
#: Longest entry a reporter may send, in characters of text (a live entry is a paragraph or
#: three; a 100 KB paste is an accident and is refused with a message, never truncated).
MAX_TEXT = 10_000
#: How long deleted entries stay in the update payload so open pages can remove them.
TOMBSTONE_SECONDS = 3600
VERSION_KEY = "akhbar:live:version:{}"
PAYLOAD_KEY = "akhbar:live:payload:{}:{}"


class LiveError(ValueError):
    """A reporter's input that cannot be posted; the message is Arabic, for the form."""


# --- Permissions ---------------------------------------------------------------------------


# The newsroom's roles decide (akhbar.newsroom.roles): whoever may write articles may post
# entries, whoever may publish others' work is an editor of the coverage. ``live.*``
# permissions let an administrator grant either to someone outside those roles.


def can_post(user: Any) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.has_perm("live.post_entries") or user.has_perm("newsroom.add_article"))
    )


def can_moderate(user: Any) -> bool:
    """Editors: pin, edit and delete anyone's entries, edit the summary, start and end."""
    return can_post(user) and (
        user.has_perm("live.change_coverage") or user.has_perm("newsroom.publish_article")
    )


def can_change(user: Any, entry: Entry) -> bool:
    return can_post(user) and (entry.author_id == user.pk or can_moderate(user))


# --- Text ----------------------------------------------------------------------------------

_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
#: Bidi embeddings/overrides/isolates can make text read differently from what it says
#: (spoofing); they are removed. Marks (LRM/RLM) and joiners stay: Arabic text uses them.
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x0000], None)
#: Characters that show nothing: an entry made only of them is empty.
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")


def text_to_html(text: str) -> str:
    """A reporter's one text box as safe HTML: plain text becomes paragraphs (blank line) and
    line breaks; pasted HTML keeps what the articles' allow-list keeps (no script, no handler,
    no style)."""
    text = (text or "").translate(_BIDI_CONTROLS).replace("\r\n", "\n").strip()
    if _TAG.search(text):
        return sanitize_html(text)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return sanitize_html(
        "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    )


def _check_text(text: str, *, required: bool) -> None:
    if len(text or "") > MAX_TEXT:
        raise LiveError(
            f"المدخل أطول من المسموح ({MAX_TEXT:,} حرف). قسّمه إلى أكثر من مدخل.".replace(",", "٬")
        )
    if required and not _INVISIBLE.sub("", html_to_text(text_to_html(text))):
        raise LiveError("اكتب نص المدخل أولًا.")


def _name(user: Any) -> str:
    if user is None:
        return ""
    author = getattr(user, "author_profile", None)
    display = getattr(author, "display_name", "") if author is not None else ""
    return (display or user.get_full_name() or user.get_username())[:150]


# --- Versions ------------------------------------------------------------------------------


def _bump(coverage: Coverage) -> int:
    """One more visible change (inside the caller's transaction)."""
    now = timezone.now()
    Coverage.objects.filter(pk=coverage.pk).update(version=F("version") + 1, updated_at=now)
    coverage.version = Coverage.objects.values_list("version", flat=True).get(pk=coverage.pk)
    return coverage.version


def _changed(coverage: Coverage, change: str, entry: Entry | None, user: Any) -> None:
    version = _bump(coverage)
    events.emit(
        events.LiveCoverageChanged(
            actor_id=getattr(user, "pk", None),
            article_id=coverage.article_id,
            coverage_id=coverage.pk,
            entry_id=entry.pk if entry is not None else None,
            change=change,
            version=version,
        )
    )


def remember_version(coverage_id: int, version: int) -> None:
    """Called after commit: the version polls compare against (no query per poll)."""
    cache.set(VERSION_KEY.format(coverage_id), version, None)


def current_version(coverage_id: int) -> int | None:
    """The coverage's version, from the cache (one lookup) or the database; None if absent."""
    found = cache.get(VERSION_KEY.format(coverage_id))
    if found is None:
        found = Coverage.objects.filter(pk=coverage_id).values_list("version", flat=True).first()
        if found is None:
            return None
        cache.add(VERSION_KEY.format(coverage_id), found, None)
    return int(found)


# --- Coverage lifecycle --------------------------------------------------------------------


def start_coverage(article: Article, *, user: Any = None, summary: str = "") -> Coverage:
    """Make ``article`` a live coverage (or resume it if it already is one)."""
    with transaction.atomic():
        coverage, created = Coverage.objects.get_or_create(
            article=article, defaults={"summary": sanitize_html(summary)}
        )
        if not created and coverage.state != Coverage.State.LIVE:
            coverage.state = Coverage.State.LIVE
            coverage.ended_at = None
            coverage.save(update_fields=["state", "ended_at", "updated_at"])
        _changed(coverage, "state", None, user)
    return coverage


def set_state(coverage: Coverage, state: str, *, user: Any = None) -> Coverage:
    if state not in Coverage.State.values:
        raise LiveError("حالة غير معروفة للتغطية.")
    with transaction.atomic():
        coverage.state = state
        coverage.ended_at = timezone.now() if state == Coverage.State.ENDED else None
        coverage.save(update_fields=["state", "ended_at", "updated_at"])
        _changed(coverage, "state", None, user)
    return coverage


def end_coverage(coverage: Coverage, *, user: Any = None) -> Coverage:
    """End and archive: the page stays, with its summary, and stops polling."""
    return set_state(coverage, Coverage.State.ENDED, user=user)


def set_summary(coverage: Coverage, summary: str, *, user: Any = None) -> Coverage:
    _check_text(summary, required=False)
    with transaction.atomic():
        coverage.summary = text_to_html(summary)
        coverage.save(update_fields=["summary", "updated_at"])
        _changed(coverage, "summary", None, user)
    return coverage


# --- Entries -------------------------------------------------------------------------------


def _kind_for(*, image: Any, embed_url: str, quote_source: str) -> str:
    if image:
        return Entry.Kind.IMAGE
    if embed_url:
        return Entry.Kind.EMBED
    if quote_source:
        return Entry.Kind.QUOTE
    return Entry.Kind.TEXT


def _attach_image(entry: Entry, image: IO[bytes] | None, alt: str) -> None:
    if image is None:
        return
    if not alt.strip():
        raise LiveError("أضف وصفًا للصورة (النص البديل) لمن لا يراها.")
    try:
        cleaned = clean_upload(image, getattr(image, "name", "") or "live.jpg")
    except ValidationError as exc:
        raise LiveError(" ".join(exc.messages)) from exc
    entry.image.save(cleaned.name, cleaned, save=False)


def post_entry(
    coverage: Coverage,
    *,
    user: Any,
    text: str,
    title: str = "",
    image: IO[bytes] | None = None,
    image_alt: str = "",
    image_credit: str = "",
    quote_source: str = "",
    embed_url: str = "",
    is_breaking: bool = False,
    is_pinned: bool = False,
) -> Entry:
    """Publish one entry at once (an ended coverage takes no more entries)."""
    if coverage.state == Coverage.State.ENDED:
        raise LiveError("انتهت هذه التغطية؛ أعد تشغيلها قبل إضافة مدخلات.")
    embed_url = (embed_url or "").strip()
    if embed_url and embed_info(embed_url) is None:
        raise LiveError("الرابط المضمّن يجب أن يكون منشورًا من إكس أو يوتيوب أو تيليغرام (https).")
    _check_text(text, required=not (image or embed_url))
    entry = Entry(
        coverage=coverage,
        kind=_kind_for(image=image, embed_url=embed_url, quote_source=quote_source.strip()),
        title=title.strip()[:200],
        body=text_to_html(text),
        image_alt=image_alt.strip()[:300],
        image_credit=image_credit.strip()[:200],
        quote_source=quote_source.strip()[:200],
        embed_url=embed_info(embed_url).url if embed_url else "",  # type: ignore[union-attr]
        is_breaking=is_breaking,
        is_pinned=is_pinned and can_moderate(user),
        author=user if getattr(user, "pk", None) else None,
        author_name=_name(user),
    )
    _attach_image(entry, image, image_alt)
    with transaction.atomic():
        entry.save()
        if getattr(user, "pk", None):
            Draft.objects.filter(coverage=coverage, user=user).delete()
        _changed(coverage, "posted", entry, user)
    return entry


@dataclass(frozen=True, kw_only=True)
class EditResult:
    entry: Entry
    #: Arabic warning when someone else saved the entry since this editor opened it.
    conflict: str = ""


def edit_entry(
    entry: Entry,
    *,
    user: Any,
    text: str,
    title: str = "",
    expected_version: int | None = None,
) -> EditResult:
    """Save an edit; the later save wins, the earlier text is kept as a revision, and the
    editor is told when a colleague saved in between (optimistic check on ``version``)."""
    if not can_change(user, entry):
        raise LiveError("لا تملك صلاحية تعديل هذا المدخل.")
    _check_text(text, required=not (entry.image or entry.embed_url))
    with transaction.atomic():
        current = Entry.objects.select_for_update().get(pk=entry.pk)
        conflict = ""
        if expected_version is not None and current.version != expected_version:
            who = current.edited_by_name or current.author_name or "زميل"
            conflict = (
                f"عدّل {who} هذا المدخل بعد أن فتحتَه؛ حُفظ تعديلك، والنص السابق محفوظ في السجل."
            )
        EntryRevision.objects.create(
            entry=current, title=current.title, body=current.body, saved_by_name=_name(user)
        )
        current.title = title.strip()[:200]
        current.body = text_to_html(text)
        current.edited_at = timezone.now()
        current.edited_by_name = _name(user)
        current.version = current.version + 1
        current.save(update_fields=["title", "body", "edited_at", "edited_by_name", "version"])
        _changed(current.coverage, "edited", current, user)
    return EditResult(entry=current, conflict=conflict)


def delete_entry(entry: Entry, *, user: Any) -> None:
    if not can_change(user, entry):
        raise LiveError("لا تملك صلاحية حذف هذا المدخل.")
    with transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(
            deleted_at=timezone.now(), version=F("version") + 1
        )
        _changed(entry.coverage, "deleted", entry, user)


def set_pinned(entry: Entry, pinned: bool, *, user: Any) -> None:
    if not can_moderate(user):
        raise LiveError("التثبيت للمحرّرين.")
    with transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(is_pinned=pinned, version=F("version") + 1)
        _changed(entry.coverage, "pinned", entry, user)


# --- Drafts --------------------------------------------------------------------------------


def save_draft(coverage: Coverage, user: Any, *, text: str, title: str = "") -> None:
    text = (text or "")[: MAX_TEXT * 2]
    Draft.objects.update_or_create(
        coverage=coverage, user=user, defaults={"text": text, "title": (title or "")[:200]}
    )


def draft_for(coverage: Coverage, user: Any) -> Draft | None:
    return Draft.objects.filter(coverage=coverage, user=user).first()


# --- Reading -------------------------------------------------------------------------------


def visible_entries(coverage: Coverage | int) -> QuerySet[Entry]:
    return Entry.objects.filter(coverage=coverage, deleted_at__isnull=True)


@dataclass(frozen=True, kw_only=True)
class StreamPage:
    pinned: list[Entry]
    entries: list[Entry]
    #: ``?before=`` value of the next (older) page, or None on the last page.
    older: int | None
    #: True on the first page (the one that polls for new entries).
    is_latest: bool


def stream(coverage: Coverage, *, before: int | None = None, limit: int = PAGE_SIZE) -> StreamPage:
    """One page of entries, newest first, with the pinned ones (first page only): two
    queries whatever the size of the coverage (the (coverage, deleted_at, -id) index)."""
    qs = visible_entries(coverage).order_by("-id")
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs[: limit + 1])
    pinned = [] if before is not None else list(visible_entries(coverage).filter(is_pinned=True))
    older = rows[limit - 1].pk if len(rows) > limit else None
    return StreamPage(
        pinned=sorted(pinned, key=lambda e: -e.pk),
        entries=rows[:limit],
        older=older,
        is_latest=before is None,
    )


def parse_before(value: str | None) -> int | None:
    """``?before=`` as an entry id; anything else is the first page."""
    if value and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def render_entry(entry: Entry) -> str:
    return render_to_string("live/_entry.html", {"entry": entry, "embed": entry.embed})


def updates_payload(coverage_id: int, version: int) -> dict[str, Any] | None:
    """What polling readers get: the latest page of entries (rendered), pinned ids, recent
    deletions and the state. Cached per version: 2,000 readers polling cost one render per
    change, not one per reader."""
    key = PAYLOAD_KEY.format(coverage_id, version)
    payload = cache.get(key)
    if payload is not None:
        return payload
    coverage = Coverage.objects.select_related("article").filter(pk=coverage_id).first()
    if coverage is None or not coverage.article.is_live:
        return None
    page = stream(coverage)
    since = timezone.now() - timedelta(seconds=TOMBSTONE_SECONDS)
    deleted = list(
        Entry.objects.filter(coverage=coverage, deleted_at__gte=since).values_list("id", flat=True)
    )
    payload = {
        "coverage": coverage.pk,
        "article": coverage.article_id,
        "version": coverage.version,
        "state": coverage.state,
        "state_label": coverage.get_state_display(),
        "entries": [
            {"id": e.pk, "version": e.version, "pinned": e.is_pinned, "html": render_entry(e)}
            for e in page.entries
        ],
        "pinned": [e.pk for e in page.pinned],
        "deleted": deleted,
    }
    cache.set(key, payload, 3600)
    return payload


_MISSING = object()


def coverage_for_article(article: Article) -> Coverage | None:
    """The article's coverage, looked up once per article object (the page's template tag
    and its JSON-LD both ask)."""
    found = getattr(article, "_live_coverage", _MISSING)
    if found is _MISSING and Article.live_coverage.is_cached(article):  # select_related
        found = getattr(article, "live_coverage", None)
        article._live_coverage = found  # type: ignore[attr-defined]
    if found is _MISSING:
        found = Coverage.objects.filter(article=article).first()
        article._live_coverage = found  # type: ignore[attr-defined]
    return found  # type: ignore[return-value]


def live_article_ids() -> list[int]:
    """Articles whose coverage is running (the Google News sitemap keeps them while live)."""
    return list(
        Coverage.objects.exclude(state=Coverage.State.ENDED).values_list("article_id", flat=True)
    )


def _iso(value: datetime | None) -> str:
    return value.replace(microsecond=0).isoformat() if value else ""


def extend_schema(request: Any, article: Article, data: dict[str, Any]) -> None:
    """A live coverage's JSON-LD: LiveBlogPosting with coverage times and its latest
    entries as ``liveBlogUpdate`` (what Google shows as the "LIVE" badge and key moments)."""
    coverage = coverage_for_article(article)
    if coverage is None:
        return
    data["@type"] = "LiveBlogPosting"
    data["coverageStartTime"] = _iso(coverage.started_at)
    if coverage.ended_at:
        data["coverageEndTime"] = _iso(coverage.ended_at)
    base = data.get("url", "")
    updates = []
    for entry in visible_entries(coverage).order_by("-id")[:PAGE_SIZE]:
        text = html_to_text(entry.body)
        update: dict[str, Any] = {
            "@type": "BlogPosting",
            "headline": (entry.title or text[:110] or article.title)[:110],
            "datePublished": _iso(entry.created_at),
            "articleBody": text,
            "url": f"{base}#entry-{entry.pk}",
        }
        if entry.edited_at:
            update["dateModified"] = _iso(entry.edited_at)
        if entry.author_name:
            update["author"] = {"@type": "Person", "name": entry.author_name}
        if entry.image:
            update["image"] = request.build_absolute_uri(entry.image.url)
        updates.append(update)
    data["liveBlogUpdate"] = updates
    if updates:
        data["dateModified"] = max(data.get("dateModified", ""), updates[0]["datePublished"])
