"""Highlighted titles and snippets cut from the ORIGINAL text, diacritics and all.

Matching is done on analysed terms (``analyze_with_offsets``), so "القوات" highlights
"وَالقُوّاتِ" as published; everything that is not a match is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Collection

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from akhbar.arabic import Token, analyze_with_offsets

__all__ = ["highlight", "snippet"]

#: Only the start of very long bodies is scanned: a snippet from deep inside a 20,000-word
#: document is rarely better, and analysis time must stay bounded per result.
SCAN_CHARS = 20_000
SNIPPET_WORDS = 32


def _tokens(text: str, terms: Collection[str]) -> list[tuple[Token, str | None]]:
    """Original tokens in order, each with the query term it matched (or None)."""
    out: list[tuple[Token, str | None]] = []
    for term, token in analyze_with_offsets(text):
        hit = term if term in terms else None
        if out and out[-1][0] == token:  # one token may yield several terms
            if hit and not out[-1][1]:
                out[-1] = (token, hit)
            continue
        out.append((token, hit))
    return out


def _render(text: str, tokens: list[tuple[Token, str | None]], start: int, end: int) -> str:
    parts: list[str] = []
    pos = start
    for token, hit in tokens:
        if not hit or token.start < start or token.end > end:
            continue
        parts.append(escape(text[pos : token.start]))
        parts.append(f"<mark>{escape(token.text)}</mark>")
        pos = token.end
    parts.append(escape(text[pos:end]))
    return "".join(parts)


def highlight(text: str, terms: Collection[str]) -> SafeString:
    """All of ``text``, escaped, with matching words wrapped in ``<mark>``."""
    text = text or ""
    return mark_safe(_render(text, _tokens(text, terms), 0, len(text)))


def _best_window(tokens: list[tuple[Token, str | None]], words: int) -> int:
    """Index of the first token of the window holding the most distinct matched terms.

    One sliding pass with per-term counts, so long bodies cost O(tokens), not O(tokens × words).
    """
    counts: dict[str, int] = {}
    best_start, best_score = 0, -1.0
    for i, (_, hit) in enumerate(tokens):
        if hit:
            counts[hit] = counts.get(hit, 0) + 1
        first = i - words + 1
        if first > 0:
            leaving = tokens[first - 1][1]
            if leaving:
                counts[leaving] -= 1
                if not counts[leaving]:
                    del counts[leaving]
        if first >= 0 or i == len(tokens) - 1:
            begin = max(first, 0)
            score = len(counts) + (0.5 if tokens[begin][1] else 0.0)
            if score > best_score:
                best_start, best_score = begin, score
    return best_start


def snippet(text: str, terms: Collection[str], words: int = SNIPPET_WORDS) -> SafeString:
    """The ``words``-word window of ``text`` with the most distinct query terms, highlighted.

    Falls back to the opening words when nothing matches in the text (a title-only match).
    """
    text = (text or "")[:SCAN_CHARS]
    tokens = _tokens(text, terms)
    if not tokens:
        return mark_safe("")
    best = 0
    if any(hit for _, hit in tokens):
        # Start a few words before the best window's first match so it reads in context.
        best = max(0, _best_window(tokens, words) - 3)
    window = tokens[best : best + words]
    start = 0 if best == 0 else window[0][0].start
    end = window[-1][0].end if best + words < len(tokens) else len(text)
    body = _render(text, tokens, start, end).strip()
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + body + suffix)
