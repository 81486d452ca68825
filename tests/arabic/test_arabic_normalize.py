"""normalize / strip_invisible: fixed examples plus hypothesis properties."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.arabic import normalize, strip_invisible
from akhbar.arabic.normalize import INVISIBLE_CHARS, TASHKEEL, TATWEEL

# Any code point at all, lone surrogates included, biased towards the Arabic blocks.
ANY_TEXT = st.text(st.characters(codec=None))
ARABIC_HEAVY = st.text(
    st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
        st.characters(min_codepoint=0x2000, max_codepoint=0x206F),
        st.characters(min_codepoint=0x0300, max_codepoint=0x036F),
        st.characters(codec=None),
    )
)
FORBIDDEN = set(TASHKEEL + TATWEEL + INVISIBLE_CHARS)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("آثار", "اثار"),
        ("ٱلرحمن", "الرحمن"),
        ("مستشفى", "مستشفي"),
        ("مدرسة", "مدرسه"),
        ("مؤتمر", "موتمر"),
        ("رئيس", "رييس"),
        ("مُسْتَشارٌ", "مستشار"),
        ("الأمـــن", "الامن"),
        ("سيّارة", "سياره"),
        ("هٰذا", "هذا"),
        ("٢٠٢٤", "2024"),
        ("۱۴۰۳", "1403"),
        ("ﻻ", "لا"),
        ("ﺍﻟﺴﻼﻡ", "السلام"),
        ("\u200fكركوك\u200e", "كركوك"),
        ("ك\u200bر\u200dك\u2066و\u2069ك\ufeff", "كركوك"),
        ("Hello WORLD", "hello world"),
        ("Straße", "strasse"),
        ("ａｂｃ１２", "abc12"),
        ("\ud800abc\udfff", "abc"),
        ("", ""),
    ],
)
def test_normalize_examples(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_strip_invisible_keeps_letters_and_diacritics() -> None:
    assert strip_invisible("\u202eمُحَمَّد\u200b أحمد\x00") == "مُحَمَّد أحمد"
    assert strip_invisible("a\tb\nc") == "a\tb\nc"
    assert strip_invisible("x\ud800y") == "xy"


@settings(max_examples=400)
@given(ANY_TEXT)
def test_normalize_never_raises_and_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert isinstance(once, str)
    assert normalize(once) == once


@settings(max_examples=400)
@given(ARABIC_HEAVY)
def test_normalize_idempotent_on_arabic_heavy_text(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300)
@given(ARABIC_HEAVY)
def test_normalize_output_is_clean(text: str) -> None:
    out = normalize(text)
    assert not FORBIDDEN.intersection(out)
    assert not any("\ud800" <= ch <= "\udfff" for ch in out)
    assert not any(ch in out for ch in "أإآٱىةؤئ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")
    assert unicodedata.is_normalized("NFKC", out)
    out.encode("utf-8")  # must be storable


@settings(max_examples=300)
@given(ANY_TEXT)
def test_strip_invisible_never_raises(text: str) -> None:
    out = strip_invisible(text)
    assert not set(INVISIBLE_CHARS).intersection(out)
    assert "\x00" not in out
    out.encode("utf-8")


def test_letters_without_a_casefold_fixed_point_end_normalized() -> None:
    # Found by hypothesis: U+1FD2 casefolds to a sequence that NFKC composes back.
    for text in ("ῒ", "ΐ", "ῢ", "كلمة ῒ"):
        out = normalize(text)
        assert unicodedata.is_normalized("NFKC", out)
        assert normalize(out) == out
