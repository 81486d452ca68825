"""Decisions taken with the index's own vocabulary: short proclitic words and "هل تقصد؟".

Both need to know which terms the archive actually contains and how often, which the
engines keep already (FTS5 ``fts5vocab``; a trigger-maintained table on PostgreSQL, see
migration 0003). Nothing here ships a dictionary: a newsroom's vocabulary is its archive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from akhbar.arabic import analyze, stem
from akhbar.search.query import ParsedQuery

__all__ = [
    "CONFUSIONS",
    "Correction",
    "arabic_distance",
    "proclitic_alternative",
    "resolve_proclitics",
    "suggest",
]

#: One-letter proclitics the stemmer refuses to strip from short words ("وقمح" keeps its و
#: because "وصل", "وجد", "ورد" begin with a root و).
_SHORT_PROCLITICS = "وفبلك"
#: The stripped form is used only when it is more than this many times as frequent in the
#: archive as the word as typed. Measured with ``bench/arabic_stemmers.py --proclitics`` on
#: the demo, stories, collection and ANT texts: attached forms are 4-10 times rarer than the
#: bare word (ودعم 2 / بدعم 5 / لدعم 6 against دعم 25; بسجن 1 against سجن 10), while
#: root-initial words are about as frequent as their stripped form or more (وجد 8 / جد 4,
#: ورد 5 / رد 6), or the stripped form is no word at all (وصل/صل، فتح/تح، بلد/لد).
_JOIN_RATIO = 3

FrequencyLookup = Callable[[Iterable[str]], dict[str, int]]


def proclitic_alternative(term: str) -> str | None:
    """The term ``term`` would be without a leading و/ف/ب/ل/ك, if it is a short one.

    Only terms the stemmer left alone qualify: they are a proclitic plus at most three
    letters (longer words lose their proclitic in :func:`akhbar.arabic.stem` already).
    """
    if len(term) < 3 or len(term) > 4 or term[0] not in _SHORT_PROCLITICS:
        return None
    rest = stem(term[1:])
    return rest if len(rest) >= 2 and rest != term else None


def join_allowed(word_df: int, stripped_df: int) -> bool:
    """Whether a short proclitic word should also match its stripped form."""
    return stripped_df > 0 and word_df * _JOIN_RATIO < stripped_df


def resolve_proclitics(
    query: ParsedQuery, frequencies: FrequencyLookup
) -> tuple[ParsedQuery, dict[str, int]]:
    """``query`` with alternative forms for short proclitic words, and the frequencies seen.

    One vocabulary lookup covers the query's terms, phrase terms and the candidate forms.
    """
    candidates = {t: proclitic_alternative(t) for t in query.terms}
    wanted = set(query.terms) | {t for p in query.phrases for t in p}
    wanted |= {alt for alt in candidates.values() if alt}
    if not wanted:
        return query, {}
    found = frequencies(sorted(wanted))
    alternatives: list[tuple[str, ...]] = []
    for term in query.terms:
        alt = candidates[term]
        if alt and alt not in query.terms and join_allowed(found.get(term, 0), found.get(alt, 0)):
            alternatives.append((alt,))
        else:
            alternatives.append(())
    if not any(alternatives):
        return query, found
    highlight = query.highlight | {a for alts in alternatives for a in alts}
    return replace(query, alternatives=tuple(alternatives), highlight=highlight), found


# --- "هل تقصد؟" ---------------------------------------------------------------------------

#: Letters readers mix up on Arabic keyboards and in spelling, each set folded to one letter
#: for the candidate search. (أ/إ/آ/ا، ى/ي، ة/ه، ؤ/و، ئ/ي are already one letter after
#: :func:`akhbar.arabic.normalize`.)
CONFUSIONS: tuple[str, ...] = ("ضص", "ظزذ", "ثس")
#: A substitution within one confusion set, or adding/dropping a doubled letter.
CHEAP = 0.3
#: Suggestions further than this (in weighted edits) are not offered.
MAX_DISTANCE = 1.6
#: Unknown words looked up per query: each costs a vocabulary scan, and a query of 24
#: invented words must not cost 24 of them.
MAX_CORRECTED = 3

_FOLD = {ord(c): group[0] for group in CONFUSIONS for c in group[1:]}
_CONFUSABLE = {(a, b) for group in CONFUSIONS for a in group for b in group if a != b}


def _fold(term: str) -> str:
    out: list[str] = []
    for c in term.translate(_FOLD):
        if not out or out[-1] != c:  # doubled letters fold to one
            out.append(c)
    return "".join(out)


@lru_cache(maxsize=65_536)
def arabic_distance(a: str, b: str) -> float:
    """Edit distance with Arabic keyboard/spelling confusions and doubled letters cheap.

    Written by hand because the usual libraries (rapidfuzz, python-Levenshtein) weigh
    operations by kind, not by which letters are involved.
    """
    n, m = len(a), len(b)
    prev = [j * 1.0 for j in range(m + 1)]
    for i in range(1, n + 1):
        cur = [i * 1.0] + [0.0] * m
        for j in range(1, m + 1):
            ca, cb = a[i - 1], b[j - 1]
            if ca == cb:
                sub = 0.0
            elif (ca, cb) in _CONFUSABLE:
                sub = CHEAP
            else:
                sub = 1.0
            # Dropping/adding a letter next to the same letter is a doubled-letter slip.
            delete = CHEAP if (i > 1 and a[i - 2] == ca) or (i < n and a[i] == ca) else 1.0
            insert = CHEAP if (j > 1 and b[j - 2] == cb) or (j < m and b[j] == cb) else 1.0
            cur[j] = min(prev[j - 1] + sub, prev[j] + delete, cur[j - 1] + insert)
        prev = cur
    return prev[m]


@dataclass(frozen=True)
class Correction:
    """The suggested query for an unknown word (``text`` is what the reader sees)."""

    text: str
    replacements: tuple[tuple[str, str], ...]  # (word as typed, suggested term)


def _first_letters(term: str) -> set[str]:
    first = term[0]
    letters = {first}
    for group in CONFUSIONS:
        if first in group:
            letters.update(group)
    return letters


def closest_terms(
    term: str,
    vocabulary_range: Callable[[str, str, int], list[tuple[str, int]]],
    limit: int = 3,
) -> list[tuple[str, float, int]]:
    """Known terms nearest to ``term``: (term, weighted distance, document frequency).

    Candidates share the first letter (or a confusable one): first letters are rarely
    mistyped, and this keeps the scan to one vocabulary range per letter. rapidfuzz's
    Levenshtein over the *folded* forms (confusions and doubles erased) picks the few worth
    the exact weighted distance; frequency breaks ties, so the archive's usual spelling wins.
    """
    if len(term) < 3 or not ("\u0621" <= term[0] <= "\u06ff"):
        return []
    folded = _fold(term)
    scored: list[tuple[float, int, str]] = []
    for letter in sorted(_first_letters(term)):
        high = chr(ord(letter) + 1)
        for known, df in vocabulary_range(letter, high, 5000):
            if known == term or abs(len(known) - len(term)) > 2:
                continue
            if Levenshtein.distance(folded, _fold(known), score_cutoff=2) > 2:
                continue
            distance = arabic_distance(term, known)
            if distance <= MAX_DISTANCE and analyze(known) == [known]:
                scored.append((distance, -df, known))
    scored.sort()
    return [(known, distance, -neg) for distance, neg, known in scored[:limit]]


def suggest(
    query: ParsedQuery,
    frequencies: dict[str, int],
    vocabulary_range: Callable[[str, str, int], list[tuple[str, int]]],
) -> Correction | None:
    """A corrected query when some of ``query``'s words are unknown to the index."""
    replacements: list[tuple[str, str]] = []
    unknown = [
        i for i in range(len(query.terms)) if not any(frequencies.get(f, 0) for f in query.forms(i))
    ]
    for i in unknown[:MAX_CORRECTED]:
        term = query.terms[i]
        best = closest_terms(term, vocabulary_range, 1)
        if best:
            source = query.sources[i] if i < len(query.sources) else term
            replacements.append((source, best[0][0]))
    if not replacements:
        return None
    text = query.text
    for source, suggestion in replacements:
        text = text.replace(source, suggestion, 1) if source in text else f"{text} {suggestion}"
    return Correction(text=text, replacements=tuple(replacements))
