"""Related articles, near-duplicate detection and their storage: the functions callers use.

* ``related_for(article, k)`` — what the article page shows, in at most two queries;
* ``refresh(article)`` — what the refresh job runs after an article event: fingerprint,
  duplicates, related;
* ``find_near_duplicates(article_or_text)`` — for the admin warning and the feed importer;
* ``rebuild(...)`` — everything at once, for ``manage.py related --rebuild``.

Each process keeps one :class:`~akhbar.related.index.RelatedIndex` in memory, loaded on first
use from the stored fingerprints and kept current by re-reading only fingerprints changed
since its last look (one indexed query per computation), so several web workers agree.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from akhbar.core.conf import akhbar_settings
from akhbar.core.sql import insert_rows
from akhbar.newsroom.models import Article
from akhbar.related import features
from akhbar.related.index import RelatedIndex, Weights
from akhbar.related.models import ArticleFingerprint, NearDuplicate, RelatedArticle, SignatureBand
from akhbar.related.suggest import Suggestion, suggest

logger = logging.getLogger(__name__)

#: Similarity (estimated Jaccard of word 3-gram shingles) from which two texts are one story.
DUPLICATE_THRESHOLD = 0.8
#: Seconds of overlap when catching up on other processes' changes (commit delays, clocks).
SYNC_MARGIN = timedelta(seconds=30)
WEIGHTS = Weights()

Published = Article.Status.PUBLISHED


def related_count() -> int:
    return akhbar_settings.related_count


def stored_count() -> int:
    """Rows stored per article: twice what is shown, so exclusions and unpublished articles
    still leave a full block without recomputing."""
    return max(related_count() * 2, 8)


# --- Features of an article -----------------------------------------------------------------


def article_features(article: Article, tag_ids: Iterable[int] | None = None) -> features.Features:
    if tag_ids is None:
        tag_ids = list(article.tags.values_list("pk", flat=True)) if article.pk else []
    return features.extract(
        article.title or "",
        _body_text(article.body or "")[: features.MAX_CHARS],
        article.excerpt or "",
        sorted(tag_ids),
    )


def _body_text(body_html: str) -> str:
    return features.plain_text(body_html)


def store_fingerprint(
    article: Article, feats: features.Features | None = None
) -> features.Features:
    """Save ``article``'s terms, signature and LSH band keys (replacing older ones)."""
    if feats is None:
        feats = article_features(article)
    ArticleFingerprint.objects.update_or_create(
        article_id=article.pk,
        defaults={"terms": feats.terms, "signature": feats.signature, "updated_at": timezone.now()},
    )
    SignatureBand.objects.filter(article_id=article.pk).delete()
    _insert_bands([(key, article.pk) for key in features.band_keys(feats.signature)])
    return feats


def _insert_bands(rows: list[tuple[int, int]]) -> None:
    """(key, article id) rows: 20 write-only rows per article, as plain multi-row INSERTs
    (20 model instances per article cost more than the database's own work)."""
    _insert_many(
        connection.ops.quote_name(SignatureBand._meta.db_table), ("key", "article_id"), rows
    )


class FingerprintBatch:
    """Fingerprints of articles that one transaction writes one after another (a wire
    delivery): what :func:`store_fingerprint` and :func:`record_near_duplicates` do for
    each, at a fraction of the cost.

    :meth:`add` analyses an article once and finds its near-duplicates at once — among the
    stored articles and the batch's earlier ones, exactly as if each had been stored before
    the next was added — and :meth:`flush` stores the whole batch's fingerprints, band keys
    and near-duplicate records in a few multi-row statements. Flush before the transaction
    ends. Writers with savepoints take a :meth:`mark` and :meth:`rollback` to it when the
    savepoint rolls back, so the batch forgets what that savepoint added.
    """

    def __init__(self) -> None:
        self._clear()

    def _clear(self) -> None:
        #: Article id → (features, band keys, near-duplicates found).
        self._entries: dict[int, tuple[features.Features, list[int], list]] = {}
        #: Band key → the batch's articles with that key (candidates, as the table gives).
        self._bands: dict[int, set[int]] = {}
        #: (article id, the entry it replaced) for each add, so a rollback can restore it.
        self._undo: list[tuple[int, tuple | None]] = []

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, article: Article, tag_ids: Iterable[int]) -> list[tuple[Article, float]]:
        """Analyse the saved ``article`` (with these tags); its near-duplicates, most similar
        first (stored by :meth:`flush`)."""
        feats = article_features(article, tag_ids)
        keys = features.band_keys(feats.signature)
        found = _near_duplicates_of(feats.signature, article.pk, keys=keys, batch=self)
        self._undo.append((article.pk, self._entries.get(article.pk)))
        self._put(article.pk, (feats, keys, found))
        return found

    def mark(self) -> int:
        return len(self._undo)

    def rollback(self, mark: int) -> None:
        """Forget the adds made since :meth:`mark` returned ``mark`` (their savepoint rolled
        back), restoring what they replaced."""
        while len(self._undo) > mark:
            article_id, previous = self._undo.pop()
            self._put(article_id, previous)

    def _put(self, article_id: int, entry: tuple | None) -> None:
        old = self._entries.pop(article_id, None)
        if old is not None:
            for key in old[1]:
                self._bands[key].discard(article_id)
        if entry is not None:
            self._entries[article_id] = entry
            for key in entry[1]:
                self._bands.setdefault(key, set()).add(article_id)

    def _candidates(self, keys: list[int]) -> set[int]:
        return {pk for key in keys for pk in self._bands.get(key, ())}

    def _signature(self, article_id: int) -> bytes:
        return self._entries[article_id][0].signature

    def flush(self) -> None:
        """Store the batch (replacing the articles' older rows) and start a new one."""
        if not self._entries:
            return
        ids = list(self._entries)
        now = timezone.now()
        SignatureBand.objects.filter(article_id__in=ids).delete()
        NearDuplicate.objects.filter(article_id__in=ids).delete()
        insert_rows(
            ArticleFingerprint,
            [
                ArticleFingerprint(
                    article_id=pk, terms=f.terms, signature=f.signature, updated_at=now
                )
                for pk, (f, _, _) in self._entries.items()
            ],
            ["article", "terms", "signature", "updated_at"],
            conflict=["article"],
            update=["terms", "signature", "updated_at"],
        )
        _insert_bands([(key, pk) for pk, (_, keys, _) in self._entries.items() for key in keys])
        NearDuplicate.objects.bulk_create(
            NearDuplicate(article_id=pk, duplicate_of_id=other.pk, similarity=sim)
            for pk, (_, _, found) in self._entries.items()
            for other, sim in found
        )
        self._clear()


# --- The per-process index ------------------------------------------------------------------


class _State:
    def __init__(self) -> None:
        self.index: RelatedIndex | None = None
        self.synced_at: datetime | None = None
        self.lock = threading.RLock()


_state = _State()


def _published_ts(value: datetime | None) -> float:
    return value.timestamp() if value else 0.0


def get_index() -> RelatedIndex:
    """This process's index, loaded on first use and brought up to date on every call."""
    with _state.lock:
        now = timezone.now()
        if _state.index is None:
            index = RelatedIndex()
            rows = ArticleFingerprint.objects.filter(article__status=Published).values_list(
                "article_id", "terms", "article__category_id", "article__published_at"
            )
            for article_id, terms, category_id, published_at in rows.iterator(chunk_size=2000):
                index.add(
                    article_id,
                    terms or {},
                    category_id,
                    _published_ts(published_at),
                    compute_norm=False,
                )
            index.finish_bulk()
            _state.index = index
        else:
            index = _state.index
            since = (_state.synced_at or now) - SYNC_MARGIN
            rows = ArticleFingerprint.objects.filter(updated_at__gt=since).values_list(
                "article_id",
                "terms",
                "article__category_id",
                "article__published_at",
                "article__status",
            )
            for article_id, terms, category_id, published_at, status in rows:
                if status == Published:
                    index.add(article_id, terms or {}, category_id, _published_ts(published_at))
                else:
                    index.remove(article_id)
        _state.synced_at = now
        return index


def reset_index() -> None:
    """Forget the in-memory index (tests, and after a rebuild in this process)."""
    with _state.lock:
        _state.index = None
        _state.synced_at = None


# --- Computing related articles -------------------------------------------------------------


def _signatures(ids: Iterable[int]) -> dict[int, bytes]:
    return {
        pk: bytes(sig)
        for pk, sig in ArticleFingerprint.objects.filter(article_id__in=list(ids)).values_list(
            "article_id", "signature"
        )
    }


def rank_candidates(
    article: Article, feats: features.Features, limit: int, *, now: datetime | None = None
) -> list[tuple[int, float]]:
    """Best live published articles for ``article`` as (id, score), near-duplicates removed."""
    if feats.empty:
        return []
    now = now or timezone.now()
    index = get_index()
    candidates = index.query(
        feats.terms,
        category_id=article.category_id,
        published_ts=_published_ts(article.published_at or now),
        exclude={article.pk},
        limit=limit * 3,
        weights=WEIGHTS,
        max_published_ts=now.timestamp(),
    )
    if not candidates:
        return []
    ids = [c.article_id for c in candidates]
    live = set(Article.objects.published(now).filter(pk__in=ids).values_list("pk", flat=True))
    signatures = _signatures(live) if feats.signature else {}
    out = []
    for c in candidates:
        if c.article_id not in live:
            continue
        if features.jaccard(feats.signature, signatures.get(c.article_id, b"")) >= (
            DUPLICATE_THRESHOLD
        ):
            continue
        out.append((c.article_id, c.score))
        if len(out) >= limit:
            break
    return out


def store_related(article_id: int, ranked: list[tuple[int, float]]) -> None:
    """Replace the computed rows of ``article_id``; pinned and excluded rows are kept."""
    with transaction.atomic():
        RelatedArticle.objects.filter(article_id=article_id, pinned=False, excluded=False).delete()
        kept = set(
            RelatedArticle.objects.filter(article_id=article_id).values_list(
                "related_id", flat=True
            )
        )
        RelatedArticle.objects.bulk_create(
            RelatedArticle(article_id=article_id, related_id=rid, score=round(score, 6))
            for rid, score in ranked
            if rid not in kept and rid != article_id
        )


def compute_related(article: Article, *, cascade: bool = True) -> list[tuple[int, float]]:
    """Recompute and store ``article``'s related list.

    With ``cascade`` the lists of the articles it is most related to are recomputed too, so
    a new story shows up under the older ones it belongs with, not only the other way round.
    """
    feats = _stored_features(article)
    ranked = rank_candidates(article, feats, stored_count())
    store_related(article.pk, ranked)
    if cascade and article.is_live:
        neighbours = Article.objects.filter(pk__in=[rid for rid, _ in ranked[: related_count()]])
        for other in neighbours.only("pk", "category_id", "published_at", "status"):
            store_related(other.pk, rank_candidates(other, _stored_features(other), stored_count()))
    return ranked


def _stored_features(article: Article) -> features.Features:
    row = (
        ArticleFingerprint.objects.filter(article_id=article.pk)
        .values_list("terms", "signature")
        .first()
    )
    if row is None:
        return store_fingerprint(article)
    return features.Features(terms=row[0] or {}, signature=bytes(row[1] or b""))


# --- Reading related articles (the public page) ----------------------------------------------


def _listing_fields(qs: QuerySet[Article]) -> QuerySet[Article]:
    return qs.select_related("category").only(
        "title", "slug", "published_at", "featured_image", "image_renditions", "category__name"
    )


def related_for(article: Article, k: int | None = None) -> list[Article]:
    """Up to ``k`` related live articles: pinned first, then by score; never excluded ones.

    Falls back to (and tops up with) same-category newest-first articles when fewer are
    stored, e.g. before the first computation. At most two queries.
    """
    k = k or related_count()
    if article.pk is None or k <= 0:
        return []
    now = timezone.now()
    links = list(
        RelatedArticle.objects.filter(
            article_id=article.pk,
            related__status=Published,
            related__published_at__lte=now,
        )
        .select_related("related", "related__category")
        .only(
            "pinned",
            "excluded",
            "score",
            "related_id",
            "related__title",
            "related__slug",
            "related__published_at",
            "related__featured_image",
            "related__image_renditions",
            "related__category__name",
        )
        .order_by("excluded", "-pinned", "-score", "id")[: k + 32]
    )
    excluded = {link.related_id for link in links if link.excluded}
    result = [link.related for link in links if not link.excluded][:k]
    if len(result) < k and article.category_id:
        skip = {article.pk, *excluded, *(a.pk for a in result)}
        # Near-duplicates stay out of the top-up too (subqueries: still one round trip).
        fill = (
            _listing_fields(Article.objects.published(now).filter(category_id=article.category_id))
            .exclude(pk__in=skip)
            .exclude(
                pk__in=NearDuplicate.objects.filter(article_id=article.pk).values("duplicate_of_id")
            )
            .exclude(
                pk__in=NearDuplicate.objects.filter(duplicate_of_id=article.pk).values("article_id")
            )
        )
        result.extend(fill[: k - len(result)])
    return result


# --- Near-duplicates ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Probe:
    signature: bytes
    article_id: int | None


def _probe(article_or_text: Article | str | tuple[str, str]) -> _Probe:
    if isinstance(article_or_text, Article):
        article = article_or_text
        body = _body_text(article.body or "")
        sig = features.minhash(features.shingles(article.title or "", body))
        return _Probe(sig, article.pk)
    if isinstance(article_or_text, tuple):
        title, body = article_or_text
        return _Probe(features.minhash(features.shingles(title or "", body or "")), None)
    if isinstance(article_or_text, str):
        return _Probe(features.minhash(features.shingles("", article_or_text)), None)
    return _Probe(b"", None)


def find_near_duplicates(
    article_or_text: Article | str | tuple[str, str],
    *,
    threshold: float = DUPLICATE_THRESHOLD,
    limit: int = 10,
) -> list[tuple[Article, float]]:
    """Stored articles (any status) whose text is ≥ ``threshold`` similar, most similar first.

    Accepts an article (compared on its current, possibly unsaved, text and never matched
    with itself), a body text, or a ``(title, body)`` pair as an importer has it. Candidates
    come from the LSH band table (one indexed query), then every candidate's full signature
    is compared, so the cost does not grow with the archive.
    """
    probe = _probe(article_or_text)
    return _near_duplicates_of(probe.signature, probe.article_id, threshold=threshold, limit=limit)


def _near_duplicates_of(
    signature: bytes,
    exclude_id: int | None,
    *,
    threshold: float = DUPLICATE_THRESHOLD,
    limit: int = 10,
    keys: list[int] | None = None,
    batch: FingerprintBatch | None = None,
) -> list[tuple[Article, float]]:
    keys = features.band_keys(signature) if keys is None else keys
    if not keys:
        return []
    candidate_ids = _band_candidates(keys)
    in_batch: set[int] = set()
    if batch is not None:
        # The batch's articles are compared on their new signatures, not their stored rows.
        candidate_ids -= batch._entries.keys()
        in_batch = batch._candidates(keys)
        in_batch.discard(exclude_id)
    candidate_ids.discard(exclude_id)
    if not candidate_ids and not in_batch:
        return []
    signatures = _signatures(candidate_ids) if candidate_ids else {}
    if batch is not None:
        signatures.update((pk, batch._signature(pk)) for pk in in_batch)
    scored = [
        (pk, sim)
        for pk, sig in signatures.items()
        if (sim := features.jaccard(signature, sig)) >= threshold
    ]
    if not scored:
        return []
    scored.sort(key=lambda item: (-item[1], item[0]))
    scored = scored[:limit]
    articles = Article.objects.only("title", "slug", "status", "published_at").in_bulk(
        [pk for pk, _ in scored]
    )
    return [(articles[pk], sim) for pk, sim in scored if pk in articles]


def _band_candidates(keys: list[int], limit: int = 500) -> set[int]:
    """Articles sharing a band key with ``keys`` (at most ``limit``): every save's duplicate
    check runs this, and as plain SQL it costs a tenth of the ORM's query building."""
    qn = connection.ops.quote_name
    opts = SignatureBand._meta
    table, key, article = (
        qn(opts.db_table),
        qn(opts.get_field("key").column),
        qn(opts.get_field("article").column),
    )
    marks = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {article} FROM {table} WHERE {key} IN ({marks}) LIMIT %s",  # noqa: S608
            [*keys, limit],
        )
        return {row[0] for row in cursor.fetchall()}


def record_near_duplicates(article: Article) -> list[tuple[Article, float]]:
    """Find and store the near-duplicates of ``article`` (shown as a warning in the admin)."""
    found = find_near_duplicates(article)
    with transaction.atomic():
        NearDuplicate.objects.filter(article_id=article.pk).delete()
        NearDuplicate.objects.bulk_create(
            NearDuplicate(article_id=article.pk, duplicate_of_id=other.pk, similarity=sim)
            for other, sim in found
        )
    return found


def near_duplicate_warnings(article: Article) -> list[str]:
    """Arabic warnings for the editor about stored articles ``article`` nearly repeats."""
    if article.pk is None:
        return []
    found = find_near_duplicates(article)
    return [
        f"تنبيه: هذا المقال يشبه المقال «{other.title}» (رقم {other.pk}) بنسبة {sim:.0%}."
        for other, sim in found
    ]


def warn_near_duplicates(request, article: Article) -> int:
    """Add one admin warning per near-duplicate of ``article``; for ``ModelAdmin.save_model``."""
    from django.contrib import messages

    warnings = near_duplicate_warnings(article)
    for text in warnings:
        messages.warning(request, text)
    return len(warnings)


# --- Following the newsroom (events; see akhbar.related.subscribers) ---------------------------

_suspended = threading.local()


@dataclass
class Suspension:
    """Article ids that changed while suspended: pass them to :func:`catch_up`."""

    ids: set[int]


@contextlib.contextmanager
def suspended() -> Iterator[Suspension]:
    """Skip the per-save work (bulk imports) in this thread; then ``catch_up(s.ids)``."""
    outer = getattr(_suspended, "current", None)
    current = Suspension(ids=set())
    _suspended.current = current
    try:
        yield current
    finally:
        _suspended.current = outer
        if outer is not None:
            outer.ids |= current.ids


def refresh(article_id: int) -> None:
    """Everything a save triggers: fingerprint, near-duplicate record, related lists.

    Runs in a background job; a failure is logged and never reaches the editor.
    """
    try:
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            return
        store_fingerprint(article)
        record_near_duplicates(article)
        if article.status == Published:
            compute_related(article, cascade=True)
    except Exception:
        logger.exception("related: refresh of article %s failed", article_id)


def articles_changed(ids: Iterable[int]) -> None:
    """Refresh these articles in the background, or note them while suspended."""
    ids = sorted(set(ids))
    if not ids:
        return
    current = getattr(_suspended, "current", None)
    if current is not None:
        current.ids.update(ids)
        return
    from akhbar.related.tasks import refresh_articles

    for start in range(0, len(ids), 200):
        refresh_articles.enqueue(ids[start : start + 200])


def catch_up(ids: Iterable[int] | None = None) -> int:
    """Refresh ``ids``; with no ids, the published articles that have no fingerprint yet
    (an interrupted import). Many at once go through :func:`rebuild`. Returns how many."""
    if ids is None:
        ids = list(
            Article.objects.filter(status=Published, fingerprint__isnull=True).values_list(
                "pk", flat=True
            )
        )
    ids = sorted(set(ids))
    if len(ids) > 2000:
        rebuild()
        return len(ids)
    for article_id in ids:
        refresh(article_id)
    return len(ids)


# --- Bulk rebuild ---------------------------------------------------------------------------


def rebuild(progress: Callable[[str, int, int], None] | None = None, chunk: int = 500) -> dict:
    """Recompute every fingerprint and every published article's related list.

    ``progress(stage, done, total)`` is called as work advances (the command draws a bar).
    Memory: the index plus one signature (512 bytes) per article.
    """
    progress = progress or (lambda stage, done, total: None)
    total = Article.objects.count()
    signatures: dict[int, bytes] = {}
    index = RelatedIndex()
    done = 0
    qs = Article.objects.only(
        "pk", "title", "excerpt", "body", "status", "category_id", "published_at"
    ).order_by("pk")
    last_pk = 0
    while True:
        batch = list(qs.filter(pk__gt=last_pk)[:chunk])
        if not batch:
            break
        last_pk = batch[-1].pk
        tag_map: dict[int, list[int]] = {}
        for aid, tid in Article.tags.through.objects.filter(
            article_id__in=[a.pk for a in batch]
        ).values_list("article_id", "tag_id"):
            tag_map.setdefault(aid, []).append(tid)
        now = timezone.now()
        fingerprints, bands = [], []
        for article in batch:
            feats = article_features(article, tag_map.get(article.pk, []))
            signatures[article.pk] = feats.signature
            fingerprints.append(
                ArticleFingerprint(
                    article_id=article.pk,
                    terms=feats.terms,
                    signature=feats.signature,
                    updated_at=now,
                )
            )
            bands.extend((k, article.pk) for k in features.band_keys(feats.signature))
            if article.status == Published:
                index.add(
                    article.pk,
                    feats.terms,
                    article.category_id,
                    _published_ts(article.published_at),
                    compute_norm=False,
                )
        with transaction.atomic():
            ids = [a.pk for a in batch]
            ArticleFingerprint.objects.filter(article_id__in=ids).delete()
            ArticleFingerprint.objects.bulk_create(fingerprints)
            SignatureBand.objects.filter(article_id__in=ids).delete()
            _insert_many(
                connection.ops.quote_name(SignatureBand._meta.db_table),
                ("key", "article_id"),
                bands,
            )
        done += len(batch)
        progress("fingerprints", done, total)
    index.finish_bulk()
    with _state.lock:
        _state.index = index
        _state.synced_at = timezone.now()

    now = timezone.now()
    live = list(Article.objects.published(now).order_by("pk").values_list("pk", flat=True))
    k_store = stored_count()
    # Every live article against the whole index at once (matrix products in blocks, see
    # RelatedIndex.query_many): the same ranking as one index.query per article, without
    # a per-article Python loop over posting lists.
    ranked_all = index.query_many(
        live, limit=k_store * 2, weights=WEIGHTS, max_published_ts=now.timestamp()
    )
    progress("related", 0, len(live))
    sig_rows = {pk: i for i, pk in enumerate(signatures)}
    sig_matrix = np.zeros((len(signatures), features.NUM_PERM), dtype=np.uint32)
    has_sig = np.zeros(len(signatures), dtype=bool)
    for pk, i in sig_rows.items():
        if len(signatures[pk]) == features.NUM_PERM * 4:
            sig_matrix[i] = features.signature_array(signatures[pk])
            has_sig[i] = True
    done = 0
    for start in range(0, len(live), chunk):
        part = live[start : start + chunk]
        rows = {}
        # Near-duplicates out, vectorised: one (pairs × 128) comparison per chunk.
        pairs = [(pk, c) for pk in part for c in ranked_all.get(pk, [])]
        if pairs:
            left = np.array([sig_rows.get(pk, -1) for pk, _ in pairs])
            right = np.array([sig_rows.get(c.article_id, -1) for _, c in pairs])
            ok = (left >= 0) & (right >= 0)
            ok[ok] &= has_sig[left[ok]] & has_sig[right[ok]]
            similar = np.zeros(len(pairs), dtype=np.float64)
            similar[ok] = (sig_matrix[left[ok]] == sig_matrix[right[ok]]).mean(axis=1)
            duplicate = similar >= DUPLICATE_THRESHOLD
        else:
            duplicate = np.zeros(0, dtype=bool)
        for pk in part:
            rows[pk] = []
        for (pk, c), dup in zip(pairs, duplicate, strict=True):
            if not dup and len(rows[pk]) < k_store:
                rows[pk].append((c.article_id, c.score))
        _store_related_rows(rows)
        done += len(rows)
        progress("related", done, len(live))
    return {"articles": total, "published": len(live), "terms": len(index.postings)}


def _store_related_rows(rows: dict[int, list[tuple[int, float]]]) -> None:
    """Replace the computed rows of many articles (pinned and excluded rows are kept) with
    plain multi-row INSERTs: model instances cost ~0.1 ms a row, too much for millions."""
    if not rows:
        return
    table = connection.ops.quote_name(RelatedArticle._meta.db_table)
    stamp = timezone.now()
    with transaction.atomic():
        ids = list(rows)
        RelatedArticle.objects.filter(article_id__in=ids, pinned=False, excluded=False).delete()
        kept = set(
            RelatedArticle.objects.filter(article_id__in=ids).values_list(
                "article_id", "related_id"
            )
        )
        values = [
            (aid, rid, round(score, 6), False, False, stamp)
            for aid, ranked in rows.items()
            for rid, score in ranked
            if (aid, rid) not in kept and rid != aid
        ]
        _insert_many(
            table,
            ("article_id", "related_id", "score", "pinned", "excluded", "computed_at"),
            values,
        )


def _insert_many(
    table: str, columns: tuple[str, ...], values: list[tuple], size: int = 500
) -> None:
    if not values:
        return
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(values), size):
            part = values[start : start + size]
            params = [
                connection.ops.adapt_datetimefield_value(v) if isinstance(v, datetime) else v
                for row in part
                for v in row
            ]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(part))}",  # noqa: S608
                params,
            )


# --- Tag suggestions ------------------------------------------------------------------------


#: Bumped in the shared cache when a tag is renamed, so every process reloads tag names.
TAG_NAMES_VERSION_KEY = "akhbar:related:tag-names"
#: (stamp, names) of this process; replaced whole, so threads never see half an update.
_tag_names_cache: tuple[tuple, list[str]] | None = None


def _tag_names() -> list[str]:
    """All tag names, kept in this process until a tag is added, renamed or removed.

    Additions and removals show in the tags' count and highest id (one aggregate query); a
    rename changes neither, so :func:`tag_renamed` (subscribed to ``TaxonomyRenamed``) bumps a
    version in the shared cache that every process compares too.
    """
    global _tag_names_cache
    from django.core.cache import cache
    from django.db.models import Count, Max

    from akhbar.newsroom.models import Tag

    counts = Tag.objects.aggregate(n=Count("id"), last=Max("id"))
    stamp = (counts["n"], counts["last"], cache.get(TAG_NAMES_VERSION_KEY))
    cached = _tag_names_cache
    if cached is not None and cached[0] == stamp:
        return cached[1]
    names = list(Tag.objects.values_list("name", flat=True)[:50_000])
    _tag_names_cache = (stamp, names)
    return names


def tag_renamed() -> None:
    """A tag's name changed: every process reloads the names on its next suggestion."""
    import time

    from django.core.cache import cache

    cache.set(TAG_NAMES_VERSION_KEY, time.time_ns(), None)


def suggest_tags(title: str, body: str, k: int = 8) -> list[Suggestion]:
    """Suggestions for the article form (see :func:`akhbar.related.suggest.suggest`).

    Existing tags come first, key phrases are weighted by IDF over the site's articles.
    ``body`` may be HTML.
    """
    title = title if isinstance(title, str) else ""
    body = features.plain_text(body) if isinstance(body, str) else ""
    index = get_index()
    return suggest(title, body, k, tags=_tag_names(), idf=index.idf)
