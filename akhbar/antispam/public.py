"""The antispam app's public interface: the checks a submission goes through, and learning.

Other apps import this module and ``akhbar.antispam.models``, never the app's other modules
(docs/architecture.md, "Apps"; import-linter checks it). Comments hands its facts over as a
``Submission`` and reports moderators' decisions with ``teach`` / ``report_to_akismet``; the
demo runs the content checks on its sample comments.
"""

from __future__ import annotations

from akhbar.antispam.checks import (
    AbusiveLanguage,
    LocalClassifier,
    PipelineResult,
    Submission,
    TooManyLinks,
    Verdict,
    load_abusive_lexicon,
    run_checks,
)
from akhbar.antispam.services import register_lessons, report_to_akismet, teach

__all__ = [
    "AbusiveLanguage",
    "LocalClassifier",
    "PipelineResult",
    "Submission",
    "TooManyLinks",
    "Verdict",
    "load_abusive_lexicon",
    "register_lessons",
    "report_to_akismet",
    "run_checks",
    "teach",
]
