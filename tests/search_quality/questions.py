"""Natural questions through Akhbar's search page, against two BM25 baselines, in one run.

* **akhbar (page)**: ``GET /search/?q=…`` through the real view; the result links of the
  first page are the ranking (what a reader sees).
* **BM25 raw words**: Okapi BM25 (k1 1.2, b 0.75) over title + excerpt + body + tags split
  on non-word characters, no normalisation, any-word (what Elasticsearch/OpenSearch do with
  the ``standard`` analyser).
* **BM25 Lucene normaliser + light10**: the same BM25 after Lucene's ``ArabicNormalizer``
  (hamza-seated alefs → ا, ى → ي, ة → ه, tatweel and harakat removed) and the light10
  stemmer (Larkey, Ballesteros & Connell 2007) as Lucene's ``ArabicStemmer`` implements it,
  i.e. Lucene's ``ArabicAnalyzer`` without its stop list.

Run ``.venv/bin/pytest tests/search_quality -s`` to see the table.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.utils import timezone

from akhbar.newsroom.html import html_to_text
from akhbar.newsroom.models import Article, Category

QUESTIONS = json.loads((Path(__file__).parent / "questions.json").read_text(encoding="utf-8"))
K = 10

_DOC_RE = re.compile(
    r"<DOCNO>(.*?)</DOCNO>.*?<TITLE>(.*?)</TITLE>.*?<TIME>(.*?)</TIME>.*?<TEXT>(.*?)</TEXT>",
    re.S,
)
_HREF_RE = re.compile(r'class="search-result__title"><a href="([^"]+)"')


def _date(docno: str, when: str) -> datetime:
    """Publication date from <TIME> (ISO or dd/mm/yyyy), else the DOCNO's date, else 2017."""
    for parse in (
        datetime.fromisoformat,
        lambda v: datetime.strptime(v, "%d/%m/%Y"),
        lambda v: datetime.strptime(docno.rsplit("-", 1)[-1], "%Y%m%d"),
    ):
        try:
            parsed = parse(when)
        except ValueError:
            continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return datetime(2017, 1, 1, tzinfo=UTC)


def load_ant(folder: Path) -> dict[str, int]:
    """The ANT sample as published articles (one section per label); DOCNO → article id."""
    ids: dict[str, int] = {}
    for label_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        category, _ = Category.objects.get_or_create(
            slug=f"ant-{label_dir.name.lower()}", defaults={"name": label_dir.name}
        )
        for path in sorted(label_dir.glob("*.txt")):
            match = _DOC_RE.search(path.read_text(encoding="utf-8"))
            if not match:
                continue
            docno, title, when, text = (g.strip() for g in match.groups())
            paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
            published = _date(docno, when) + timedelta(minutes=len(ids))
            article = Article.objects.create(
                title=title[:300],
                slug=docno.lower(),
                body=paragraphs,
                status=Article.Status.PUBLISHED,
                published_at=min(published, timezone.now() - timedelta(minutes=1)),
                category=category,
            )
            ids[docno] = article.pk
    return ids


# --- baselines ----------------------------------------------------------------------------

_WORD_RE = re.compile(r"\w+")
_HARAKAT = re.compile("[\u064b-\u065f\u0670\u0640]")
_LUCENE_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})
_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "يه", "ه", "ه", "ي")  # ية/ة after folding


def raw_words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def light10(word: str) -> str:
    """Lucene's ArabicStemmer (light10): one prefix, then each suffix at most once."""
    for prefix in _PREFIXES:
        if word.startswith(prefix):
            if len(prefix) == 1 and len(word) < 4:  # و needs three letters left
                continue
            if len(word) < len(prefix) + 2:
                continue
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) >= len(suffix) + 2:
            word = word[: -len(suffix)]
    return word


def lucene_light10(text: str) -> list[str]:
    return [light10(w) for w in raw_words(_HARAKAT.sub("", text).translate(_LUCENE_FOLD))]


@dataclass
class BM25:
    """Okapi BM25, any-word, over the tokens ``analyzer`` gives each document."""

    analyzer: Callable[[str], list[str]]
    k1: float = 1.2
    b: float = 0.75
    docs: dict[int, Counter] = field(default_factory=dict)
    lengths: dict[int, int] = field(default_factory=dict)
    df: Counter = field(default_factory=Counter)

    def add(self, pk: int, text: str) -> None:
        tokens = self.analyzer(text)
        self.docs[pk] = Counter(tokens)
        self.lengths[pk] = len(tokens)
        self.df.update(set(tokens))

    def search(self, q: str) -> list[int]:
        n = len(self.docs)
        avgdl = sum(self.lengths.values()) / max(n, 1)
        terms = set(self.analyzer(q))
        scores: dict[int, float] = {}
        for pk, counts in self.docs.items():
            s = 0.0
            for t in terms:
                tf = counts.get(t, 0)
                if tf:
                    idf = math.log(1 + (n - self.df[t] + 0.5) / (self.df[t] + 0.5))
                    s += (
                        idf
                        * tf
                        * (self.k1 + 1)
                        / (tf + self.k1 * (1 - self.b + self.b * self.lengths[pk] / avgdl))
                    )
            if s:
                scores[pk] = s
        return sorted(scores, key=lambda pk: -scores[pk])[:K]


def article_text(article: Article) -> str:
    tags = " ".join(t.name for t in article.tags.all())
    return f"{article.title} {article.excerpt} {html_to_text(article.body)} {tags}"


def baselines() -> dict[str, BM25]:
    engines = {
        "BM25 raw words": BM25(raw_words),
        "BM25 Lucene norm + light10": BM25(lucene_light10),
    }
    for article in Article.objects.published().prefetch_related("tags"):
        text = article_text(article)
        for engine in engines.values():
            engine.add(article.pk, text)
    return engines


# --- scoring ------------------------------------------------------------------------------


def page_search(client) -> Callable[[str], list[int]]:
    """The search page as a ranking: article ids of the result links, in order."""
    by_url = {a.get_absolute_url(): a.pk for a in Article.objects.published()}

    def search(q: str) -> list[int]:
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200, q
        return [
            by_url[href] for href in _HREF_RE.findall(response.content.decode()) if href in by_url
        ]

    return search


@dataclass(frozen=True)
class Figures:
    recall: float
    mrr: float
    misses: tuple[str, ...]
    n: int


def score(search: Callable[[str], list[int]], questions: Iterable[tuple[str, set[int]]]) -> Figures:
    recalls, rrs, misses = [], [], []
    for q, relevant in questions:
        got = search(q)[:K]
        recalls.append(len(relevant & set(got)) / len(relevant))
        rank = next((i for i, pk in enumerate(got, 1) if pk in relevant), None)
        rrs.append(1 / rank if rank else 0.0)
        if not rank or rank > 3:
            misses.append(f"{q} (rank {rank or '-'})")
    n = len(recalls)
    return Figures(sum(recalls) / n, sum(rrs) / n, tuple(misses), n)


def report(title: str, figures: dict[str, Figures]) -> None:
    print(f"\n{title}")
    print(f"{'method':<34}{'recall@10':>10}{'MRR':>8}")
    for name, f in figures.items():
        print(f"{name:<34}{f.recall:>10.3f}{f.mrr:>8.3f}")
    first = next(iter(figures.values()))
    print(f"akhbar below rank 3 ({len(first.misses)}):", "; ".join(first.misses) or "none")
