"""Compare Arabic stemmer candidates for akhbar.arabic.stem on news word families.

Run from the repository root:  .venv/bin/python bench/arabic_stemmers.py
(``--proclitics`` runs only the short-proclitic-words comparison, which needs no optional
library.)

For every candidate it prints how many word families collapse to a single stem (recall), how
many clearly distinct word pairs wrongly collapse (precision), and throughput both cold
(every token new) and through the full ``analyze`` pipeline on synthetic news text. Optional
libraries (nltk, tashaphyne) are skipped when not installed. Timings are noisy: read them as
orders of magnitude, not as pass/fail thresholds.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from akhbar.arabic import analyze, normalize
from akhbar.arabic.stem import stem, strip_proclitics, strip_suffixes

# Each family: inflected/cliticised news forms of one word that a search should treat as one.
FAMILIES: list[list[str]] = [
    ["القوات", "قوات", "والقوات", "بالقوات", "للقوات", "قواتها"],
    ["المدفعية", "والمدفعية", "مدفعية", "بالمدفعية"],
    ["الإرهابيين", "إرهابي", "الإرهابي", "إرهابيون", "والإرهابيين"],
    ["مستشار", "المستشار", "مستشارين", "والمستشار", "مستشاره"],
    ["كركوك", "لكركوك", "وكركوك", "بكركوك"],
    ["الطيران", "بالطيران", "طيران", "والطيران"],
    ["التحالف", "للتحالف", "تحالف", "والتحالف", "فالتحالف"],
    ["الحكومة", "حكومة", "والحكومة", "للحكومة", "حكومات", "الحكومات"],
    ["الرئيس", "رئيس", "والرئيس", "للرئيس", "رئيسها"],
    ["الوزير", "وزير", "والوزير", "للوزير", "بالوزير"],
    ["المعلمين", "معلم", "المعلمون", "معلمان", "والمعلمين"],
    ["الانتخابات", "انتخابات", "بالانتخابات", "للانتخابات"],
    ["المصري", "مصري", "المصريين", "المصرية", "مصريون"],
    ["الفلسطينيين", "فلسطيني", "فلسطين", "لفلسطين", "والفلسطينية"],
    ["كتابها", "كتابهم", "كتابنا", "كتابكم", "كتاب", "الكتاب", "كتابه"],
    ["بيتهما", "بيت", "البيت", "بيتها"],
    ["المجلس", "مجلس", "بالمجلس", "والمجلس", "كالمجلس"],
    ["الاقتصاد", "اقتصاد", "والاقتصاد", "بالاقتصاد"],
    ["الاقتصادية", "اقتصادي", "الاقتصادي", "اقتصادية"],
    ["الدولي", "دولي", "الدولية", "دولية"],
    ["السياسة", "سياسة", "بالسياسة", "وسياسة"],
    ["الأمن", "أمن", "الأمـــن", "والأمن", "للأمن"],
    ["الصحة", "صحة", "بالصحة", "وزارة الصحة"],
    ["المدينة", "مدينة", "بالمدينة", "للمدينة", "مدينتها"],
    ["الشرطة", "شرطة", "والشرطة", "للشرطة"],
    ["المتظاهرين", "متظاهرين", "المتظاهرون", "متظاهر"],
    ["الجيش", "جيش", "والجيش", "للجيش", "جيشها"],
    ["اللاعبين", "لاعب", "اللاعب", "لاعبون"],
    ["المباراة", "مباراة", "بالمباراة", "للمباراة"],
    ["الشركات", "شركة", "الشركة", "شركات", "للشركات"],
    ["المستشفى", "مستشفى", "بالمستشفى", "المستشفي"],
    ["العراقية", "العراقي", "عراقي", "عراقية", "العراقيين"],
    ["الحوثيين", "حوثي", "الحوثي", "والحوثيين"],
    ["الأحزاب", "أحزاب", "والأحزاب", "للأحزاب"],
    ["أحمد", "احمد", "وأحمد", "لأحمد"],
    ["الإسلام", "إسلام", "اسلام", "بالإسلام"],
    ["الآثار", "آثار", "اثار", "والآثار"],
    ["مُسْتَشار", "مستشار", "مُستشار"],
    ["عَلاقَة", "علاقة", "العلاقات", "علاقات"],
    ["المؤتمر", "مؤتمر", "بالمؤتمر", "المؤتمرات"],
    ["الطائرات", "طائرة", "الطائرة", "طائرات"],
    ["المسؤولين", "مسؤول", "المسؤول", "مسؤولون"],
    ["التعليم", "تعليم", "بالتعليم", "للتعليم"],
    ["الجامعة", "جامعة", "بالجامعة", "جامعات", "الجامعات"],
    ["المواطنين", "مواطن", "المواطن", "مواطنون", "للمواطنين"],
]

# Pairs of different common words that must keep different stems.
DISTINCT: list[tuple[str, str]] = [
    ("مدرسة", "مدير"),
    ("قلم", "قمر"),
    ("بحر", "حر"),
    ("كبير", "بئر"),
    ("بيت", "يت"),
    ("وطن", "طن"),
    ("وزير", "زير"),
    ("وقت", "قت"),
    ("لبنان", "بنان"),
    ("كلام", "لام"),
    ("جيش", "جيب"),
    ("سلام", "سلاح"),
    ("حرب", "حزب"),
    ("نفط", "نفس"),
    ("شمال", "جنوب"),
    ("مال", "ماء"),
    ("عام", "عالم"),
    ("علم", "عمل"),
    ("شعب", "شعر"),
    ("قرار", "قرى"),
    ("رياضة", "رياض"),
    ("سوريا", "سور"),
    ("مصر", "مصير"),
    ("دين", "دولة"),
    ("برلمان", "بر"),
    ("طالبان", "طالب"),
    ("سفير", "سفر"),
    ("امن", "امين"),
    ("محكمة", "حكم"),
    ("كتاب", "كاتب"),
]
# The last pairs are "either way is acceptable" in IR terms but are kept apart by a good light
# stemmer; they make over-stemming visible.


def _optional(name: str) -> Callable[[str], str] | None:
    try:
        if name == "isri":
            from nltk.stem.isri import ISRIStemmer

            return ISRIStemmer().stem
        if name == "arlstem":
            from nltk.stem.arlstem import ARLSTem

            return ARLSTem().stem
        if name == "arlstem2":
            from nltk.stem.arlstem2 import ARLSTem2

            return ARLSTem2().stem
        if name == "tashaphyne":
            from tashaphyne.stemming import ArabicLightStemmer

            light = ArabicLightStemmer()

            def tashaphyne_stem(word: str) -> str:
                light.light_stem(word)
                return light.get_stem()

            return tashaphyne_stem
    except ImportError:
        return None
    return None


def candidates() -> dict[str, Callable[[str], str]]:
    """Build every available candidate as a plain token → stem function (no caching)."""
    import Stemmer
    from snowballstemmer.arabic_stemmer import ArabicStemmer

    # maxCacheSize=0: PyStemmer's built-in cache would otherwise hide the per-token cost.
    pystem = Stemmer.Stemmer("arabic", 0).stemWord
    found: dict[str, Callable[[str], str]] = {
        "PyStemmer (Snowball, C)": pystem,
        # Imported directly: snowballstemmer.stemmer() silently returns PyStemmer if installed.
        "snowballstemmer (pure Py)": ArabicStemmer().stemWord,
    }
    for label, key in [
        ("nltk ISRI", "isri"),
        ("nltk ARLSTem", "arlstem"),
        ("nltk ARLSTem2", "arlstem2"),
        ("tashaphyne", "tashaphyne"),
    ]:
        fn = _optional(key)
        if fn is not None:
            found[label] = fn
    found["proclitics + PyStemmer"] = lambda w: pystem(strip_proclitics(w))
    found["proclitics + own suffixes"] = lambda w: strip_suffixes(strip_proclitics(w))
    return found


def _terms(fn: Callable[[str], str], phrase: str) -> tuple[str, ...]:
    return tuple(fn(word) for word in normalize(phrase).split()[-1:])


def family_joins(fn: Callable[[str], str]) -> int:
    """Count families whose members (normalised, last word of a phrase) share one stem."""
    return sum(len({_terms(fn, w) for w in family}) == 1 for family in FAMILIES)


def false_joins(fn: Callable[[str], str]) -> list[tuple[str, str]]:
    return [(a, b) for a, b in DISTINCT if _terms(fn, a) == _terms(fn, b)]


def _vocabulary(size: int, rng: random.Random) -> list[str]:
    """Synthesise distinct normalised news-like tokens so the cold benchmark never repeats."""
    base = sorted({normalize(w) for family in FAMILIES for w in family if " " not in w})
    prefixes = ["", "و", "ب", "ل", "ال", "وال", "بال", "لل", "ف", "ك"]
    suffixes = ["", "ها", "هم", "ات", "ون", "ين", "ان", "يه", "ه", "ي", "نا", "كم"]
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    out: list[str] = []
    while len(out) < size:
        root = rng.choice(base) if rng.random() < 0.5 else "".join(rng.choices(letters, k=4))
        out.append(rng.choice(prefixes) + root + rng.choice(suffixes) + str(len(out)))
    # Strip the uniqueness counter but keep words distinct by construction of the counter.
    return [w.rstrip("0123456789") + letters[len(w) % 28] * (i % 3) for i, w in enumerate(out)]


def throughput(fn: Callable[[str], str], words: list[str], repeat: int = 3) -> float:
    """Best of *repeat* runs, in tokens per second, every token distinct (cold)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for word in words:
            fn(word)
        best = min(best, time.perf_counter() - start)
    return len(words) / best


def _news_text(rng: random.Random, n_words: int, rare: list[str]) -> str:
    """Zipf-like synthetic article: stop words and family words head, *rare* words the tail."""
    vocab = ["في", "من", "على", "إلى", "أن", "التي", "الذي", "قال", "وقال", "هذا"]
    vocab += [w for family in FAMILIES for w in family if " " not in w] + rare
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    words = rng.choices(vocab, weights=weights, k=n_words)
    return " ".join(w + ("،" if i % 11 == 0 else "") for i, w in enumerate(words))


# --- short words with a one-letter proclitic, decided with an index vocabulary ------------

#: Three-letter news words with و/ف/ب/ل/ك in front; the stemmer alone must refuse to strip
#: them (see PROCLITICS), the index vocabulary lets the query join them (issue #12).
PROCLITIC_FAMILIES: list[list[str]] = [
    [base, *(p + base for p in "وفبلك")]
    for base in ["قمح", "نفط", "سجن", "حرب", "دعم", "شعب", "نمو", "فوز", "عجز", "طفل", "قطع", "سعر"]
]
#: Words whose first letter is a root letter: the stripped form must not be joined to them.
ROOT_INITIAL: list[str] = ["وصل", "وجد", "ورد", "وضع", "فهم", "فتح", "بلد", "بحث", "لعب", "كتب"]


def index_vocabulary() -> dict[str, int]:
    """Document frequencies of analysed terms over the texts a test index holds.

    The demo newsroom, the related-articles stories, the search collection and, when
    ``../shared`` is there, the ANT sample: real news vocabulary, as an index would have it.
    """
    import json
    import re
    from collections import Counter

    root = Path(__file__).resolve().parents[1]
    texts: list[str] = []
    demo = json.loads((root / "akhbar/demo/data/newsroom.json").read_text("utf-8"))
    texts += [f"{a['title']} {a.get('excerpt', '')} {a['body_html']}" for a in demo["articles"]]
    for path in sorted((root / "tests/related_quality/data").glob("stories_*.json")):
        for story in json.loads(path.read_text("utf-8"))["stories"]:
            texts += [f"{a['title']} {a['body']}" for a in story["articles"]]
    collection = json.loads((root / "tests/search_quality/collection.json").read_text("utf-8"))
    texts += [f"{a['title']} {a['body']}" for a in collection["articles"]]
    ant = root.parent / "shared" / "fixtures" / "ant-corpus-sample"
    if ant.is_dir():
        texts += [p.read_text("utf-8") for p in sorted(ant.glob("*/*.txt"))]
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(analyze(re.sub(r"<[^>]+>", " ", text))))
    return dict(df)


def proclitic_report() -> None:
    from akhbar.search.vocabulary import join_allowed, proclitic_alternative

    df = index_vocabulary()

    def matches(word: str, with_vocabulary: bool) -> set[str]:
        terms = set(analyze(word))
        if with_vocabulary:
            for term in list(terms):
                alt = proclitic_alternative(term)
                if alt and join_allowed(df.get(term, 0), df.get(alt, 0)):
                    terms.add(alt)
        return terms

    print(f"\nShort proclitic words, index vocabulary of {len(df):,} terms:")
    print(f"{'method':<34} {'families joined':>16} {'false joins':>12}")
    for label, vocab in [("stemmer alone", False), ("stemmer + index vocabulary", True)]:
        joined = sum(
            all(stem(family[0]) in matches(w, vocab) for w in family)
            for family in PROCLITIC_FAMILIES
        )
        wrong = [
            w
            for w in ROOT_INITIAL
            if (alt := proclitic_alternative(stem(w))) and alt in matches(w, vocab)
        ]
        n = len(PROCLITIC_FAMILIES)
        print(
            f"{label:<34} {joined:>6}/{n} ({joined / n:>4.0%})"
            f" {len(wrong):>6}/{len(ROOT_INITIAL)}  {' '.join(wrong)}"
        )
    unknown = [f[0] for f in PROCLITIC_FAMILIES if not df.get(stem(f[0]))]
    if unknown:
        print(f"  (not in this vocabulary, so cannot join: {' '.join(unknown)})")
    print(
        "  root-initial words and their stripped forms, df: "
        + ", ".join(
            f"{w} {df.get(stem(w), 0)}/{df.get(proclitic_alternative(stem(w)) or '', 0)}"
            for w in ROOT_INITIAL
        )
    )


def main() -> None:
    if "--proclitics" in sys.argv:
        proclitic_report()
        return
    rng = random.Random(20240601)
    words = _vocabulary(20_000, rng)
    rows = []
    for label, fn in candidates().items():
        fast = label.startswith(("PyStemmer", "proclitics", "snowball"))
        sample = words if fast else words[:3_000]
        rows.append((label, family_joins(fn), false_joins(fn), throughput(fn, sample)))

    n_fam, n_dist = len(FAMILIES), len(DISTINCT)
    print(f"{'candidate':<28} {'families joined':>16} {'false joins':>12} {'tokens/s':>12}")
    for label, joined, wrong, speed in rows:
        print(
            f"{label:<28} {joined:>3}/{n_fam} ({joined / n_fam:>4.0%})"
            f" {len(wrong):>6}/{n_dist}  {speed:>12,.0f}"
        )
    for label, _, wrong, _ in rows:
        if wrong:
            print(f"  false joins, {label}: {wrong}")
    own = candidates()["proclitics + own suffixes"]
    for family in FAMILIES:
        stems = {w: _terms(own, w) for w in family}
        if len(set(stems.values())) > 1:
            print(f"  unjoined family, own: {stems}")

    # Full pipeline: normalise → tokenize → stop words → cached stem, on 400-word articles.
    articles = [_news_text(rng, 400, words) for _ in range(2_000)]
    stem.cache_clear()
    start = time.perf_counter()
    n_terms = sum(len(analyze(a)) for a in articles)
    elapsed = time.perf_counter() - start
    n_tokens = sum(len(a.split()) for a in articles)
    print(
        f"\nanalyze(): {len(articles) / elapsed:,.0f} articles/s, {n_tokens / elapsed:,.0f} "
        f"tokens/s ({n_terms:,} terms); stem cache {stem.cache_info()}"
    )
    proclitic_report()


if __name__ == "__main__":
    main()
