"""Tag suggestions for the article form: existing tags, place names and key phrases.

Pure Python (no Django): the view passes the site's tag names and an IDF function, the
evaluation passes its own. Matching is done on stem sequences from ``akhbar.arabic.analyze``,
so "والموصل", "بالموصل" and "الموصل" all find the place "الموصل", and diacritics never matter.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from akhbar.arabic import STOP_WORDS, analyze, normalize, stem
from akhbar.arabic.tokenize import WORD_RE

__all__ = ["Suggestion", "gazetteer", "key_of", "suggest"]

GAZETTEER_PATH = Path(__file__).resolve().parent / "data" / "gazetteer.json"
#: Text analysed for suggestions; a long feature's first 20,000 words say what it is about.
MAX_WORDS = 20_000
MAX_NGRAM = 5
TITLE_BOOST = 3

#: With a site vocabulary, a new tag (place or phrase) is offered only when this salient: in
#: the title or mentioned three times. Editors accept existing tags; a new one from a single
#: passing mention is what they delete (measured on tests/related_quality: 0 of 282 such
#: suggestions matched the editors' tags).
NEW_TAG_MIN_WEIGHT = 5
#: …and at most this many new tags beside the existing ones.
MAX_NEW_WITH_VOCABULARY = 1
#: The rule applies once the newsroom has a real vocabulary; a young site with a handful of
#: tags still gets every place and key phrase proposed, or it would never grow one.
ESTABLISHED_VOCABULARY = 50

#: A tag named once, in the last 30% of the text, is a passing mention ("…as in Riyadh last
#: year"); it is dropped when the story already has this many tags it names more strongly.
LATE_MENTION = 0.7
STRONG_TAGS_ENOUGH = 3

# Words that are never a tag on their own or inside a phrase: time words, number words and
# quantities, and the reporting/filler words of news prose ("دقيقة", "ثلاث سنوات", "نحو").
# Written in ordinary spelling; stemmed with the same analyser as the text at import.
_NOISE_WORDS = """
ثانية ثوان دقيقة دقائق ساعة ساعات يوم يومين أيام يوما اسبوع أسبوع أسبوعين أسابيع شهر شهرين
أشهر شهور سنة سنتين سنوات سنين عام عامين أعوام عقد عقود قرن قرون موسم مواسم فترة مدة
صباح صباحا مساء مساءا ظهر ظهرا ليلة ليل الليلة نهار فجر أمس غدا غد الآن حاليا اليوم
الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت
يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر
كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين
واحد واحدة اثنان اثنين اثنتين ثلاث ثلاثة أربع أربعة خمس خمسة ست ستة سبع سبعة ثمان ثمانية
تسع تسعة عشر عشرة عشرين ثلاثين أربعين خمسين ستين سبعين ثمانين تسعين مئة مائة مئات مليون
ملايين مليار مليارات ألف آلاف نصف ربع ثلث ضعف أضعاف بالمئة المئة نسبة رقم أرقام
أول أولى ثاني ثانية ثالث ثالثة رابع خامس أخير أخيرة آخر الماضي الماضية المقبل المقبلة
القادم القادمة الحالي الحالية الجاري الجارية السابق السابقة
نحو حوالي قرابة أكثر أقل بعض عدد أعداد مرة مرات جديد جديدة كبير كبيرة
"""
# Adverbs and absolute objects end in tanween al-fath ("إيذاناً", "تقريباً", "أيضاً").
_TANWEEN_FATH_RE = re.compile(r"(?:اً|ًا|ً)$")
_CLAUSE_RE = re.compile(r"[.,،؛;:!?؟()\[\]«»\"'\n\-–—/]+")
_CLITIC_RE = re.compile(r"^(?:[وف]?[بلك]?)(?=ال)|^[وف](?=[^ا])")


@dataclass(frozen=True)
class Suggestion:
    label: str
    kind: str  # "tag" (already exists), "place" (gazetteer) or "phrase" (extracted)
    score: float

    def as_dict(self) -> dict:
        return asdict(self)


def key_of(text: str) -> tuple[str, ...]:
    """The stem sequence two spellings of one name share (clitics, diacritics folded)."""
    return tuple(analyze(text))


@dataclass(frozen=True)
class Place:
    label: str
    key: tuple[str, ...]
    needs_context: bool


@dataclass(frozen=True)
class Gazetteer:
    places: dict[tuple[str, ...], Place]
    context_keys: frozenset[str]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Load data/gazetteer.json once: every spelling variant keyed by its stems."""
    data = json.loads(GAZETTEER_PATH.read_text(encoding="utf-8"))
    ambiguous = {key_of(name) for name in data["needs_context"]}
    places: dict[tuple[str, ...], Place] = {}
    for country in data["countries"]:
        names = [country["name"], country["capital"], *country["regions"], *country["cities"]]
        for entry in names:
            variants = entry.split("|")
            label = variants[0]
            for variant in variants:
                key = key_of(variant)
                if key and key not in places:
                    places[key] = Place(label, key, key in ambiguous)
    context = frozenset(k for word in data["context_words"] for k in key_of(word))
    return Gazetteer(places, context)


@lru_cache(maxsize=1)
def _noise_stems() -> frozenset[str]:
    return frozenset(k for word in _NOISE_WORDS.split() for k in key_of(word))


def _is_noise(text: _Text, i: int) -> bool:
    """A word no tag is made of: a time word, number, adverb or bare particle."""
    stem_ = text.stems[i]
    if stem_ in _noise_stems() or len(stem_) < 3 or stem_.isdigit():
        return True
    surface = text.surfaces[i]
    return bool(_TANWEEN_FATH_RE.search(surface)) or any(ch.isdigit() for ch in surface)


def _looks_like_verb(word: str) -> bool:
    """A present-tense verb of a three-letter root: ي/ت + three letters ("تنتج", "يكلف",
    "تبدأ"), or with the plural/dual ending ("يطالبون", "تبحثان"). Nouns of that shape
    ("تونس") come from the gazetteer or the site's tags first."""
    folded = normalize(_surface(word))
    if folded.startswith("ال") or folded[:1] not in ("ي", "ت"):
        return False
    return len(folded) == 4 or (len(folded) >= 6 and folded.endswith(("ون", "ان")))


def _is_fragment(text: _Text, start: int, n: int) -> bool:
    """A phrase cut out of a sentence rather than a name: it starts or ends with a verb
    ("تبدأ توزيع البطاقات", "يكلف شخصية"). Names and noun phrases do not."""
    return _looks_like_verb(text.surfaces[start]) or _looks_like_verb(text.surfaces[start + n - 1])


def _surface(word: str) -> str:
    """A surface word without a leading conjunction/preposition (for display)."""
    stripped = _CLITIC_RE.sub("", word)
    return stripped if len(stripped) >= 2 else word


class _Text:
    """The analysed text: stems in order, each with the surface word it came from."""

    def __init__(self, title: str, body: str) -> None:
        self.stems: list[str] = []
        self.surfaces: list[str] = []
        self.in_title: list[bool] = []
        self.clause: list[int] = []
        clause = 0
        budget = MAX_WORDS
        for text, is_title in ((title, True), (body, False)):
            for part in _CLAUSE_RE.split(text or ""):
                clause += 1
                for word in WORD_RE.findall(part):
                    if budget <= 0:
                        return
                    budget -= 1
                    folded = normalize(word)
                    for piece in WORD_RE.findall(folded):
                        if piece in STOP_WORDS:
                            clause += 1  # a phrase never spans a stop word
                            continue
                        self.stems.append(stem(piece))
                        self.surfaces.append(word)
                        self.in_title.append(is_title)
                        self.clause.append(clause)

    def ngram_positions(self, n_max: int) -> dict[tuple[str, ...], list[int]]:
        out: dict[tuple[str, ...], list[int]] = defaultdict(list)
        stems = self.stems
        for i in range(len(stems)):
            for n in range(1, n_max + 1):
                if i + n > len(stems):
                    break
                out[tuple(stems[i : i + n])].append(i)
        return out


def _weight(text: _Text, positions: list[int]) -> float:
    return float(sum(TITLE_BOOST if text.in_title[i] else 1 for i in positions))


Key = tuple[str, ...]


@dataclass
class _Picks:
    """What :func:`suggest` has chosen so far, phase by phase."""

    found: dict[Key, Suggestion] = field(default_factory=dict)
    #: Weight of each new (non-tag) suggestion: with a vocabulary, only salient ones stay.
    salience: dict[Key, float] = field(default_factory=dict)
    #: Stems inside a chosen suggestion: a lone word among them is not offered again.
    covered: set[str] = field(default_factory=set)

    def add(self, key: Key, item: Suggestion, salience: float | None = None) -> None:
        self.found[key] = item
        if salience is not None:
            self.salience[key] = salience
        self.covered.update(key)


def suggest(
    title: str,
    body: str,
    k: int = 8,
    *,
    tags: Iterable[str] = (),
    idf: Callable[[str], float] | None = None,
) -> list[Suggestion]:
    """Up to ``k`` tag suggestions for an article, best first.

    * existing ``tags`` whose stems occur in the text (score ≥ 2: reusing a tag keeps the
      archive navigable);
    * gazetteer places (names that are also common words only after "محافظة", "ولاية"…);
    * key phrases: 1–3-word runs without stop words, scored TF × IDF (IDF from the site's
      articles when given), multi-word phrases only when repeated or in the title.
    """
    if k <= 0 or not isinstance(title, str) or not isinstance(body, str):
        return []
    text = _Text(title, body)
    if not text.stems:
        return []
    grams = text.ngram_positions(MAX_NGRAM)
    picks = _Picks()
    tag_keys = _tag_keys(tags)
    _pick_tags(text, grams, tag_keys, picks)
    _pick_places(text, grams, picks)
    _pick_phrases(text, _phrases(text, grams, picks, idf or (lambda term: 1.0)), picks, k)
    if len(tag_keys) >= ESTABLISHED_VOCABULARY:
        _keep_salient_new(picks)
    return _best(picks.found.values(), k)


def _tag_keys(tags: Iterable[str]) -> dict[Key, str]:
    """The site's tags by stem sequence (the first name of each), those short enough."""
    tag_keys: dict[Key, str] = {}
    for name in tags:
        key = key_of(name)
        if key and len(key) <= MAX_NGRAM:
            tag_keys.setdefault(key, name)
    return tag_keys


def _pick_tags(
    text: _Text, grams: dict[Key, list[int]], tag_keys: dict[Key, str], picks: _Picks
) -> None:
    """Existing tags the text names, scored above any new suggestion."""
    passing: list[Key] = []  # tags named once, late in the story
    for key, name in tag_keys.items():
        positions = grams.get(key)
        if not positions:
            continue
        weight = _weight(text, positions)
        # Ties (one mention each) go to the tag named earlier: the lead says what the
        # story is about.
        early = 0.01 * (1 - positions[0] / len(text.stems))
        picks.add(key, Suggestion(name, "tag", round(2.0 + math.log1p(weight) + early, 4)))
        if weight <= 1 and positions[0] >= LATE_MENTION * len(text.stems):
            passing.append(key)
    if len(picks.found) - len(passing) >= STRONG_TAGS_ENOUGH:
        # A story with three clear tags does not need the city named in its last lines.
        for key in passing:
            del picks.found[key]


def _pick_places(text: _Text, grams: dict[Key, list[int]], picks: _Picks) -> None:
    """Gazetteer places the text names (an ambiguous name only after a context word)."""
    gaz = gazetteer()
    for key, place in gaz.places.items():
        positions = grams.get(key)
        if not positions or key in picks.found:
            continue
        if place.needs_context:
            positions = [i for i in positions if i > 0 and text.stems[i - 1] in gaz.context_keys]
            if not positions:
                continue
        salience = _weight(text, positions)
        picks.add(
            key,
            Suggestion(place.label, "place", round(1.5 + 0.25 * math.log1p(salience), 4)),
            salience,
        )


def _is_phrase_key(key: Key) -> bool:
    """1–3 Arabic words of three letters or more, none a number."""
    return len(key) <= 3 and not any(
        len(s) < 3 or s.isdigit() or not ("\u0621" <= s[0] <= "\u06ff") for s in key
    )


def _phrase_positions(text: _Text, key: Key, positions: list[int]) -> list[int]:
    """Where ``key`` occurs as a phrase: inside one clause, no noise word, not a fragment."""
    n = len(key)
    return [
        i
        for i in positions
        if text.clause[i] == text.clause[i + n - 1]
        and not any(_is_noise(text, j) for j in range(i, i + n))
        and not _is_fragment(text, i, n)
    ]


def _phrases(
    text: _Text, grams: dict[Key, list[int]], picks: _Picks, idf: Callable[[str], float]
) -> list[tuple[float, Key, list[int]]]:
    """Candidate key phrases as (TF × IDF score, key, positions), best first."""
    phrases: list[tuple[float, Key, list[int]]] = []
    for key, all_positions in grams.items():
        if key in picks.found or not _is_phrase_key(key):
            continue
        positions = _phrase_positions(text, key, all_positions)
        if not positions:
            continue
        n = len(key)
        tf = _weight(text, positions)
        if n > 1 and len(positions) < 2 and not any(text.in_title[i] for i in positions):
            continue
        score = tf * sum(idf(s) for s in key) / n * (1.0 + 0.5 * (n - 1))
        phrases.append((score, key, positions))
    phrases.sort(key=lambda item: (-item[0], item[1]))
    return phrases


def _pick_phrases(
    text: _Text, phrases: list[tuple[float, Key, list[int]]], picks: _Picks, k: int
) -> None:
    """The best phrases not already inside a pick, scored relative to the best one."""
    top = phrases[0][0] if phrases else 1.0
    for score, key, positions in phrases:
        if len(picks.found) >= k * 2:
            break
        if any(set(key) <= set(other) for other in picks.found):
            continue  # a word already inside a chosen tag, place or longer phrase
        if len(key) == 1 and key[0] in picks.covered:
            continue
        forms = Counter(
            " ".join(_surface(w) for w in text.surfaces[i : i + len(key)]) for i in positions
        )
        label = forms.most_common(1)[0][0]
        picks.add(key, Suggestion(label, "phrase", round(score / top, 4)), _weight(text, positions))


def _keep_salient_new(picks: _Picks) -> None:
    """The site has a vocabulary: existing tags first, a new one only when salient."""
    found, salience = picks.found, picks.salience
    new = sorted(
        (key for key in found if key in salience and salience[key] >= NEW_TAG_MIN_WEIGHT),
        key=lambda key: (-salience[key], -found[key].score),
    )[:MAX_NEW_WITH_VOCABULARY]
    picks.found = {key: item for key, item in found.items() if key not in salience or key in new}


def _best(found: Iterable[Suggestion], k: int) -> list[Suggestion]:
    """The ``k`` best, a label only once however it is spelt."""
    ranked = sorted(found, key=lambda s: (-s.score, s.label))
    out: list[Suggestion] = []
    seen: set[str] = set()
    for item in ranked:
        folded = normalize(item.label)
        if folded in seen:
            continue
        seen.add(folded)
        out.append(item)
        if len(out) >= k:
            break
    return out
