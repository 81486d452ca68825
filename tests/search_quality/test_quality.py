"""Search quality on a small hand-made Arabic collection, for whichever engine is in use.

Also scores what a plain ``icontains`` search scores on the same set (WordPress's search:
every word must appear somewhere in title, excerpt or content), to show what analysis buys.
Run with ``-s`` to see the table; CI runs it once on SQLite and once on PostgreSQL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from akhbar.newsroom.models import Article, Category, Tag
from akhbar.search.backends import get_backend
from akhbar.search.query import parse_query

COLLECTION = json.loads((Path(__file__).parent / "collection.json").read_text(encoding="utf-8"))
K = 10
MIN_RECALL = 0.95
MIN_MRR = 0.8


def load_collection() -> dict[str, int]:
    """Create the collection's articles (through save(), so signals index them)."""
    categories: dict[str, Category] = {}
    ids: dict[str, int] = {}
    now = timezone.now()
    for n, item in enumerate(COLLECTION["articles"]):
        if item["category"] not in categories:
            categories[item["category"]] = Category.objects.create(
                name=item["category"], slug=f"q-{len(categories)}"
            )
        article = Article.objects.create(
            title=item["title"],
            slug=f"q-{item['id']}",
            body="".join(f"<p>{s}</p>" for s in re.split(r"(?<=\.) ", item["body"])),
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(hours=n + 1),
            category=categories[item["category"]],
        )
        for name in item["tags"]:
            tag, _ = Tag.objects.get_or_create(name=name, defaults={"slug": f"q-{name}"})
            article.tags.add(tag)
        ids[item["id"]] = article.pk
    return ids


def engine_search(q: str) -> list[int]:
    return [h.article_id for h in get_backend().search(parse_query(q), None, 1, K).hits]


def icontains_search(q: str) -> list[int]:
    """WordPress-style: quoted phrases and words, all required anywhere; -word excluded."""
    phrases = re.findall(r'"([^"]+)"', q)
    words = re.sub(r'"[^"]*"', " ", q).split()
    qs = Article.objects.published()
    for term in [*phrases, *words]:
        if term.startswith("-") and len(term) > 1:
            t = term[1:]
            qs = qs.exclude(Q(title__icontains=t) | Q(excerpt__icontains=t) | Q(body__icontains=t))
        else:
            qs = qs.filter(
                Q(title__icontains=term) | Q(excerpt__icontains=term) | Q(body__icontains=term)
            )
    in_title = Case(
        When(title__icontains=q.strip('"'), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return list(
        qs.annotate(in_title=in_title)
        .order_by("-in_title", "-published_at")
        .values_list("pk", flat=True)[:K]
    )


def score(search: Callable[[str], list[int]], ids: dict[str, int]) -> dict:
    recalls, rrs, misses = [], [], []
    for query in COLLECTION["queries"]:
        relevant = {ids[r] for r in query["relevant"]}
        got = search(query["q"])[:K]
        recall = len(relevant & set(got)) / len(relevant)
        rank = next((i for i, pk in enumerate(got, 1) if pk in relevant), None)
        recalls.append(recall)
        rrs.append(1 / rank if rank else 0.0)
        if recall < 1:
            misses.append(f"{query['q']} ({query['covers']})")
    n = len(recalls)
    return {"recall": sum(recalls) / n, "mrr": sum(rrs) / n, "misses": misses, "n": n}


@pytest.mark.django_db
def test_search_quality_on_arabic_collection():
    assert len(COLLECTION["queries"]) >= 40 and len(COLLECTION["articles"]) >= 30
    ids = load_collection()
    engine = score(engine_search, ids)
    baseline = score(icontains_search, ids)
    print(f"\nSearch quality, {engine['n']} queries, database {connection.vendor}:")
    print(f"{'method':<28}{'recall@10':>10}{'MRR':>8}  misses")
    for name, s in [
        (f"akhbar ({get_backend().vendor})", engine),
        ("icontains (WordPress)", baseline),
    ]:
        print(f"{name:<28}{s['recall']:>10.3f}{s['mrr']:>8.3f}  {len(s['misses'])}")
    print("akhbar misses:", "; ".join(engine["misses"]) or "none")
    assert engine["recall"] >= MIN_RECALL, engine["misses"]
    assert engine["mrr"] >= MIN_MRR
    assert engine["recall"] > baseline["recall"]
