"""Fold look-alike spellings of a name to one "skeleton", to catch impersonation.

Two names that *look* the same to a reader must compare equal: «فريق التحرير» written with
Persian ی/ک, with tashkeel or tatweel, with a zero-width joiner, with presentation forms, or
a Latin staff name with Cyrillic «а»/«о». :func:`akhbar.arabic.normalize` already folds the
Arabic orthography (and NFKC the presentation forms); this adds the cross-script homoglyphs
readers cannot tell apart and drops spacing and punctuation.

Why a table here instead of a package: the PyPI confusables packages implement UTS #39 for
Latin/Cyrillic/Greek and only *detect* mixed scripts; none folds Arabic-script variants such
as Urdu heh goal or Kurdish/Sindhi letter forms to the Arabic letter a reader sees, which is
the case that matters for an Arabic newsroom. The table is small and covered by tests.
"""

from __future__ import annotations

import unicodedata

from akhbar.arabic.normalize import normalize

__all__ = ["skeleton"]

_ARABIC = {
    # Arabic-script letters from other languages that render like Arabic ones.
    "ہ": "ه", "ە": "ه", "ۃ": "ه", "ﮦ": "ه", "ۂ": "ه",
    "ے": "ي", "ې": "ي", "ۍ": "ي", "ێ": "ي", "ى": "ي", "ٸ": "ي", "ࢨ": "ي",
    "ڪ": "ك", "ګ": "ك", "ڬ": "ك", "ڭ": "ك", "ڮ": "ك",
    "ٲ": "ا", "ٳ": "ا", "ٵ": "ا", "ڵ": "ل", "ڶ": "ل", "ڷ": "ل",
    "ڕ": "ر", "ڒ": "ر", "ړ": "ر", "ڔ": "ر", "ږ": "ر", "ۅ": "و", "ۆ": "و", "ۇ": "و",
    "ۈ": "و", "ۉ": "و", "ۋ": "و", "ٶ": "و", "ٷ": "و",
    "ڊ": "د", "ڍ": "د", "ډ": "د", "ڈ": "د", "ټ": "ت", "ٹ": "ت", "ٺ": "ت", "ڀ": "ب",
    "ٻ": "ب", "ڤ": "ف", "ڡ": "ف", "ڢ": "ف", "ڣ": "ف", "ڨ": "ق", "ٯ": "ق",
    "ڃ": "ج", "ڄ": "ج", "چ": "ج", "ڇ": "ج", "ڿ": "ج", "ڱ": "ك", "ڳ": "ك", "گ": "ك",
    "ژ": "ز", "ڙ": "ز", "ښ": "س", "ڛ": "س", "ڜ": "ش", "ۺ": "ش", "ڞ": "ص", "ڟ": "ط",
    "ڼ": "ن", "ڹ": "ن", "ڻ": "ن", "ڽ": "ن", "ں": "ن", "پ": "ب",
}  # fmt: skip
_LATIN = {
    # Cyrillic and Greek letters that look like Latin ones (UTS #39 "confusables").
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "ɡ": "g", "ɑ": "a", "ı": "i", "α": "a", "β": "b", "ε": "e", "η": "n",
    "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
    # Digits and signs used as letters; l and 1 pass for i (and I, after casefolding).
    "0": "o", "1": "i", "l": "i", "|": "i", "!": "i", "3": "e", "4": "a", "5": "s", "7": "t",
    "8": "b", "$": "s", "@": "a",
}  # fmt: skip
_TABLE = str.maketrans({**_ARABIC, **_LATIN})


def skeleton(text: str) -> str:
    """The look-alike-insensitive form of a name: normalised, homoglyphs folded, and only
    letters kept (spaces, dots and dashes do not make a different name)."""
    folded = normalize(text).translate(_TABLE)
    # Marks left over by decomposed Latin letters («é») and anything that is not a letter.
    folded = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] == "L")
