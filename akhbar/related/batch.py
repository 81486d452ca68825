"""Fingerprints of many articles written in one transaction (a wire delivery), at once."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.utils import timezone

from akhbar.core.sql import insert_rows
from akhbar.newsroom.models import Article
from akhbar.related import features
from akhbar.related.duplicates import near_duplicates_of
from akhbar.related.fingerprints import article_features
from akhbar.related.models import ArticleFingerprint, NearDuplicate, SignatureBand
from akhbar.related.sql import insert_bands

#: What the batch holds per article: features, band keys, near-duplicates found.
Entry = tuple[features.Features, list[int], list[tuple[Article, float]]]


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
        self._entries: dict[int, Entry] = {}
        #: Band key → the batch's articles with that key (candidates, as the table gives).
        self._bands: dict[int, set[int]] = {}
        #: (article id, the entry it replaced) for each add, so a rollback can restore it.
        self._undo: list[tuple[int, Entry | None]] = []

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, article: Article, tag_ids: Iterable[int]) -> list[tuple[Article, float]]:
        """Analyse the saved ``article`` (with these tags); its near-duplicates, most similar
        first (stored by :meth:`flush`)."""
        feats = article_features(article, tag_ids)
        keys = features.band_keys(feats.signature)
        found = near_duplicates_of(feats.signature, article.pk, keys=keys, batch=self)
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

    def _put(self, article_id: int, entry: Entry | None) -> None:
        old = self._entries.pop(article_id, None)
        if old is not None:
            for key in old[1]:
                self._bands[key].discard(article_id)
        if entry is not None:
            self._entries[article_id] = entry
            for key in entry[1]:
                self._bands.setdefault(key, set()).add(article_id)

    # What the near-duplicate search asks of pending fingerprints (duplicates.PendingFingerprints).

    def article_ids(self) -> Collection[int]:
        return self._entries.keys()

    def candidates(self, keys: list[int]) -> set[int]:
        return {pk for key in keys for pk in self._bands.get(key, ())}

    def signature(self, article_id: int) -> bytes:
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
        insert_bands([(key, pk) for pk, (_, keys, _) in self._entries.items() for key in keys])
        NearDuplicate.objects.bulk_create(
            NearDuplicate(article_id=pk, duplicate_of_id=other.pk, similarity=sim)
            for pk, (_, _, found) in self._entries.items()
            for other, sim in found
        )
        self._clear()
