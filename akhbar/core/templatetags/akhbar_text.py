"""Template filters for Arabic counts and the interface's numeral system.

Registered in settings.TEMPLATES as the ``akhbar_text`` library (akhbar.core is not an app),
so any app's template may ``{% load akhbar_text %}``::

    {{ article.approved_comment_count|count:"comment" }}   → «3 تعليقات», «11 تعليقًا»
    {{ page_obj.number|numerals }}                         → «12» or «١٢» per the site setting
"""

from __future__ import annotations

from django import template

from akhbar.core.text import count_phrase, localize_digits

register = template.Library()


@register.filter(name="count")
def count_filter(value: object, noun: str) -> str:
    """``{{ n|count:"comment" }}``; ``{{ n|count:"result:genitive" }}`` for the oblique dual."""
    name, _, case = noun.partition(":")
    try:
        n = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        n = 0
    return count_phrase(max(n, 0), name, case=case or "nominative")  # type: ignore[arg-type]


@register.filter(name="numerals")
def numerals_filter(value: object) -> str:
    """Digits of an interface string (a date, a time, a page number) in the site's system."""
    if value is None or value == "":
        return ""
    return localize_digits(value)
