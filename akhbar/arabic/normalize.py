"""Orthographic normalisation of Arabic (and mixed Latin) text.

Search only works if the indexer and the query parser agree on one spelling of each word.
Arabic news copy mixes hamza-seated alefs, taa marbuta vs haa, alef maqsura vs yaa, optional
diacritics, tatweel padding, presentation forms pasted from PDFs, bidi/zero-width marks
pasted from social media and three digit systems; every one of those is folded here.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["INVISIBLE_CHARS", "TASHKEEL", "TATWEEL", "normalize", "strip_invisible"]

TATWEEL = "\u0640"

#: Harakat, tanween, shadda, sukun, maddah/hamza marks (U+064B–U+065F) and the superscript
#: alef (U+0670), plus the Quranic annotation marks that sometimes leak into quoted verses.
TASHKEEL = (
    "".join(chr(c) for c in range(0x064B, 0x0660))
    + "\u0670"
    + "".join(chr(c) for c in range(0x0610, 0x061B))
    + "".join(chr(c) for c in range(0x06D6, 0x06DD))
    + "".join(chr(c) for c in range(0x06DF, 0x06E9))
    + "".join(chr(c) for c in range(0x06EA, 0x06EE))
)

#: Bidi controls, zero-width characters, word joiner/invisible operators and the soft hyphen.
#: They are invisible on screen, so two strings differing only by them must compare equal.
INVISIBLE_CHARS = (
    "\u200b\u200c\u200d\u200e\u200f"  # ZWSP, ZWNJ, ZWJ, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
    "\u061c"  # Arabic letter mark
    "\ufeff"  # BOM / ZWNBSP
    "\u00ad"  # soft hyphen
)

# C0/C1 control characters except the whitespace ones callers may still want to see.
_CONTROL_CHARS = "".join(
    chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n\r"
)

_SURROGATES_RE = re.compile("[\ud800-\udfff]")

_LETTER_MAP = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",  # alef wasla
    "ى": "ي",
    "ة": "ه",
    "ؤ": "و",
    "ئ": "ي",
    # Persian/Urdu look-alikes that arrive via copy-paste from non-Arabic keyboards.
    "ی": "ي",
    "ک": "ك",
    "ھ": "ه",
    "ۀ": "ه",
}

_FOLD_TABLE: dict[int, int | str | None] = {
    **{ord(c): None for c in TASHKEEL + TATWEEL + INVISIBLE_CHARS + _CONTROL_CHARS},
    **{ord(src): dst for src, dst in _LETTER_MAP.items()},
    **{0x0660 + i: str(i) for i in range(10)},  # Arabic-Indic digits
    **{0x06F0 + i: str(i) for i in range(10)},  # Persian digits
}

_INVISIBLE_TABLE: dict[int, None] = {ord(c): None for c in INVISIBLE_CHARS + _CONTROL_CHARS}


def _drop_surrogates(text: str) -> str:
    """Lone surrogates cannot be encoded to UTF-8, so they would crash the DB driver later."""
    if _SURROGATES_RE.search(text) is None:
        return text
    return _SURROGATES_RE.sub("", text)


def _fold_once(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().translate(_FOLD_TABLE)


def _is_folded(text: str) -> bool:
    # translate() never emits a character it would map again, so NFKC- and casefold-stability
    # are the only things that can still change on another pass.
    return unicodedata.is_normalized("NFKC", text) and text.casefold() == text


def normalize(text: str) -> str:
    """Fold *text* to the single spelling used by the search index.

    NFKC runs first so presentation forms (U+FB50–U+FEFF) become ordinary letters that the
    letter map then folds. Removing marks can expose new canonical compositions and casefold can
    emit non-NFKC sequences, so the fold is repeated until it reaches a fixed point; that is what
    makes ``normalize`` idempotent (verified with hypothesis).
    """
    if not isinstance(text, str):
        text = str(text)
    out = _fold_once(_drop_surrogates(text))
    for _ in range(4):
        if _is_folded(out):
            return out
        out = _fold_once(out)
    # A few non-Arabic letters have no fixed point: "ῒ" (U+1FD2) casefolds to a decomposed
    # sequence that NFKC composes back into "ῒ". Ending on NFKC keeps the output normalized,
    # and normalize() stays idempotent (the next call returns the same composed form).
    return out if _is_folded(out) else unicodedata.normalize("NFKC", out)


def strip_invisible(text: str) -> str:
    """Remove characters a reader cannot see, without touching letters.

    Used on names typed into forms: a hidden RLO or ZWSP lets two visually identical user
    names coexist (impersonation) or reverses the rendering of surrounding text. Tab/newline
    are kept so callers decide how to treat whitespace.
    """
    if not isinstance(text, str):
        text = str(text)
    return _drop_surrogates(text).translate(_INVISIBLE_TABLE)
