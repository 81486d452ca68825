"""As-you-type suggestions: sections, tags and headlines matching what is being typed.

The last word is a prefix (the reader has not finished it), the words before it are whole.
Matching is on normalised forms, with or without the article (typing "الطا" or "طا" both
reach "الطاقة"):

* sections and tags: a word of the name starts with the prefix (and the name contains the
  earlier words); the names are few, so they are held normalised in memory per process
  until the site's content generation changes (every change readers can see: a renamed
  section or tag, a story's new tags), and for at most ``NAMES_SECONDS``;
* headlines: the prefix is completed from the index's vocabulary (the most frequent terms
  starting with it), and the newest live articles whose *title* has a completion and every
  earlier word are taken from the engine (one indexed query, newest first, no scoring).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from django.db.models import Count

from akhbar.arabic import analyze, normalize
from akhbar.arabic.tokenize import WORD_RE
from akhbar.core.generation import content_version
from akhbar.newsroom.models import Article, Category, Tag
from akhbar.search.backends import SearchBackend, get_backend
from akhbar.search.query import MAX_QUERY_LENGTH

__all__ = ["MAX_ITEMS", "Suggestion", "suggest"]

MAX_ITEMS = 8
MAX_NAMES = 2  # sections, then tags, at most this many each
COMPLETIONS = 4
NAMES_SECONDS = 300
_ARTICLE_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")

#: kind -> (when, content generation, entries)
_names: dict[str, tuple[float, str, list[tuple[tuple[str, ...], str, str]]]] = {}


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "section", "tag" or "headline"
    label: str
    url: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _bare(word: str) -> str:
    for prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix):
            return word[len(prefix) :]
    return word


def _words(text: str) -> list[str]:
    return WORD_RE.findall(normalize(text))


def _named(kind: str) -> list[tuple[tuple[str, ...], str, str]]:
    """(normalised words with and without ال, name, URL) of every section or tag."""
    now = time.monotonic()
    version = content_version()
    cached = _names.get(kind)
    if cached and cached[1] == version and now - cached[0] < NAMES_SECONDS:
        return cached[2]
    if kind == "section":
        rows = [(c.name, c.get_absolute_url()) for c in Category.objects.only("name", "slug")]
    else:
        tags = Tag.objects.annotate(n=Count("articles")).filter(n__gt=0).order_by("-n")
        rows = [(t.name, t.get_absolute_url()) for t in tags.only("name", "slug")[:5000]]
    entries = []
    for name, url in rows:
        words = _words(name)
        entries.append((tuple(dict.fromkeys([*words, *(_bare(w) for w in words)])), name, url))
    _names[kind] = (now, version, entries)
    return entries


def clear_cache() -> None:
    _names.clear()


def _match_names(kind: str, whole: list[str], prefix: str) -> list[Suggestion]:
    bare = _bare(prefix)
    out = []
    for words, name, url in _named(kind):
        if any(w.startswith(prefix) or w.startswith(bare) for w in words) and all(
            w in words or _bare(w) in words for w in whole
        ):
            out.append(Suggestion(kind, name, url))
            if len(out) >= MAX_NAMES:
                break
    return out


def _completions(backend: SearchBackend, prefix: str) -> list[str]:
    """The most frequent indexed terms the prefix may be the start of.

    Also from the prefix's own stem: a finished word ("الطاقه") is indexed as its stem
    ("طاق"), which the bare prefix ("طاقه") does not begin.
    """
    starts = {_bare(prefix), *analyze(prefix)}
    found: dict[str, int] = {}
    for start in starts:
        if len(start) >= 2:
            found.update(backend.vocabulary_range(start, start + "\U0010ffff", COMPLETIONS))
    return sorted(found, key=lambda t: -found[t])[:COMPLETIONS]


def suggest(text: str, limit: int = MAX_ITEMS) -> list[Suggestion]:
    """At most ``limit`` (≤ 8) suggestions for the partly typed ``text``."""
    words = _words((text or "")[:MAX_QUERY_LENGTH])
    if not words or len(words[-1]) < 2:
        return []
    *whole, prefix = words[-6:]
    items = _match_names("section", whole, prefix) + _match_names("tag", whole, prefix)
    backend = get_backend()
    completions = _completions(backend, prefix)
    if completions:
        required = [t for w in whole for t in analyze(w)]
        room = max(limit - len(items), 0)
        ids = backend.title_matches(required, completions, room * 2 + 4)
        live = {
            a.pk: a
            for a in Article.objects.published().filter(pk__in=ids).only("id", "title", "slug")
        }
        for pk in ids:
            if pk in live and len(items) < limit:
                items.append(Suggestion("headline", live[pk].title, live[pk].get_absolute_url()))
    return items[:limit]
