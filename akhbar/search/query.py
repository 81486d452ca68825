"""Turn what a reader typed into a search into analysed terms, phrases and exclusions.

Pure Python, no Django: the result is a small immutable value both search engines translate
into their own syntax. The parser never hands user text to an engine. Every word goes through
:func:`akhbar.arabic.analyze`, so only its output (letters and digits) reaches FTS5 or
``to_tsquery``; quotes, ``*``, ``NEAR(``, ``AND``/``OR``/``NOT``, parentheses, ``^`` and ``:``
are either understood (quotes, a leading ``-``) or disappear with the rest of the punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from akhbar.arabic import analyze, normalize, strip_invisible

__all__ = ["MAX_QUERY_LENGTH", "MAX_TERMS", "QUERY_FILLERS", "ParsedQuery", "parse_query"]

#: Longer input is cut (and the reader told): no real query is longer, and every term costs
#: an index lookup, so an unbounded query is a cheap way to make the server work hard.
MAX_QUERY_LENGTH = 200
#: Upper bound on terms + phrases + exclusions after analysis, for the same reason.
MAX_TERMS = 24

#: Question words and fillers readers put in front of what they look for ("لماذا …", "شو …",
#: "ما هي أسباب …"). The analyser already drops the standard ones (من، ما، متى، أين، كيف، كم،
#: هل، هو، هي، الذي، التي، عن، في …) for indexing and querying alike; these are the ones it
#: keeps because in an article they can carry meaning, so they are dropped from queries only.
#: Changing this list never needs a reindex. Written in ordinary spelling and normalised,
#: then analysed, so each entry is compared in exactly the form a query term takes.
_FILLER_WORDS = """
لماذا ليش ليه لمَ علام وين فين شو ايش إيش شنو شنهو اشنو أيش قديش اديش كام امتى إمتى
ماهو ماهي ماذا هل وهل فهل أليس متى ومتى وكيف وأين ولماذا وكم وما ومن
يعني ممكن أريد اريد أبغى ابغى بدي عايز أعرف اعرف بخصوص بشأن كيفية مين منو هاي هذي هاد هادا
"""
QUERY_FILLERS: frozenset[str] = frozenset(
    term for word in _FILLER_WORDS.split() for term in analyze(normalize(word))
)

# A quoted phrase: ASCII double quotes, Arabic/French guillemets or curly quotes.
_PHRASE_RE = re.compile(r'"([^"]*)"|«([^»]*)»|“([^”]*)”')
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class ParsedQuery:
    """A search request in analysed form.

    Articles containing every one of ``terms`` rank first; when they are too few, articles
    containing some of them follow (ranked by BM25 with a coordination factor, see
    :mod:`akhbar.search.ranking`). Each of ``phrases`` must occur as consecutive analysed
    terms, and no document containing one of ``excluded`` (each itself a phrase, usually of
    one term) may match: quotes and exclusions keep their strict meaning in both modes.
    ``text`` is the cleaned input, safe to echo back into the search box.

    ``sources[i]`` is the word of ``text`` that ``terms[i]`` came from (to rewrite the query
    for "هل تقصد؟"); ``alternatives[i]`` are extra, lower-ranked forms matching ``terms[i]``
    (a short word without its proclitic, "وقمح" → "قمح"), filled in by
    :func:`akhbar.search.vocabulary.resolve` from the index's vocabulary.
    """

    text: str = ""
    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()
    truncated: bool = False
    highlight: frozenset[str] = field(default_factory=frozenset)
    sources: tuple[str, ...] = ()
    alternatives: tuple[tuple[str, ...], ...] = ()
    #: Question words and fillers that were dropped (shown to nobody; kept for tests/debug).
    fillers: tuple[str, ...] = ()

    def forms(self, i: int) -> tuple[str, ...]:
        """``terms[i]`` followed by its alternative forms."""
        extra = self.alternatives[i] if i < len(self.alternatives) else ()
        return (self.terms[i], *extra)

    @property
    def is_empty(self) -> bool:
        """True when there is nothing positive to look for (exclusions alone match nothing)."""
        return not self.terms and not self.phrases


def _clean(raw: str) -> tuple[str, bool]:
    text = strip_invisible(raw if isinstance(raw, str) else "")
    text = text.replace("\ufffd", " ")  # what undecodable bytes in the URL became
    text = _SPACE_RE.sub(" ", text).strip()
    truncated = len(text) > MAX_QUERY_LENGTH
    if truncated:
        cut = text[:MAX_QUERY_LENGTH]
        # Prefer not to cut a word in half (that half-word would rarely match anything).
        space = cut.rfind(" ")
        text = (cut[:space] if space > MAX_QUERY_LENGTH // 2 else cut).strip()
    return text, truncated


def _unique(items: list) -> tuple:
    return tuple(dict.fromkeys(items))


def parse_query(raw: str | None) -> ParsedQuery:
    """Parse a reader's query; never raises, whatever the input."""
    text, truncated = _clean(raw or "")
    phrases: list[tuple[str, ...]] = []
    terms: list[str] = []
    excluded: list[tuple[str, ...]] = []

    def take_phrase(match: re.Match[str]) -> str:
        inner = next(g for g in match.groups() if g is not None)
        analysed = tuple(analyze(inner))
        if len(analysed) == 1:
            terms.append(analysed[0])
        elif analysed:
            phrases.append(analysed)
        return " "

    rest = _PHRASE_RE.sub(take_phrase, text)
    sources: dict[str, str] = {t: t for t in terms}  # quoted single words
    fillers: list[str] = []
    for chunk in rest.split():
        if chunk.startswith("-") and len(chunk) > 1:
            analysed = tuple(analyze(chunk[1:]))
            if analysed:
                excluded.append(analysed)
            continue
        for term in analyze(chunk):
            if term in QUERY_FILLERS:
                fillers.append(term)
                continue
            terms.append(term)
            sources.setdefault(term, chunk)
    if not terms and not phrases and fillers:
        # Only fillers ("ليش؟"): better to look for them than to refuse the query.
        terms = fillers
        sources.update({t: t for t in fillers})

    uniq_terms = _unique(terms)
    uniq_phrases = _unique([p for p in phrases if p])
    uniq_excluded = _unique(excluded)
    budget = MAX_TERMS
    uniq_terms = uniq_terms[:budget]
    budget -= len(uniq_terms)
    uniq_phrases = uniq_phrases[: max(budget, 0)]
    budget -= len(uniq_phrases)
    uniq_excluded = uniq_excluded[: max(budget, 0)]
    highlight = frozenset(uniq_terms) | frozenset(t for p in uniq_phrases for t in p)
    return ParsedQuery(
        text=text,
        terms=uniq_terms,
        phrases=uniq_phrases,
        excluded=uniq_excluded,
        truncated=truncated,
        highlight=highlight,
        sources=tuple(sources.get(t, t) for t in uniq_terms),
        fillers=_unique(fillers),
    )
