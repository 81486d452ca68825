"""What an import run tells its caller: counts per kind of record, messages, the fault."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, ClassVar

from akhbar.importers.wordpress.common import Kind


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

    #: Messages kept per list: a broken 50,000-post export must not fill memory with them.
    MAX_MESSAGES: ClassVar[int] = 200

    def skip(self, kind: str, reason: str) -> None:
        self.skipped[(kind, reason)] += 1

    def error(self, kind: str, what: str, exc: BaseException | str) -> None:
        self.skip(kind, "error")
        if len(self.errors) < self.MAX_MESSAGES:
            self.errors.append(f"{kind} {what}: {exc}")

    def warn(self, message: str) -> None:
        if len(self.warnings) < self.MAX_MESSAGES:
            self.warnings.append(message)

    def count(self, kind: str, *, created: bool) -> None:
        """One more record of ``kind`` created (or, if not, updated)."""
        (self.created if created else self.updated)[kind] += 1

    @property
    def ok(self) -> bool:
        return self.fatal is None

    def kinds(self) -> list[str]:
        """The kinds with something to report: ImportedItem's kinds first, in their order."""
        order: list[str] = list(Kind.values)
        seen = set(self.created) | set(self.updated) | {k for k, _ in self.skipped}
        return [k for k in order if k in seen] + sorted(seen - set(order))

    def skipped_total(self, kind: str) -> int:
        return sum(n for (k, _), n in self.skipped.items() if k == kind)

    def snapshot(self) -> ImportReport:
        """A copy to go back to when a batch is rolled back and redone item by item."""
        return copy.deepcopy(self)

    def restore(self, saved: ImportReport) -> None:
        """Go back to ``saved`` in place: every job holds this same report object."""
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
