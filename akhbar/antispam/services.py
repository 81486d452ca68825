"""Glue between the spam checks and the database: the shared model, learning, Akismet."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.db import transaction

from akhbar.antispam.akismet import AkismetClient, AkismetComment, AkismetError
from akhbar.antispam.classifier import SpamModel, cold_start_model, comment_text
from akhbar.antispam.models import ClassifierState
from akhbar.core.conf import akhbar_settings

if TYPE_CHECKING:
    from akhbar.antispam.checks import Submission

log = logging.getLogger(__name__)


class Moderated(Protocol):
    """What the filter reads of a comment a moderator decided on (a ``comments.Comment``).

    A protocol, not an import: antispam depends on no other Akhbar app (pyproject.toml's
    import-linter contracts); the comments app passes its own rows.
    """

    pk: Any
    author_name: str
    author_email: str
    author_url: str
    body: str
    learned_as: str
    ip_address: str | None
    user_agent: str
    parent_id: int | None
    created_at: datetime


#: (name, url, body, is_spam) of every decision moderators taught the filter, to rebuild the
#: model from after a change of its features. The comments app registers its source.
Lessons = Callable[[], Iterable[tuple[str, str, str, bool]]]
_lesson_sources: list[Lessons] = []


def register_lessons(source: Lessons) -> None:
    """Called by the app that keeps moderator decisions (comments, in its ``ready()``)."""
    if source not in _lesson_sources:
        _lesson_sources.append(source)


_lock = threading.Lock()
_cached: tuple[int, int, SpamModel] | None = None  # (row id, version, model)


def _state_row() -> ClassifierState:
    row = ClassifierState.objects.filter(name="comments").first()
    if row is None:
        row, _ = ClassifierState.objects.get_or_create(
            name="comments", defaults={"state": cold_start_model().to_dict()}
        )
    return row


def _load(row: ClassifierState) -> SpamModel:
    """The stored model, or a rebuilt one if the stored state is from another model version.

    Rebuilding replays every moderator decision kept on comments, so an upgrade of the
    classifier's features loses nothing the moderators taught it.
    """
    try:
        return SpamModel.from_dict(row.state)
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("Spam model state unreadable (%s); rebuilding from moderator decisions", exc)
    model = cold_start_model()
    for source in _lesson_sources:
        for name, url, body, is_spam in source():
            model.learn(comment_text(name, url, body), is_spam)
    row.state = model.to_dict()
    row.version += 1
    row.save(update_fields=["state", "version", "updated_at"])
    return model


def current_model() -> SpamModel:
    """The shared model, rebuilt in this process only when another process changed it.

    Costs one small query (the version) per comment instead of loading the whole JSON state.
    """
    global _cached
    version = ClassifierState.objects.filter(name="comments").values_list("pk", "version").first()
    with _lock:
        if version is not None and _cached is not None and _cached[:2] == version:
            return _cached[2]
    row = _state_row()
    model = _load(row)
    with _lock:
        _cached = (row.pk, row.version, model)
    return model


def teach(comment: Moderated, is_spam: bool) -> None:
    """Learn from a moderator's decision; undo an earlier opposite lesson on the same comment."""
    if comment.learned_as == ("spam" if is_spam else "ham"):
        return
    text = comment_text(comment.author_name, comment.author_url, comment.body)
    with transaction.atomic():
        row = _state_row()
        row = ClassifierState.objects.select_for_update().get(pk=row.pk)
        model = _load(row)
        if comment.learned_as:
            model.unlearn(text, comment.learned_as == "spam")
        model.learn(text, is_spam)
        row.state = model.to_dict()
        row.version += 1
        row.save(update_fields=["state", "version", "updated_at"])
        comment.learned_as = "spam" if is_spam else "ham"
        type(comment)._default_manager.filter(pk=comment.pk).update(  # type: ignore[attr-defined]
            learned_as=comment.learned_as
        )


def akismet_client() -> AkismetClient | None:
    """The process's one Akismet client for the current settings (None when not configured).

    Reused across comments, as :class:`AkismetClient` asks: it holds a connection pool, and a
    new client per comment paid a TLS handshake each time. A change of the Akismet settings
    (tests, a reconfigured server) gets a new client; the old one is closed.
    """
    key = akhbar_settings.akismet_api_key
    if not key:
        return None
    config = (
        key,
        akhbar_settings.akismet_blog_url,
        akhbar_settings.akismet_base_url,
        akhbar_settings.akismet_timeout,
    )
    with _client_lock:
        cached = _client_cache.get("client")
        if cached is not None and cached[0] == config:
            return cached[1]
        client = AkismetClient(key, config[1], base_url=config[2], timeout=config[3])
        _client_cache["client"] = (config, client)
    if cached is not None:
        cached[1].close()
    return client


_client_lock = threading.Lock()
_client_cache: dict[str, tuple[tuple[object, ...], AkismetClient]] = {}


def akismet_comment(s: Submission) -> AkismetComment:
    return AkismetComment(
        content=s.body,
        user_ip=s.ip or "0.0.0.0",  # noqa: S104 - Akismet requires a value; not a bind address
        author=s.name,
        email=s.email,
        url=s.url,
        user_agent=s.user_agent,
        referrer=s.referrer,
        permalink=s.permalink,
        comment_type="reply" if s.is_reply else "comment",
        date_gmt=s.now,
    )


def report_to_akismet(comment: Moderated, is_spam: bool, permalink: str = "") -> None:
    """Tell Akismet about a moderator's decision (when configured). Failures are logged only:
    the moderator's decision stands whatever the remote service says."""
    client = akismet_client()
    if client is None:
        return
    data = AkismetComment(
        content=comment.body,
        user_ip=comment.ip_address or "0.0.0.0",  # noqa: S104
        author=comment.author_name,
        email=comment.author_email,
        url=comment.author_url,
        user_agent=comment.user_agent,
        permalink=permalink,
        comment_type="reply" if comment.parent_id else "comment",
        date_gmt=comment.created_at,
    )
    try:
        (client.submit_spam if is_spam else client.submit_ham)(data)
    except (AkismetError, ValueError) as exc:
        log.warning("Could not report comment %s to Akismet: %s", comment.pk, exc)
