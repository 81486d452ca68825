"""Partner feeds: fetch RSS/Atom sources and turn their new items into articles.

Each source is fetched with a conditional GET (``If-None-Match`` / ``If-Modified-Since``),
so an unchanged feed costs the partner one 304 and us nothing. A source that times out,
answers an error or serves broken XML gets its error recorded on its row and never stops
the other sources. Items already taken (same GUID or same link) and near-duplicates of an
article we already have (when the related-articles app offers
``find_near_duplicates``) are skipped and counted, so a story syndicated by two partners
appears once.
"""

from __future__ import annotations

import calendar
import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser
import httpx
from django.db import DatabaseError, transaction
from django.utils import timezone

from akhbar.core.http import BlockedURL, ResponseTooLarge, guarded_client, read_limited
from akhbar.importers.models import PartnerFeed, PartnerFeedItem
from akhbar.importers.wpcontent import convert_wp_content, excerpt_from_html
from akhbar.newsroom.models import Article
from akhbar.newsroom.public import html_to_text

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
MAX_FEED_BYTES = 10 * 1024 * 1024
USER_AGENT = "Akhbar partner-feed fetcher (+https://akhbar.example/)"
# feedparser flags these as "bozo" although the feed was read correctly.
_HARMLESS_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


class FeedError(Exception):
    """A source could not be fetched or read; the message is stored on the source."""


@dataclass
class FetchResult:
    feed: PartnerFeed
    outcome: str = "ok"  # ok | not-modified | error
    created: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    error: str = ""


def _near_duplicate_finder() -> Any:
    try:
        from akhbar.related.public import find_near_duplicates
    except ImportError:
        log.info("akhbar.related.services.find_near_duplicates missing: no near-duplicate check")
        return None
    return find_near_duplicates


def _download(
    client: httpx.Client, feed: PartnerFeed, max_seconds: float = 6 * DEFAULT_TIMEOUT
) -> httpx.Response | None:
    """The feed body, or ``None`` for 304 Not Modified; raises FeedError otherwise.

    ``client`` is a guarded client (:func:`akhbar.core.http.guarded_client`): private and
    loopback addresses are refused, redirects re-checked; ``max_seconds`` caps the download.
    """
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    started = time.monotonic()
    try:
        with client.stream("GET", feed.url, headers=headers) as response:
            feed.last_status = response.status_code
            if response.status_code == 304:
                return None
            if response.status_code >= 400:
                raise FeedError(f"HTTP {response.status_code} from {feed.url}")
            try:
                response._content = read_limited(
                    response, max_bytes=MAX_FEED_BYTES, deadline=started + max_seconds
                )
            except ResponseTooLarge as exc:
                raise FeedError(f"feed larger than {MAX_FEED_BYTES // 1048576} MB") from exc
            return response
    except httpx.TimeoutException as exc:
        raise FeedError(f"timed out after {client.timeout.read}s ({type(exc).__name__})") from exc
    except BlockedURL as exc:
        raise FeedError(f"refused {feed.url}: {exc}") from exc
    except httpx.HTTPError as exc:
        raise FeedError(f"could not fetch {feed.url}: {exc}") from exc


def _entry_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    return None


def _entry_guid(entry: Any) -> str:
    guid = (entry.get("id") or entry.get("link") or "").strip()
    if not guid:
        digest = hashlib.sha256(
            f"{entry.get('title', '')}|{entry.get('published', '')}".encode()
        ).hexdigest()
        guid = f"sha256:{digest}"
    return guid[:500]


def _entry_body(entry: Any) -> str:
    contents = entry.get("content") or []
    raw = contents[0].get("value", "") if contents else entry.get("summary", "")
    return convert_wp_content(raw or "")


def fetch_feed(feed: PartnerFeed, client: httpx.Client, near_duplicates: Any = None) -> FetchResult:
    """Fetch one source and import its new items; errors end up on ``feed.last_error``."""
    result = FetchResult(feed)
    now = timezone.now()
    feed.last_fetched_at = now
    try:
        response = _download(client, feed, max_seconds=6 * (client.timeout.read or DEFAULT_TIMEOUT))
        if response is None:
            result.outcome = "not-modified"
        else:
            parsed = feedparser.parse(
                response.content,
                response_headers={"content-type": response.headers.get("content-type", "")},
            )
            problem = parsed.get("bozo_exception")
            if parsed.get("bozo") and not isinstance(problem, _HARMLESS_BOZO):
                raise FeedError(f"malformed feed: {problem}")
            for entry in parsed.entries:
                _import_entry(feed, entry, result, near_duplicates, now)
            feed.etag = (response.headers.get("etag") or "")[:300]
            feed.last_modified = (response.headers.get("last-modified") or "")[:100]
        feed.last_error = ""
    except FeedError as exc:
        result.outcome, result.error = "error", str(exc)
        feed.last_error = str(exc)
        log.warning("Partner feed %s (%s): %s", feed.name, feed.url, exc)
    feed.last_created = result.created
    feed.last_skipped = sum(result.skipped.values())
    feed.save(
        update_fields=[
            "etag", "last_modified", "last_error", "last_fetched_at", "last_status",
            "last_created", "last_skipped",
        ]
    )  # fmt: skip
    return result


def _import_entry(
    feed: PartnerFeed, entry: Any, result: FetchResult, near_duplicates: Any, now: datetime
) -> None:
    guid = _entry_guid(entry)
    url = (entry.get("link") or "").strip()[:500]
    if PartnerFeedItem.objects.filter(feed=feed, guid=guid).exists() or (
        url
        and (
            PartnerFeedItem.objects.filter(url=url).exists()
            or Article.objects.filter(source_url=url).exists()
        )
    ):
        result.skipped["already imported"] += 1
        return
    title = html_to_text(entry.get("title") or "")[:300] or url[:300]
    body = _entry_body(entry)
    if not title and not body:
        result.skipped["empty item"] += 1
        return
    if near_duplicates is not None:
        try:
            matches = near_duplicates((title, html_to_text(body)))
        except Exception as exc:  # a broken index must not stop the feed
            log.warning("near-duplicate check failed: %s", exc)
            matches = []
        if matches:
            result.skipped["near-duplicate of an existing article"] += 1
            PartnerFeedItem.objects.create(feed=feed, guid=guid, url=url, article=matches[0][0])
            return
    published = _entry_date(entry)
    if published is None or published > now:
        published = now
    try:
        with transaction.atomic():
            article = Article(
                title=title,
                body=body,
                excerpt=excerpt_from_html(body, 40) if body else "",
                status=Article.Status.PUBLISHED if feed.auto_publish else Article.Status.DRAFT,
                published_at=published if feed.auto_publish else None,
                category=feed.default_category,
                source_name=(feed.attribution or feed.name)[:200],
                source_url=url,
            )
            article.save()
            PartnerFeedItem.objects.create(feed=feed, guid=guid, url=url, article=article)
    except DatabaseError as exc:
        result.skipped["error"] += 1
        log.warning("Partner feed %s: item %s not imported: %s", feed.name, guid, exc)
        return
    result.created += 1


def fetch_all(
    feeds: Any = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[int], None] | None = None,
) -> list[FetchResult]:
    """Fetch every active source (or ``feeds``), one after the other, each on its own;
    ``progress(1)`` after each source, whatever its outcome (the command's progress).

    Through the SSRF guard: a feed on a loopback or private address is refused (and the
    refusal recorded on the source) unless ``AKHBAR_ALLOW_PRIVATE_FETCH`` is on."""
    feeds = list(feeds if feeds is not None else PartnerFeed.objects.filter(is_active=True))
    finder = _near_duplicate_finder()
    results = []
    with guarded_client(timeout=timeout, headers={"User-Agent": USER_AGENT}) as client:
        for feed in feeds:
            try:
                results.append(fetch_feed(feed, client, finder))
            except Exception as exc:  # one source's surprise never stops the others
                log.exception("Partner feed %s failed", feed.name)
                PartnerFeed.objects.filter(pk=feed.pk).update(
                    last_error=f"unexpected error: {exc}", last_fetched_at=timezone.now()
                )
                results.append(FetchResult(feed, "error", error=f"unexpected error: {exc}"))
            if progress is not None:
                progress(1)
    return results
