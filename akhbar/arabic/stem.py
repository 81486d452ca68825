"""Light Arabic stemmer for search terms.

Choice of algorithm, measured with ``.venv/bin/python bench/arabic_stemmers.py`` on the
2-core dev machine (45 news word families, 30 distinct-word pairs that must stay apart,
input already normalised, tokens/s = cold, every token new, best of 3):

    candidate                     families joined   false joins   tokens/s (cold)
    PyStemmer (Snowball, C)           11/45 (24%)      3/30          1,470,000
    snowballstemmer (pure Py)         11/45 (24%)      3/30             13,000
    nltk ISRI (root stemmer)          41/45 (91%)      7/30            111,000
    nltk ARLSTem                      34/45 (76%)      3/30             85,000
    nltk ARLSTem2                     28/45 (62%)      4/30             78,000
    tashaphyne                        13/45 (29%)      7/30             34,000
    our proclitics + PyStemmer        33/45 (73%)      4/30            180,000
    our proclitics + our suffixes     43/45 (96%)      2/30            176,000   <- chosen

    analyze() on 400-word Zipfian articles with a 20k-word tail: ~2,100-2,400
    articles/s, ~870k-950k tokens/s, 3.4% stem-cache misses.

Snowball never strips و/ل in front of ال and mishandles ه (our normalised ة), so alone it
joins a quarter of the families; putting our proclitic stripping in front of it helps, but
its own prefix rules still strip a second letter ("وزير" → "زير"). ISRI joins as many
families but is a root stemmer and merges distinct words (سفير/سفر, محكمة/حكم, كتاب/كاتب).
Our suffix stripping joins the most families with the fewest false joins (remaining:
لبنان/بنان, رياضة/رياض); the two unjoined families are the dual "معلمان" (see SUFFIXES) and
"مدينتها", where ة turned ت before a pronoun is indistinguishable from plural ات. Cold speed
is that of pure Python, but ``stem`` is memoised with ``lru_cache`` and news vocabulary is
Zipfian, so the pipeline comfortably exceeds the 500k tokens/s indexing target.

Both strippers are *greedy and repeated* rather than grammatical (conjunction → preposition
→ article). Repetition is what guarantees stem(prefix + w) == stem(w) even when w itself
starts with a proclitic letter ("ووزير" vs "وزير"); the price is that a bare word may lose a
root letter, which is harmless because stems are index keys, never shown to readers.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["PROCLITICS", "SUFFIXES", "stem", "strip_proclitics", "strip_suffixes"]

# (proclitic, minimum letters that must remain). The article forms may leave two letters
# ("اليد" → "يد"); bare one-letter particles need four so that "بيت", "كتاب", "وقت", "لبن"
# keep their first root letter. Longest first so "لل" wins over "ل".
PROCLITICS: tuple[tuple[str, int], ...] = (
    ("وال", 2),
    ("بال", 2),
    ("فال", 2),
    ("كال", 2),
    ("لل", 2),
    ("ال", 2),
    ("و", 4),
    ("ف", 4),
    ("ب", 4),
    ("ك", 4),
    ("ل", 4),
)

# (suffix, minimum letters that must remain): pronoun clitics, sound plurals, feminine dual,
# nisba and taa marbuta (already normalised to ه). Longest first. The nominative dual "ان"
# is left out on purpose: far more news words merely end in ان ("لبنان", "البرلمان",
# "طالبان", "باكستان", "بيان") than are duals, and stripping it conflated طالبان with طالب.
SUFFIXES: tuple[tuple[str, int], ...] = (
    ("هما", 3),
    ("تين", 3),
    ("ها", 3),
    ("هم", 3),
    ("هن", 3),
    ("كم", 3),
    ("نا", 3),
    ("ات", 3),
    ("ون", 3),
    ("ين", 3),
    ("يه", 3),
    ("ه", 3),
    ("ي", 3),
)

# Pronoun clitics (and ه, which is also the normalised ة): the endings that can lend a word
# the length its proclitic check needs ("بيتها" must keep ب like "بيت").
_PRONOUN_SUFFIXES: tuple[tuple[str, int], ...] = tuple(
    (suffix, 2)
    for suffix, _ in SUFFIXES
    if suffix in {"هما", "ها", "هم", "هن", "كم", "نا", "ه", "ي"}
)

# Every suffix at a lenient minimum: how short the stem could possibly get.
_ANY_SUFFIX: tuple[tuple[str, int], ...] = tuple((suffix, 2) for suffix, _ in SUFFIXES)

# Words that look prefixed but are not, and whose stripping would be conspicuous in search.
_PROTECTED: frozenset[str] = frozenset({"الله", "لله", "بالله", "والله", "تالله", "فالله"})


def strip_proclitics(word: str) -> str:
    """Remove leading conjunctions, prepositions and the article, repeatedly.

    The minimum length is checked on what is left once suffixes are (leniently) removed, so
    "كتابها" and "بيتها" keep their first letter exactly like "كتاب" and "بيت": a suffix must
    not lend the prefix the length it needs ("لاعبين" keeps its ل). The conjunction و is so
    frequent in news that for it only pronoun suffixes are discounted, so "وقوات" → "قوات".
    """
    while True:
        for prefix, keep in PROCLITICS:
            if not word.startswith(prefix):
                continue
            rest = word[len(prefix) :]
            check = _PRONOUN_SUFFIXES if prefix == "و" else _ANY_SUFFIX
            if len(strip_suffixes(rest, check)) >= keep:
                word = rest
                break
        else:
            return word


def strip_suffixes(word: str, suffixes: tuple[tuple[str, int], ...] = SUFFIXES) -> str:
    """Remove trailing pronoun clitics and nominal inflection, repeatedly."""
    while True:
        for suffix, keep in suffixes:
            if word.endswith(suffix) and len(word) - len(suffix) >= keep:
                word = word[: -len(suffix)]
                break
        else:
            return word


@lru_cache(maxsize=262_144)
def stem(token: str) -> str:
    """Reduce an already-normalised token to its search stem.

    Non-Arabic tokens (Latin words, numbers) are returned unchanged: they are already
    case-folded by ``normalize`` and English stemming is out of scope for an Arabic-first site.
    """
    if not isinstance(token, str) or not token:
        return "" if not isinstance(token, str) else token
    if not ("\u0621" <= token[0] <= "\u06ff"):
        return token
    if token in _PROTECTED:
        return "الله"
    return strip_suffixes(strip_proclitics(token))
