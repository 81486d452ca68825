"""Progress and the closing summary of a long management command (CONTRIBUTING.md: "a long
one shows progress (rich) and ends with a summary").

One helper instead of a rich ``Progress`` set up in each command, so that every long command
behaves the same way:

* on a terminal, a rich bar per stage on the command's stderr (stdout stays for the summary
  and anything a script reads), gone when the work ends;
* anywhere else (cron, CI, ``| tee``, a test's ``call_command(stderr=...)``), plain lines on
  stderr at every tenth of the work (or every ``PLAIN_INTERVAL`` seconds when the total is
  unknown) and one at the end, since a log full of bar redraws is unreadable and a log with
  nothing for an hour looks like a hung job;
* ``--no-progress`` (or ``--verbosity 0``) shows nothing but the summary;
* the summary is one line on stdout.

Callers report work with :meth:`CommandProgress.advance` (n more done), :meth:`update`
(done so far, and the total when it is learnt late) or :meth:`stage` (a command with
several phases, each with its own count), all cheap enough to call once per item.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

__all__ = ["PLAIN_INTERVAL", "CommandProgress", "progress_enabled"]

#: Seconds between plain progress lines when the total is unknown.
PLAIN_INTERVAL = 10.0
#: Plain lines at every this many percent of a known total.
PLAIN_STEP_PERCENT = 10


class _Command(Protocol):
    """What is used of a Django ``BaseCommand``: its two output wrappers."""

    stdout: Any
    stderr: Any


def progress_enabled(options: dict[str, Any]) -> bool:
    """Whether a command's options allow progress output: not with ``--no-progress``, and not
    at ``--verbosity 0``, which promises nothing but errors (and the summary)."""
    return not options.get("no_progress") and int(options.get("verbosity", 1)) > 0


def _plain(text: str) -> str:
    return text


class _RichStream:
    """A command's stderr as a text stream for rich.

    Django's ``OutputWrapper`` adds a newline to every write and colours stderr as an error
    on a terminal; rich writes partial lines and escape codes of its own, so each write here
    goes through unchanged.
    """

    def __init__(self, out: Any) -> None:
        self._out = out

    def write(self, text: str) -> int:
        self._out.write(text, style_func=_plain, ending="")
        return len(text)

    def flush(self) -> None:
        self._out.flush()

    def isatty(self) -> bool:
        return bool(self._out.isatty())

    @property
    def encoding(self) -> str:
        return getattr(getattr(self._out, "_out", None), "encoding", None) or "utf-8"


@dataclass
class _Stage:
    label: str
    total: int | None
    completed: int = 0
    #: Plain mode: the last tenth (known total) written, and when the last line was written.
    step: int = 0
    printed: int | None = None
    printed_at: float | None = None
    task: TaskID | None = None


class CommandProgress:
    """Progress of one command, as a context manager: ``with CommandProgress(self, "Indexing
    articles", total=n, enabled=progress_enabled(options)) as progress: ...``.

    ``transfer=True`` counts bytes (a file being read) and shows sizes and speed.
    """

    def __init__(
        self,
        command: _Command,
        label: str,
        *,
        total: int | None = None,
        enabled: bool = True,
        transfer: bool = False,
    ) -> None:
        self.command = command
        self.enabled = enabled
        self.transfer = transfer
        self.started = time.perf_counter()
        self.finished: float | None = None
        self._stages: dict[str, _Stage] = {}
        self._current = self._stage(label, total)
        self._rich: Progress | None = None
        self.interactive = enabled and bool(command.stderr.isatty())

    # --- Context manager -----------------------------------------------------------------

    def __enter__(self) -> CommandProgress:
        self.started = time.perf_counter()
        if self.interactive:
            stream: Any = _RichStream(self.command.stderr)
            self._rich = Progress(*self._columns(), console=Console(file=stream), transient=True)
            self._rich.start()
            for stage in self._stages.values():
                self._rich_task(stage)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.finished = time.perf_counter()
        if self._rich is not None:
            self._rich.stop()
            self._rich = None
        elif self.enabled:
            # Where the work ended (all of it, or where it stopped on an error).
            for stage in self._stages.values():
                if stage.printed != stage.completed and (stage.completed or stage.total):
                    self._line(stage)

    # --- Reporting -----------------------------------------------------------------------

    def advance(self, n: int = 1) -> None:
        """``n`` more items of the current stage are done."""
        self._set(self._current, self._current.completed + n, self._current.total)

    def update(self, completed: int, total: int | None = None) -> None:
        """``completed`` items of the current stage are done (of ``total``, when given)."""
        self._set(self._current, completed, self._current.total if total is None else total)

    def stage(self, label: str, completed: int, total: int | None = None) -> None:
        """A command with phases: ``completed`` of ``total`` in the stage called ``label``
        (started on first mention; it becomes the current stage for :meth:`advance`)."""
        if label not in self._stages:
            self._rich_task(self._stage(label, total))
        self._current = self._stages[label]
        self._set(self._current, completed, self._current.total if total is None else total)

    def summary(self, text: str, style: Callable[[str], str] | None = None) -> None:
        """The command's closing line, on stdout (``style``: e.g. ``self.style.SUCCESS``)."""
        line = " ".join(text.split("\n"))
        self.command.stdout.write(style(line) if style else line)

    @property
    def elapsed(self) -> float:
        """Seconds the work took (the ``with`` block), or has taken so far inside it."""
        return (self.finished or time.perf_counter()) - self.started

    # --- Inside --------------------------------------------------------------------------

    def _stage(self, label: str, total: int | None) -> _Stage:
        stage = self._stages[label] = _Stage(label, total)
        return stage

    def _columns(self) -> list[ProgressColumn]:
        counts: list[ProgressColumn] = (
            [DownloadColumn(), TransferSpeedColumn()] if self.transfer else [MofNCompleteColumn()]
        )
        return [TextColumn("{task.description}"), BarColumn(), *counts, TimeRemainingColumn()]

    def _rich_task(self, stage: _Stage) -> None:
        if self._rich is not None and stage.task is None:
            stage.task = self._rich.add_task(stage.label, total=stage.total)

    def _set(self, stage: _Stage, completed: int, total: int | None) -> None:
        stage.completed, stage.total = completed, total
        if not self.enabled:
            return
        if self._rich is not None and stage.task is not None:
            self._rich.update(stage.task, completed=completed, total=total)
            return
        if self._rich is None and self._plain_due(stage):
            self._line(stage)

    def _plain_due(self, stage: _Stage) -> bool:
        """A plain line at each new tenth of a known total, else every PLAIN_INTERVAL s."""
        if stage.total:
            step = min(stage.completed * 100 // stage.total, 100) // PLAIN_STEP_PERCENT
            if step <= stage.step:
                return False
            stage.step = step
            return True
        return stage.printed_at is None or time.monotonic() - stage.printed_at >= PLAIN_INTERVAL

    def _line(self, stage: _Stage) -> None:
        stage.printed, stage.printed_at = stage.completed, time.monotonic()
        self.command.stderr.write(f"{stage.label}: {self._count(stage)}", style_func=_plain)

    def _count(self, stage: _Stage) -> str:
        if self.transfer:
            done = f"{stage.completed / 1e6:,.1f}"
            of = f"/{stage.total / 1e6:,.1f} MB" if stage.total else " MB"
        else:
            done, of = f"{stage.completed:,}", (f"/{stage.total:,}" if stage.total else "")
        percent = f" ({min(stage.completed * 100 // stage.total, 100)}%)" if stage.total else ""
        return f"{done}{of}{percent}"
