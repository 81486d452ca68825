"""Arabic numbers in the interface: one numeral system, and nouns that agree with their count.

Arabic counted nouns change form with the number (العدد والمعدود):

====================  ==========================  =================================
count                 form                        example (تعليق / دقيقة)
====================  ==========================  =================================
0                     a "none" phrase             لا تعليقات / أقل من دقيقة
1                     singular + واحد/واحدة       تعليق واحد / دقيقة واحدة
2                     dual                        تعليقان (تعليقين after a preposition)
3–10                  plural, genitive            5 تعليقات / 5 دقائق
11–99                 singular, accusative        11 تعليقًا / 25 دقيقة
100, 1000, 2000 …     singular, genitive          100 تعليق / 1000 دقيقة
101, 102 …            singular, genitive          101 تعليق
103–110 …             plural (last two digits)    105 تعليقات
111–199 …             singular, accusative        150 تعليقًا
====================  ==========================  =================================

For numbers above 100 the last two digits decide, as news style writes them in digits
("1005 تعليقات", "1250 تعليقًا", "2000 تعليق"). No library does this for Arabic (Babel's
plural rules give CLDR categories, not the Arabic words or the tanween), so it is written here
once, for every app: templates use the ``count`` filter, Python code calls ``count_phrase``.

The numeral system (Western 0–9, the default, or Arabic-Indic ٠–٩) is a site setting that
applies to what the interface writes (dates, times, counts, reading time, pages, Hijri dates),
never to editors' text. This package depends on Django only, so the site app registers where
the setting lives with :func:`set_numeral_provider`; without it, ``AKHBAR["NUMERALS"]``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

WESTERN = "western"
ARABIC_INDIC = "arabic-indic"
NUMERAL_SYSTEMS = (WESTERN, ARABIC_INDIC)

_TO_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_TO_WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

Case = Literal["nominative", "accusative", "genitive"]


@dataclass(frozen=True, slots=True)
class Noun:
    """The forms one counted noun takes; ``many`` is the accusative singular of 11–99."""

    one: str  # "تعليق واحد"
    two: str  # "تعليقان" (nominative dual)
    two_oblique: str  # "تعليقين" (accusative/genitive dual: "عُثر على نتيجتين")
    few: str  # 3–10: "تعليقات"
    many: str  # 11–99: "تعليقًا"
    hundred: str  # 100, 1000, 101, 102 …: "تعليق"
    zero: str  # "لا تعليقات"


NOUNS: dict[str, Noun] = {
    "comment": Noun("تعليق واحد", "تعليقان", "تعليقين", "تعليقات", "تعليقًا", "تعليق", "لا تعليقات"),
    "reply": Noun("ردّ واحد", "ردّان", "ردّين", "ردود", "ردًّا", "ردّ", "لا ردود"),
    "result": Noun("نتيجة واحدة", "نتيجتان", "نتيجتين", "نتائج", "نتيجة", "نتيجة", "لا نتائج"),
    "minute": Noun("دقيقة واحدة", "دقيقتان", "دقيقتين", "دقائق", "دقيقة", "دقيقة", "أقل من دقيقة"),
    "hour": Noun("ساعة واحدة", "ساعتان", "ساعتين", "ساعات", "ساعة", "ساعة", "أقل من ساعة"),
    "day": Noun("يوم واحد", "يومان", "يومين", "أيام", "يومًا", "يوم", "أقل من يوم"),
    "article": Noun("مقال واحد", "مقالان", "مقالين", "مقالات", "مقالًا", "مقال", "لا مقالات"),
    "story": Noun("خبر واحد", "خبران", "خبرين", "أخبار", "خبرًا", "خبر", "لا أخبار"),
    "subscriber": Noun(
        "مشترك واحد", "مشتركان", "مشتركين", "مشتركين", "مشتركًا", "مشترك", "لا مشتركين"
    ),
    "reader": Noun("قارئ واحد", "قارئان", "قارئين", "قرّاء", "قارئًا", "قارئ", "لا قرّاء"),
    "read": Noun("قراءة واحدة", "قراءتان", "قراءتين", "قراءات", "قراءة", "قراءة", "لا قراءات"),
    "page": Noun("صفحة واحدة", "صفحتان", "صفحتين", "صفحات", "صفحة", "صفحة", "لا صفحات"),
    "character": Noun("حرف واحد", "حرفان", "حرفين", "أحرف", "حرفًا", "حرف", "لا أحرف"),
    "word": Noun("كلمة واحدة", "كلمتان", "كلمتين", "كلمات", "كلمة", "كلمة", "لا كلمات"),
}


_provider: Callable[[], str] | None = None


def set_numeral_provider(provider: Callable[[], str] | None) -> None:
    """Tell this module where the site's numeral setting lives (called by the site app)."""
    global _provider
    _provider = provider


def numeral_system() -> str:
    """The interface's numeral system: ``"western"`` (default) or ``"arabic-indic"``."""
    if _provider is not None:
        from django.db import DatabaseError

        try:
            value = _provider()
        except DatabaseError:  # before migrate (or a database outage) pages still render
            value = WESTERN
    else:
        from akhbar.core.conf import akhbar_settings

        value = akhbar_settings.numerals
    return value if value in NUMERAL_SYSTEMS else WESTERN


def localize_digits(text: object, system: str | None = None) -> str:
    """``text`` with its digits in the numeral system (for interface strings only)."""
    value = str(text)
    if (system or numeral_system()) == ARABIC_INDIC:
        return value.translate(_TO_ARABIC_INDIC)
    return value.translate(_TO_WESTERN)


def count_phrase(
    n: int,
    noun: str,
    *,
    case: Case = "nominative",
    system: str | None = None,
) -> str:
    """``n`` ``noun`` in correct Arabic, digits in the site's numeral system.

    ``noun`` is a key of :data:`NOUNS` ("comment", "result", "minute", "article",
    "subscriber", …); ``case`` only changes the dual ("عُثر على نتيجتين"). Raises KeyError for
    an unknown noun (a typo in a template should fail loudly in tests, not read oddly).
    """
    forms = NOUNS[noun]
    n = int(n)
    if n < 0:
        raise ValueError("count_phrase counts things: n must be >= 0")
    if n == 0:
        return forms.zero
    if n == 1:
        return forms.one
    if n == 2:
        return forms.two if case == "nominative" else forms.two_oblique
    tail = n % 100
    if 3 <= tail <= 10:
        word = forms.few
    elif 11 <= tail <= 99:
        word = forms.many
    else:  # 100, 101, 102, 1000 …
        word = forms.hundred
    return f"{localize_digits(n, system)} {word}"


def number(n: object, system: str | None = None) -> str:
    """A bare number for the interface (page numbers, counters), in the numeral system."""
    return localize_digits(n, system)
