"""The abusive-language check holds insults for a moderator and leaves ordinary news talk."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from akhbar.antispam.checks import AbusiveLanguage, Submission, Verdict, load_abusive_lexicon

CHECK = AbusiveLanguage(*load_abusive_lexicon())


def verdict(body: str) -> Verdict:
    s = Submission(
        1, "قارئ", "r@example.org", "", body, None, "", "", "", None, "", datetime.now(UTC)
    )
    return CHECK.run(s).verdict


@pytest.mark.parametrize(
    "body",
    [
        "أنت حقير ومنافق",
        "الحُقَراء لا يستحقون الرد",
        "يا حمار افهم الخبر",
        "ياغبي",
        "كاتب غبي وجاهل",
        "you idiot",
        "what a bastard",
    ],
)
def test_insults_are_held(body):
    assert verdict(body) == Verdict.HOLD


@pytest.mark.parametrize(
    "body",
    [
        "مقال ممتاز، شكراً للكاتب",
        "الكلب الضال في الحي أزعج السكان",
        "تقرير عن الخنازير البرية في الغابة",
        "This decision looks stupid to me",
        "",
    ],
)
def test_ordinary_comments_pass(body):
    assert verdict(body) == Verdict.HAM
