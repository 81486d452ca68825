"""Akhbar's related articles must clearly beat the baselines on both labelled sets."""

from __future__ import annotations

import pytest

from tests.conftest import SHARED, shared_available
from tests.related_quality.evaluate import K, evaluate, load_stories, suggestion_precision

ANT = SHARED / "fixtures" / "ant-corpus-sample"
MARGIN = 0.10


@pytest.fixture(scope="module")
def figures():
    """The original stories always; the ANT sample when ../shared is there."""
    return evaluate(ANT if shared_available() else None)


def _show(figures):
    for corpus, rows in figures.items():
        print(f"\n{corpus}: precision@{K}")
        for name, value in rows.items():
            print(f"  {value:6.3f}  {name}")


def test_evaluation_set_is_large_enough():
    docs = load_stories()
    assert len(docs) >= 150
    assert len({d.category for d in docs}) >= 8
    assert len({d.group for d in docs}) >= 25


def test_akhbar_beats_baselines_on_original_stories(figures):
    _show(figures)
    rows = figures["stories"]
    ours = rows["(c) Akhbar (text+tags+category+recency)"]
    assert ours >= rows["(a) tags baseline"] + MARGIN
    assert ours >= rows["(b) same category, newest first"] + MARGIN
    assert ours >= 0.9


@pytest.mark.shared
def test_akhbar_beats_baselines_on_ant_corpus(figures):
    rows = figures["ant"]
    ours = rows["(c) Akhbar (text+recency)"]
    assert ours >= rows["(a) derived-tags baseline (top-5 words)"] + MARGIN
    assert ours >= rows["(b) random"] + MARGIN
    assert ours >= rows["(b') latest news, site-wide"] + MARGIN


def test_tag_suggestions_precision():
    with_vocab = suggestion_precision(load_stories(), vocabulary=True)
    fresh = suggestion_precision(load_stories(), vocabulary=False)
    print(f"\ntag suggestions k=5: with vocabulary {with_vocab}, without {fresh}")
    # Issue 15: suggestions an editor would accept (0.352 before), without losing recall.
    assert with_vocab["precision"] >= 0.5
    assert with_vocab["recall"] >= 0.75
    assert fresh["precision"] >= 0.175  # 0.177 before the noise filters
