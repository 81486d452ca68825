"""Look-alike names fold to one skeleton (impersonation checks)."""

from __future__ import annotations

import pytest

from akhbar.arabic.confusables import skeleton


@pytest.mark.parametrize(
    "variant",
    [
        "فریق التحریر",
        "فَرِيقُ الـتـحـريـر",
        "ف\u200dريق\u202e التحرير",
        "ﻓﺮﻳﻖ اﻟﺘﺤﺮﻳﺮ",
        "فريق-التحرير",
    ],
)
def test_arabic_variants_fold_together(variant):
    assert skeleton(variant) == skeleton("فريق التحرير")


@pytest.mark.parametrize("variant", ["Аdmіn", "ADMIN", "adm1n", "a.d.m.i.n", "ａｄｍｉｎ"])
def test_latin_homoglyphs_fold_together(variant):
    assert skeleton(variant) == skeleton("admin")


def test_different_names_stay_different():
    assert skeleton("سلمى") != skeleton("سلمان")
    assert skeleton("فريق الكرة") != skeleton("فريق التحرير")
