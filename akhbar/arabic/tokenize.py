"""Script-aware word tokenizer that keeps offsets into the original text.

SQLite's unicode61 tokenizer treats tashkeel and tatweel as separators, so "مُسْتَشار" turns into
single-letter fragments. Here diacritics, tatweel and invisible marks *continue* a word, and
tokens are split where the script changes (Arabic letters / other letters / digits), so
"٢٠٢٤م" gives a number and a word. Offsets point into the caller's original string so search
snippets can highlight the words exactly as published, diacritics included.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from akhbar.arabic.normalize import INVISIBLE_CHARS, TASHKEEL, TATWEEL

__all__ = ["ARABIC_LETTERS", "WORD_RE", "Token", "tokenize"]

#: Arabic-script letters, including Persian/Urdu extensions and presentation forms.
#: U+FDFC (rial sign) and U+FDFD (bismillah ornament) are symbols, not words.
ARABIC_LETTERS = (
    "\u0621-\u063a\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc"
)
_ARABIC_BLOCKS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"

# Characters that never start a word but may sit inside one of any script: diacritics,
# tatweel, generic combining marks and invisible formatting characters. Keeping the same set
# for every script means tokenising the original text and tokenising its normalised form
# find the same word boundaries.
_CONTINUE = re.escape(TASHKEEL + TATWEEL + INVISIBLE_CHARS) + "\u0300-\u036f"

WORD_RE = re.compile(
    rf"[{ARABIC_LETTERS}][{ARABIC_LETTERS}{_CONTINUE}]*"  # Arabic word
    rf"|\d[\d{_CONTINUE}]*"  # number in any decimal digit system
    rf"|[^\W\d_{_ARABIC_BLOCKS}](?:[^\W\d_{_ARABIC_BLOCKS}]|[{_CONTINUE}])*"  # other letters
)


class Token(NamedTuple):
    """A word as it appears in the original text; ``text == original[start:end]``."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split *text* into word/number tokens with offsets into *text* itself."""
    if not isinstance(text, str):
        return []
    return [Token(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(text)]
