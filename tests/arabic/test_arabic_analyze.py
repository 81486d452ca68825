"""analyze: word pairs that must / must not meet, stop words, Latin, digits, robustness."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.arabic import STOP_WORDS, analyze, analyze_with_offsets, is_stop_word, stem

MUST_MEET: list[tuple[str, str]] = [
    # Required by the brief.
    ("القوات", "قوات"),
    ("والمدفعية", "المدفعية"),
    ("الإرهابيين", "إرهابي"),
    ("مُسْتَشار", "مستشار"),
    ("كركوك", "لكركوك"),
    ("بالطيران", "الطيران"),
    ("للتحالف", "التحالف"),
    ("والقوات", "القوات"),
    # Alef variants, alef maqsura, taa marbuta, hamza seats.
    ("أحمد", "احمد"),
    ("إسلام", "اسلام"),
    ("آثار", "اثار"),
    ("ٱلرحمن", "الرحمن"),
    ("مستشفى", "مستشفي"),
    ("مصطفى", "مصطفي"),
    ("مدرسة", "مدرسه"),
    ("الحكومة", "الحكومه"),
    ("مؤتمر", "موتمر"),
    ("رئيس", "رييس"),
    # Tatweel, diacritics, invisible marks, presentation forms.
    ("الأمـــن", "الأمن"),
    ("الـــقـــدس", "القدس"),
    ("سَلامٌ", "سلام"),
    ("المَدْرَسَةُ", "المدرسة"),
    ("سيّارة", "سيارة"),
    ("ك\u200cر\u200fكوك", "كركوك"),
    ("ﺍﻟﺴﻼﻡ", "السلام"),
    # Proclitics: و ف ب ك ل ال وال بال فال كال لل (and stacked forms).
    ("ومستشار", "مستشار"),
    ("فمستشار", "مستشار"),
    ("بمستشار", "مستشار"),
    ("كمستشار", "مستشار"),
    ("لمستشار", "مستشار"),
    ("المستشار", "مستشار"),
    ("والمستشار", "مستشار"),
    ("بالمستشار", "مستشار"),
    ("فالمستشار", "مستشار"),
    ("كالمستشار", "مستشار"),
    ("للمستشار", "مستشار"),
    ("وبالمستشار", "مستشار"),
    ("وللمستشار", "مستشار"),
    ("والجيش", "جيش"),
    ("بالجيش", "الجيش"),
    ("ووزير", "وزير"),
    ("والوزير", "الوزير"),
    ("وبغداد", "بغداد"),
    ("لبغداد", "بغداد"),
    ("كالبحر", "البحر"),
    ("فالمجلس", "مجلس"),
    # Suffixes: ها هم هما كم نا ات ون ين ان ية ه.
    ("كتابها", "كتاب"),
    ("كتابهم", "كتاب"),
    ("كتابهما", "كتاب"),
    ("كتابكم", "كتاب"),
    ("كتابنا", "كتاب"),
    ("كتابه", "كتاب"),
    ("بيتها", "بيت"),
    ("قواتها", "قوات"),
    ("انتخابات", "انتخاب"),
    ("الحكومات", "حكومة"),
    ("المعلمون", "معلم"),
    ("المعلمين", "معلم"),
    ("مسؤولون", "مسؤولين"),
    ("اللاعبين", "لاعب"),
    ("المصرية", "مصري"),
    ("مصريين", "المصري"),
    ("الدولية", "دولي"),
    ("العراقيين", "العراقي"),
    ("والفلسطينية", "فلسطيني"),
    ("الإرهابيون", "إرهابي"),
    ("مدفعية", "المدفعية"),
    ("دولتين", "دولة"),
    ("الطيران", "طيران"),
    ("جامعات", "الجامعة"),
    ("شركات", "شركة"),
    ("الجامعتين", "جامعة"),
]

MUST_NOT_MEET: list[tuple[str, str]] = [
    ("مدرسة", "مدير"),
    ("قلم", "قمر"),
    ("بحر", "حر"),
    ("بيت", "يت"),
    ("وطن", "طن"),
    ("وزير", "زير"),
    ("كبير", "بئر"),
    ("جيش", "جيب"),
    ("سلام", "سلاح"),
    ("حرب", "حزب"),
    ("علم", "عمل"),
    ("مصر", "مصير"),
    ("سفير", "سفر"),
    ("طالبان", "طالب"),
    ("محكمة", "حكم"),
    ("امن", "امين"),
    ("شمال", "جنوب"),
]


def _single(text: str) -> str:
    terms = analyze(text)
    assert len(terms) == 1, (text, terms)
    return terms[0]


def test_tables_are_big_enough() -> None:
    assert len(MUST_MEET) >= 60


@pytest.mark.parametrize(("a", "b"), MUST_MEET)
def test_pairs_meet(a: str, b: str) -> None:
    assert _single(a) == _single(b)


@pytest.mark.parametrize(("a", "b"), MUST_NOT_MEET)
def test_pairs_stay_apart(a: str, b: str) -> None:
    assert _single(a) != _single(b)


def test_allah_is_not_stripped() -> None:
    assert _single("الله") == _single("والله") == _single("بالله") == "الله"


@pytest.mark.parametrize(
    "word", ["في", "من", "على", "إلى", "عن", "أن", "إنّ", "التي", "الذي", "هذا", "هذه", "ذلك", "كان"]
)
def test_arabic_stop_words_dropped(word: str) -> None:
    assert is_stop_word(word)
    assert analyze(word) == []


def test_stop_words_are_normalised_and_sized() -> None:
    assert "الي" in STOP_WORDS  # إلى, normalised
    assert "إلى" not in STOP_WORDS
    assert 150 <= len(STOP_WORDS) <= 600
    assert not is_stop_word("حكومة")
    assert not is_stop_word(None)  # type: ignore[arg-type]


def test_english_stop_words_and_latin_words() -> None:
    assert analyze("The Minister AND the Army") == ["minister", "army"]
    assert analyze("iPhone IPHONE") == ["iphone", "iphone"]


def test_digits_fold_to_ascii() -> None:
    assert analyze("٢٠٢٤") == ["2024"]
    assert analyze("۱۴۰۳") == ["1403"]
    assert analyze("عام ٢٠٢٤م") == analyze("عام 2024م")


def test_order_and_duplicates_kept() -> None:
    assert analyze("قوات القوات وقوات في الجيش") == ["قوات", "قوات", "قوات", "جيش"]


def test_stem_passes_non_arabic_through() -> None:
    assert stem("2024") == "2024"
    assert stem("iphone") == "iphone"
    assert stem("") == ""


NEWS = [
    "قالَ المُسْتَشارُ إنَّ القواتِ العراقيةَ استعادت السيطرة على كركوك، وأكد أن الطيران "
    "شارك في العملية إلى جانب المدفعية.",
    "The Minister said ٢٠٢٤ will see الانتخابات البرلمانية ﷺ ﻻ الأمـــن \u200fكركوك\u200f.",
    "ووزير الخارجية للتحالف الدولي: والقوات بالطيران، فالمجلس كالبحر!",
]


@pytest.mark.parametrize("text", NEWS)
def test_offsets_variant_agrees_with_analyze(text: str) -> None:
    pairs = analyze_with_offsets(text)
    assert [term for term, _ in pairs] == analyze(text)
    for _, token in pairs:
        assert text[token.start : token.end] == token.text


def test_offsets_keep_original_spelling_for_highlighting() -> None:
    pairs = analyze_with_offsets("قالَ المُسْتَشارُ")
    assert pairs == [("مستشار", pairs[0][1])]
    assert pairs[0][1].text == "المُسْتَشارُ"


ARABIC_ALPHABET = st.text(
    st.sampled_from(
        list("ابتثجحخدذرزسشصضطظعغفقكلمنهويأإآىةؤئ") + list("ًٌٍَُِّْـ ،.٠١٢abcXYZ09") + ["\u200f"]
    ),
    max_size=60,
)


@settings(max_examples=300)
@given(ARABIC_ALPHABET)
def test_offsets_variant_agrees_on_arabic_like_text(text: str) -> None:
    assert [term for term, _ in analyze_with_offsets(text)] == analyze(text)


@settings(max_examples=400)
@given(st.text(st.characters(codec=None)))
def test_analyze_never_raises(text: str) -> None:
    terms = analyze(text)
    assert all(isinstance(t, str) and t for t in terms)
    for _, token in analyze_with_offsets(text):
        assert text[token.start : token.end] == token.text


def test_non_str_input() -> None:
    assert analyze(None) == []  # type: ignore[arg-type]
    assert analyze_with_offsets(None) == []  # type: ignore[arg-type]


def test_package_does_not_import_django() -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = "import sys, akhbar.arabic; print('django' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert out.stdout.strip() == "False"
