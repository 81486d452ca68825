"""Arabic count grammar and the interface's numeral system (akhbar.core.text)."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from akhbar.core import text
from akhbar.core.text import NOUNS, count_phrase, localize_digits

# The forms a reader must see, written out by hand for every noun the interface counts:
# (1, 2, 3–10, 11–99, 100/101/102…, 0).
EXPECTED = {
    "comment": ("تعليق واحد", "تعليقان", "تعليقات", "تعليقًا", "تعليق", "لا تعليقات"),
    "result": ("نتيجة واحدة", "نتيجتان", "نتائج", "نتيجة", "نتيجة", "لا نتائج"),
    "minute": ("دقيقة واحدة", "دقيقتان", "دقائق", "دقيقة", "دقيقة", "أقل من دقيقة"),
    "article": ("مقال واحد", "مقالان", "مقالات", "مقالًا", "مقال", "لا مقالات"),
    "subscriber": ("مشترك واحد", "مشتركان", "مشتركين", "مشتركًا", "مشترك", "لا مشتركين"),
}


def _expected(n: int, noun: str) -> str:
    """An independent statement of the rule, by the written form of the number's last digits."""
    one, two, few, many, hundred, zero = EXPECTED[noun]
    if n == 0:
        return zero
    if n == 1:
        return one
    if n == 2:
        return two
    last_two = int(str(n)[-2:])
    if last_two in range(3, 11):
        return f"{n} {few}"
    if last_two in range(11, 100):
        return f"{n} {many}"
    return f"{n} {hundred}"


@pytest.mark.parametrize("noun", sorted(EXPECTED))
def test_every_count_from_0_to_1000(noun):
    for n in range(0, 1001):
        assert count_phrase(n, noun, system="western") == _expected(n, noun), n


@pytest.mark.parametrize(
    ("n", "noun", "phrase"),
    [
        (1, "comment", "تعليق واحد"),
        (2, "comment", "تعليقان"),
        (3, "comment", "3 تعليقات"),
        (4, "comment", "4 تعليقات"),
        (10, "comment", "10 تعليقات"),
        (11, "comment", "11 تعليقًا"),
        (99, "comment", "99 تعليقًا"),
        (100, "comment", "100 تعليق"),
        (101, "comment", "101 تعليق"),
        (103, "comment", "103 تعليقات"),
        (111, "comment", "111 تعليقًا"),
        (1000, "comment", "1000 تعليق"),
        (1005, "comment", "1005 تعليقات"),
        (2000, "article", "2000 مقال"),
        (12, "minute", "12 دقيقة"),
        (5, "subscriber", "5 مشتركين"),
        (25000, "subscriber", "25000 مشترك"),
    ],
)
def test_known_phrases(n, noun, phrase):
    assert count_phrase(n, noun, system="western") == phrase


def test_dual_after_a_preposition():
    assert count_phrase(2, "result", case="genitive") == "نتيجتين"
    assert count_phrase(2, "result") == "نتيجتان"


def test_every_noun_has_every_form():
    for name, noun in NOUNS.items():
        assert all(noun.__getattribute__(f) for f in noun.__slots__), name
        assert count_phrase(0, name) and count_phrase(1, name) and count_phrase(2, name)


def test_unknown_noun_and_negative_count_fail_loudly():
    with pytest.raises(KeyError):
        count_phrase(3, "comments")
    with pytest.raises(ValueError):
        count_phrase(-1, "comment")


def test_arabic_indic_digits():
    assert count_phrase(12, "minute", system="arabic-indic") == "١٢ دقيقة"
    assert localize_digits("30 نوفمبر 2026", "arabic-indic") == "٣٠ نوفمبر ٢٠٢٦"
    assert localize_digits("٣٠ نوفمبر ٢٠٢٦", "western") == "30 نوفمبر 2026"


@pytest.mark.django_db
def test_the_site_setting_decides_and_the_filters_follow():
    from akhbar.site.models import SiteSettings

    assert text.numeral_system() == "western"
    tpl = Template('{% load akhbar_text %}{{ n|count:"comment" }} | {{ d|numerals }}')
    assert tpl.render(Context({"n": 4, "d": "1 ديسمبر 2026"})) == "4 تعليقات | 1 ديسمبر 2026"
    s = SiteSettings.current()
    s.numerals = "arabic-indic"
    s.save()
    assert text.numeral_system() == "arabic-indic"
    assert tpl.render(Context({"n": 4, "d": "1 ديسمبر 2026"})) == "٤ تعليقات | ١ ديسمبر ٢٠٢٦"
    assert (
        Template('{% load akhbar_text %}{{ n|count:"result:genitive" }}').render(Context({"n": 2}))
        == "نتيجتين"
    )
