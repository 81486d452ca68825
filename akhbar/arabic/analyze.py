"""The single text → terms pipeline shared by indexing, querying, related articles and spam.

Indexing and querying must produce identical terms for identical words, so there is exactly
one pipeline: normalise → tokenize → drop stop words → stem.
"""

from __future__ import annotations

from functools import lru_cache

from akhbar.arabic.normalize import normalize
from akhbar.arabic.stem import stem
from akhbar.arabic.stopwords import STOP_WORDS
from akhbar.arabic.tokenize import WORD_RE, Token, tokenize

__all__ = ["analyze", "analyze_with_offsets"]


def analyze(text: str) -> list[str]:
    """Return the search terms of *text* in order, duplicates kept so callers can count them.

    The whole text is normalised in one C-level pass and then tokenised, which is several
    times faster than normalising token by token; ``analyze_with_offsets`` gives the same
    terms for ordinary text.
    """
    if not isinstance(text, str):
        return []
    stop = STOP_WORDS
    return [stem(word) for word in WORD_RE.findall(normalize(text)) if word not in stop]


@lru_cache(maxsize=131_072)
def _terms_of_token(token_text: str) -> tuple[str, ...]:
    # One original token may normalise to several words (e.g. the ligature "ﷺ") or to none.
    return tuple(
        stem(word) for word in WORD_RE.findall(normalize(token_text)) if word not in STOP_WORDS
    )


def analyze_with_offsets(text: str) -> list[tuple[str, Token]]:
    """Like :func:`analyze` but pair every term with the original token it came from.

    Used to highlight matched words in snippets exactly as written (with diacritics).
    """
    return [(term, token) for token in tokenize(text) for term in _terms_of_token(token.text)]
