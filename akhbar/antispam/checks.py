"""The spam checks a comment goes through, each a small class with a name and a verdict.

Every check says why (``reason``, in Arabic, shown to moderators), so a held or rejected
comment is never a mystery. Verdicts are ordered by severity; the pipeline's verdict is the
most severe one it met. ``REJECT`` is for cases where the reader must act (wait, don't repost):
nothing is stored and the form comes back with their text.
"""

from __future__ import annotations

import enum
import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from akhbar.arabic import normalize
from akhbar.core import counters
from akhbar.core.conf import akhbar_settings

log = logging.getLogger(__name__)


class Verdict(enum.IntEnum):
    HAM = 0
    HOLD = 1
    SPAM = 2
    REJECT = 3


@dataclass(frozen=True)
class Submission:
    """A comment as submitted, with the context the checks may use.

    The facts about earlier comments are given by the caller (the comments app, which owns
    them), so the checks read no other app's tables: antispam depends on no other Akhbar app.
    """

    article_id: int
    name: str
    email: str
    url: str
    body: str
    ip: str | None
    user_agent: str
    referrer: str
    permalink: str
    rendered_at: datetime | None  # from the signed form timestamp; None if absent or forged
    honeypot: str
    now: datetime
    is_reply: bool = False
    #: Bodies of this email's latest comments on the same article (for :class:`Duplicate`).
    previous_bodies: tuple[str, ...] = ()
    #: Whether a moderator ever approved a comment from this email (:class:`FirstTimeCommenter`).
    approved_before: bool = False


@dataclass(frozen=True)
class CheckResult:
    check: str
    verdict: Verdict
    reason: str = ""
    reader_message: str = ""  # shown to the reader for REJECT


@dataclass
class PipelineResult:
    verdict: Verdict = Verdict.HAM
    results: list[CheckResult] = field(default_factory=list)
    spam_probability: float | None = None
    akismet_discard: bool = False

    def add(self, result: CheckResult) -> None:
        self.results.append(result)
        self.verdict = max(self.verdict, result.verdict)

    @property
    def reasons(self) -> list[dict[str, str]]:
        """What moderators see: every check that did not pass."""
        return [
            {"check": r.check, "verdict": r.verdict.name.lower(), "reason": r.reason}
            for r in self.results
            if r.verdict != Verdict.HAM
        ]

    @property
    def reader_message(self) -> str:
        return next((r.reader_message for r in self.results if r.verdict == Verdict.REJECT), "")


class Check:
    name = "check"

    def run(self, s: Submission) -> CheckResult:
        raise NotImplementedError

    def ok(self) -> CheckResult:
        return CheckResult(self.name, Verdict.HAM)


class Honeypot(Check):
    """A field hidden from people; bots that fill every input give themselves away."""

    name = "honeypot"

    def run(self, s: Submission) -> CheckResult:
        if s.honeypot.strip():
            return CheckResult(self.name, Verdict.SPAM, "تمت تعبئة الحقل المخفي (سلوك برنامج آلي)")
        return self.ok()


class MinimumTime(Check):
    """People need a few seconds to write; scripts post instantly.

    The render time comes from a signed timestamp fetched by the page (not baked into cached
    HTML), so the check works behind a page cache. A missing timestamp means the reader had
    no JavaScript and confirmed on an uncached page: hold, don't discard.
    """

    name = "min_time"

    def __init__(self, min_seconds: int) -> None:
        self.min_seconds = min_seconds

    def run(self, s: Submission) -> CheckResult:
        if s.rendered_at is None:
            return CheckResult(self.name, Verdict.HOLD, "لا يوجد توقيت موقّع لعرض النموذج")
        elapsed = (s.now - s.rendered_at).total_seconds()
        if elapsed < self.min_seconds:
            return CheckResult(
                self.name, Verdict.SPAM, f"أُرسل بعد {elapsed:.1f} ثانية فقط من عرض النموذج"
            )
        return self.ok()


class RateLimit(Check):
    """At most N comments per IP and per email in a window, counted atomically in Redis or
    the database (akhbar.core.counters) so the limit holds across all app servers."""

    name = "rate_limit"

    def __init__(self, limit: int, window_seconds: int) -> None:
        self.limit = limit
        self.window = window_seconds

    def _hit(self, key: str) -> int:
        # Atomic on every configuration (the file cache's incr() is read-then-write, so
        # concurrent posts used to slip past the limit): see akhbar.core.counters.
        return counters.incr(key, ttl=self.window)

    def run(self, s: Submission) -> CheckResult:
        keys = [f"akhbar:rl:email:{normalize(s.email)}"]
        if s.ip:
            keys.append(f"akhbar:rl:ip:{s.ip}")
        counts = [self._hit(k) for k in keys]
        if max(counts) > self.limit:
            return CheckResult(
                self.name,
                Verdict.REJECT,
                f"أكثر من {self.limit} تعليقات خلال {self.window // 60} دقائق",
                "أرسلت تعليقات كثيرة في وقت قصير. "
                "انتظر بضع دقائق ثم أعد المحاولة؛ نصّك محفوظ أدناه.",
            )
        return self.ok()


def _keys(text: str) -> list[str]:
    return [normalize(line).strip() for line in (text or "").splitlines() if line.strip()]


class DisallowedKeys(Check):
    """WordPress-style "disallowed comment keys": substring match on normalised text, so
    «مُراهنات» in the list also catches «مراهنات» and «المراهنات»."""

    name = "disallowed_keys"

    def __init__(self, spam_keys: str, hold_keys: str) -> None:
        self.spam_keys = _keys(spam_keys)
        self.hold_keys = _keys(hold_keys)

    def run(self, s: Submission) -> CheckResult:
        haystack = normalize(" ".join([s.name, s.email, s.url, s.body, s.ip or "", s.user_agent]))
        for keys, verdict in ((self.spam_keys, Verdict.SPAM), (self.hold_keys, Verdict.HOLD)):
            for key in keys:
                if key and key in haystack:
                    return CheckResult(self.name, verdict, f"يحتوي على «{key}» من القائمة")
        return self.ok()


URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)\S+")


class TooManyLinks(Check):
    name = "links"

    def __init__(self, max_links: int) -> None:
        self.max_links = max_links

    def run(self, s: Submission) -> CheckResult:
        n = len(URL_RE.findall(s.body))
        if n > self.max_links:
            return CheckResult(self.name, Verdict.HOLD, f"يحتوي على {n} روابط")
        return self.ok()


class Duplicate(Check):
    """The same text by the same person on the same article: a double click, or a bot."""

    name = "duplicate"

    def run(self, s: Submission) -> CheckResult:
        body = normalize(s.body).strip()
        if any(normalize(b).strip() == body for b in s.previous_bodies):
            return CheckResult(
                self.name,
                Verdict.REJECT,
                "تعليق مكرر",
                "يبدو أنك أرسلت هذا التعليق من قبل؛ لا داعي لإرساله مرة أخرى.",
            )
        return self.ok()


class FirstTimeCommenter(Check):
    """Hold a first comment until a moderator has approved one from this email (WordPress'
    "comment author must have a previously approved comment")."""

    name = "first_time"

    def run(self, s: Submission) -> CheckResult:
        if not s.approved_before:
            return CheckResult(self.name, Verdict.HOLD, "أول تعليق من هذا البريد")
        return self.ok()


class AbusiveLanguage(Check):
    """Holds insulting comments for a moderator (never rejects: context decides).

    A small lexicon rather than a model: the `arabic-toxic` package was considered, but it
    pins scikit-learn below 1.8 and loads a pickled model, a heavy and opaque dependency for a
    check whose only power is to hold a comment. The lexicon is analysed with the same
    Arabic pipeline as search, so «الحقراء» and «حقير», «يا حمار» and «ياحمار» all match.
    """

    name = "abusive"

    def __init__(self, strong: frozenset[str], mild: frozenset[str]) -> None:
        self.strong = strong
        self.mild = mild

    def run(self, s: Submission) -> CheckResult:
        from akhbar.arabic import normalize, stem, tokenize

        words = [normalize(t.text) for t in tokenize(s.body[:20_000])]
        stems = [stem(w) for w in words]
        strong = sorted({w for w, st in zip(words, stems, strict=True) if st in self.strong})
        mild = [w for w, st in zip(words, stems, strict=True) if st in self.mild]
        addressed = any(
            words[i] in ("يا", "you", "ya") and stems[i + 1] in self.mild
            for i in range(len(words) - 1)
        ) or any(w.startswith("يا") and stem(w[2:]) in self.mild for w in words)
        if strong or addressed or len(mild) >= 2:
            found = "، ".join((strong or mild)[:3]) or "شتيمة موجّهة"
            return CheckResult(self.name, Verdict.HOLD, f"لغة مسيئة محتملة: {found}")
        return self.ok()


def load_abusive_lexicon() -> tuple[frozenset[str], frozenset[str]]:
    from pathlib import Path

    from akhbar.arabic import normalize, stem

    strong: set[str] = set()
    mild: set[str] = set()
    path = Path(__file__).resolve().parent / "data" / "abusive.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        kind, _, word = line.partition(":")
        if line.startswith("#") or not word.strip():
            continue
        (strong if kind.strip() == "strong" else mild).add(stem(normalize(word.strip())))
    return frozenset(strong), frozenset(mild)


class LocalClassifier(Check):
    """The newsroom's own learning filter: nothing leaves the server."""

    name = "classifier"

    def __init__(self, spam_at: float = 0.9, hold_at: float = 0.5) -> None:
        self.spam_at = spam_at
        self.hold_at = hold_at
        self.probability: float | None = None

    def run(self, s: Submission) -> CheckResult:
        from akhbar.antispam.classifier import comment_text
        from akhbar.antispam.services import current_model

        model = current_model()
        text = comment_text(s.name, s.url, s.body)
        p = model.spam_probability(text)
        self.probability = p
        if p >= self.hold_at:
            features = "، ".join(model.top_features(text, 3))
            verdict = Verdict.SPAM if p >= self.spam_at else Verdict.HOLD
            return CheckResult(self.name, verdict, f"احتمال الإزعاج {p:.0%} ({features})")
        return self.ok()


class Akismet(Check):
    """Optional: only when the site owner sets AKISMET_API_KEY. Any failure holds the comment
    for a moderator — a reader's comment is never dropped because a remote service is down."""

    name = "akismet"

    def __init__(self) -> None:
        self.discard = False

    def run(self, s: Submission) -> CheckResult:
        from akhbar.antispam.akismet import AkismetError
        from akhbar.antispam.services import akismet_client, akismet_comment

        client = akismet_client()
        if client is None:
            return self.ok()
        try:
            verdict = client.comment_check(akismet_comment(s))
        except (AkismetError, ValueError) as exc:
            log.warning("Akismet check failed, holding comment for moderation: %s", exc)
            return CheckResult(self.name, Verdict.HOLD, "تعذّر الاتصال بخدمة Akismet")
        if verdict.is_spam:
            self.discard = verdict.discard
            return CheckResult(self.name, Verdict.SPAM, "صنّفته خدمة Akismet كرسالة مزعجة")
        return self.ok()


@functools.cache
def _abusive_lexicon() -> tuple[frozenset[str], frozenset[str]]:
    return load_abusive_lexicon()


def default_checks() -> Sequence[Check]:
    from akhbar.antispam.models import AntispamSettings

    conf = AntispamSettings.current()
    checks: list[Check] = [
        Honeypot(),
        MinimumTime(conf.min_seconds_to_submit),
        RateLimit(akhbar_settings.comment_rate_limit, akhbar_settings.comment_rate_window),
        Duplicate(),
        DisallowedKeys(conf.disallowed_keys, conf.hold_keys),
        TooManyLinks(conf.max_links),
    ]
    if conf.hold_first_time_commenters:
        checks.append(FirstTimeCommenter())
    checks += [AbusiveLanguage(*_abusive_lexicon()), LocalClassifier(), Akismet()]
    return checks


def run_checks(s: Submission, checks: Sequence[Check] | None = None) -> PipelineResult:
    """Run cheap checks first; skip the costly ones once a comment is already spam/rejected."""
    result = PipelineResult()
    for check in checks if checks is not None else default_checks():
        if result.verdict >= Verdict.SPAM and isinstance(check, (LocalClassifier, Akismet)):
            continue
        result.add(check.run(s))
        if isinstance(check, LocalClassifier):
            result.spam_probability = check.probability
        if isinstance(check, Akismet):
            result.akismet_discard = check.discard
        if result.verdict == Verdict.REJECT:
            break
    return result
