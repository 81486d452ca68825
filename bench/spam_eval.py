"""Evaluate the comment spam classifier; prints one table.

Rows:

* cold-start held-out: trained on 75% of ``akhbar/antispam/data/coldstart.jsonl``, scored on
  the other 25% (split by a hash of the text, so it is the same on every machine and run);
* tweets, cold start as is: the shipped cold-start model (all of coldstart.jsonl) applied to
  the real Arabic spam/ham tweets in ``../shared/fixtures/spam/`` without any adaptation;
* tweets, 5-fold CV: the same learner trained from scratch on four fifths of the tweets and
  scored on the fifth, showing that the model picks a site's own spam up once moderators teach
  it. The tweets are for evaluation only: no model trained on them is ever shipped.

Run: ``.venv/bin/python bench/spam_eval.py``
"""

from __future__ import annotations

import csv
import json
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from akhbar.antispam.classifier import SpamModel, cold_start_model, load_coldstart  # noqa: E402

TWEETS_CSV = REPO / ".." / "shared" / "fixtures" / "spam" / "sample_2000_original_rows.csv"
THRESHOLD = 0.5

Example = tuple[str, bool]


@dataclass(frozen=True)
class Scores:
    """Confusion counts plus the usual ratios, spam being the positive class."""

    tp: int
    fp: int
    tn: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fp + self.tn + self.fn
        return (self.tp + self.tn) / total if total else 0.0

    def __add__(self, other: Scores) -> Scores:
        return Scores(
            self.tp + other.tp, self.fp + other.fp, self.tn + other.tn, self.fn + other.fn
        )


def score(model: SpamModel, examples: Sequence[Example]) -> Scores:
    """Confusion counts of *model* on *examples* at the 0.5 threshold."""
    tp = fp = tn = fn = 0
    for text, is_spam in examples:
        predicted = model.spam_probability(text) >= THRESHOLD
        if predicted and is_spam:
            tp += 1
        elif predicted:
            fp += 1
        elif is_spam:
            fn += 1
        else:
            tn += 1
    return Scores(tp, fp, tn, fn)


def train(examples: Sequence[Example], base: SpamModel | None = None) -> SpamModel:
    """Learn *examples* on top of *base* (a fresh model when None)."""
    model = base if base is not None else SpamModel()
    for text, is_spam in examples:
        model.learn(text, is_spam)
    return model


def _fold(text: str, k: int) -> int:
    # A hash of the text, not its position, so editing the data file does not reshuffle the
    # split of the untouched lines.
    return zlib.crc32(text.encode("utf-8")) % k


def coldstart_split() -> tuple[list[Example], list[Example]]:
    """(train 75%, held-out 25%) of the shipped cold-start data, deterministic."""
    train_part, test_part = [], []
    for text, is_spam in load_coldstart():
        (test_part if _fold(text, 4) == 0 else train_part).append((text, is_spam))
    return train_part, test_part


def load_tweets(path: Path = TWEETS_CSV) -> list[Example]:
    """The shared tweet fixture as (tweet_text, is_spam); labels in the file are Spam/Ham."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    labels = {row["label"] for row in rows}
    if not labels <= {"Spam", "Ham"}:
        raise ValueError(f"unexpected labels in {path.name}: {sorted(labels)}")
    return [(row["tweet_text"], row["label"] == "Spam") for row in rows]


def cross_validate(
    examples: Sequence[Example], k: int = 5, base: Callable[[], SpamModel] | None = None
) -> Scores:
    """Summed confusion counts of k-fold cross-validation (folds by text hash)."""
    total = Scores(0, 0, 0, 0)
    for fold in range(k):
        train_part = [ex for ex in examples if _fold(ex[0], k) != fold]
        test_part = [ex for ex in examples if _fold(ex[0], k) == fold]
        model = train(train_part, base() if base else None)
        total = total + score(model, test_part)
    return total


def throughput(model: SpamModel, texts: Sequence[str], repeat: int = 3) -> float:
    """Comments scored per second (best of *repeat* passes)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            model.spam_probability(text)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def model_bytes(model: SpamModel) -> int:
    """Size of the state as the caller would store it (compact JSON, UTF-8)."""
    return len(json.dumps(model.to_dict(), separators=(",", ":")).encode("utf-8"))


def main() -> int:
    rows: list[tuple[str, int, Scores]] = []
    train_part, held_out = coldstart_split()
    rows.append(("cold-start held-out 25%", len(held_out), score(train(train_part), held_out)))

    shipped = cold_start_model()
    tweets: list[Example] = []
    if TWEETS_CSV.exists():
        tweets = load_tweets()
        rows.append(("tweets, cold-start model as is", len(tweets), score(shipped, tweets)))
        rows.append(("tweets, 5-fold CV (from scratch)", len(tweets), cross_validate(tweets)))
        rows.append(
            (
                "tweets, 5-fold CV (cold start + folds)",
                len(tweets),
                cross_validate(tweets, base=cold_start_model),
            )
        )
    else:
        print(f"(tweet fixture not found at {TWEETS_CSV}; tweet rows skipped)")

    header = f"{'evaluation':40} {'n':>5} {'prec':>6} {'recall':>6} {'F1':>6} {'acc':>6}"
    print(header)
    print("-" * len(header))
    for name, n, s in rows:
        print(f"{name:40} {n:5d} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.accuracy:6.3f}")

    texts = [text for text, _ in load_coldstart()] + [text for text, _ in tweets]
    print()
    print(f"throughput: {throughput(shipped, texts):,.0f} comments/s over {len(texts)} texts")
    print(f"cold-start model size: {model_bytes(shipped):,} bytes of JSON")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
