"""The long commands' progress helper (akhbar.core.progress): a rich bar on a terminal, plain
lines anywhere else, nothing with --no-progress, and always the one-line summary."""

from __future__ import annotations

from io import StringIO

from django.core.management.base import BaseCommand

from akhbar.core.progress import CommandProgress, progress_enabled


class Terminal(StringIO):
    """A stream that says it is a terminal, as a developer's shell is."""

    def isatty(self) -> bool:
        return True


def command(stderr: StringIO | None = None) -> tuple[BaseCommand, StringIO, StringIO]:
    out, err = StringIO(), stderr if stderr is not None else StringIO()
    return BaseCommand(stdout=out, stderr=err), out, err


def test_plain_lines_at_each_tenth_then_the_summary_on_stdout():
    cmd, out, err = command()
    with CommandProgress(cmd, "Indexing articles", total=40) as progress:
        for _ in range(40):
            progress.advance()
    progress.summary("Indexed 40 articles.")
    lines = err.getvalue().splitlines()
    assert lines == [f"Indexing articles: {n}/40 ({n * 100 // 40}%)" for n in range(4, 41, 4)]
    assert out.getvalue() == "Indexed 40 articles.\n"
    assert progress.elapsed >= 0


def test_work_that_stops_early_says_where_it_stopped():
    cmd, _, err = command()
    try:
        with CommandProgress(cmd, "Exporting articles", total=1000) as progress:
            progress.advance(150)
            progress.advance(7)
            raise OSError("disk full")
    except OSError:
        pass
    assert err.getvalue().splitlines() == [
        "Exporting articles: 150/1,000 (15%)",
        "Exporting articles: 157/1,000 (15%)",
    ]


def test_unknown_total_a_line_at_start_and_at_the_end():
    cmd, _, err = command()
    with CommandProgress(cmd, "Reading bounce mail") as progress:
        for n in range(1, 6):
            progress.update(n)
    # The first report, then (within PLAIN_INTERVAL seconds) only the final count.
    assert err.getvalue().splitlines() == ["Reading bounce mail: 1", "Reading bounce mail: 5"]


def test_a_total_learnt_late_and_stages():
    cmd, _, err = command()
    with CommandProgress(cmd, "Fingerprints") as progress:
        for done in (5, 10):
            progress.stage("Fingerprints", done, 10)
        progress.stage("Related lists", 3, 3)
        progress.advance(0)
    assert err.getvalue().splitlines() == [
        "Fingerprints: 5/10 (50%)",
        "Fingerprints: 10/10 (100%)",
        "Related lists: 3/3 (100%)",
    ]


def test_bytes_read_in_megabytes():
    cmd, _, err = command()
    with CommandProgress(cmd, "Importing export.xml", total=4_000_000, transfer=True) as p:
        p.update(1_000_000)
        p.update(4_000_000)
    assert err.getvalue().splitlines() == [
        "Importing export.xml: 1.0/4.0 MB (25%)",
        "Importing export.xml: 4.0/4.0 MB (100%)",
    ]


def test_disabled_shows_only_the_summary():
    cmd, out, err = command()
    with CommandProgress(cmd, "Indexing articles", total=3, enabled=False) as progress:
        progress.advance(3)
    progress.summary("Indexed 3 articles.\n")
    assert err.getvalue() == ""
    assert out.getvalue() == "Indexed 3 articles. \n"  # one line, whatever it was given


def test_on_a_terminal_a_rich_bar_instead_of_lines(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")  # rich draws nothing on a "dumb" terminal
    cmd, out, err = command(Terminal())
    with CommandProgress(cmd, "Indexing articles", total=40) as progress:
        progress.advance(40)
    progress.summary("Indexed 40 articles.")
    drawn = err.getvalue()
    assert "Indexing articles" in drawn and "40/40" in drawn
    assert "\x1b[" in drawn  # the bar is drawn with terminal control sequences
    assert "(100%)" not in drawn  # and no plain lines
    assert out.getvalue() == "Indexed 40 articles.\n"


def test_progress_enabled_by_the_usual_options():
    assert progress_enabled({"verbosity": 1})
    assert not progress_enabled({"verbosity": 1, "no_progress": True})
    assert not progress_enabled({"verbosity": 0})
    assert progress_enabled({})
