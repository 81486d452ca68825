"""tokenize: script-aware boundaries and offsets into the original text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.arabic import Token, tokenize

ANY_TEXT = st.text(st.characters(codec=None))
MIXED = st.text(st.sampled_from(list("كتبالمُسْتَشارـ ٢٠24abcÉ\u0301\u200f\u200b.،؟ ")))


def test_diacritics_and_tatweel_stay_inside_words() -> None:
    text = "قالَ المُسْتَشارُ إنَّ الأمـــن مستتب"
    assert [t.text for t in tokenize(text)] == ["قالَ", "المُسْتَشارُ", "إنَّ", "الأمـــن", "مستتب"]


def test_offsets_point_into_original() -> None:
    text = "«المُسْتَشار» قال: iPhone 15"
    tokens = tokenize(text)
    assert tokens[0] == Token("المُسْتَشار", 1, 12)
    assert [t.text for t in tokens] == ["المُسْتَشار", "قال", "iPhone", "15"]
    for token in tokens:
        assert text[token.start : token.end] == token.text


def test_script_changes_split_tokens() -> None:
    assert [t.text for t in tokenize("عام ٢٠٢٤م و2023")] == ["عام", "٢٠٢٤", "م", "و", "2023"]
    assert [t.text for t in tokenize("شركةApple")] == ["شركة", "Apple"]


def test_punctuation_and_underscores_separate() -> None:
    assert [t.text for t in tokenize("أ،ب؛ج؟ a_b")] == ["أ", "ب", "ج", "a", "b"]


def test_non_str_input_gives_no_tokens() -> None:
    assert tokenize(None) == []  # type: ignore[arg-type]


@settings(max_examples=400)
@given(ANY_TEXT)
def test_tokenize_never_raises_and_offsets_slice(text: str) -> None:
    previous_end = 0
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text
        assert token.text
        assert token.start >= previous_end
        previous_end = token.end


@settings(max_examples=300)
@given(MIXED)
def test_offsets_on_arabic_mixed_text(text: str) -> None:
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text
