"""Akhbar's search page on natural questions, beside two BM25 baselines computed in the run.

The demo newsroom part always runs; the ANT part needs ``../shared/fixtures`` and skips
(one line) without it. Goals: recall@10 >= 0.97 and MRR >= 0.85 through the page, above
both baselines.
"""

from __future__ import annotations

import pytest
from django.db import connection

from akhbar.demo.newsroom import load_demo
from akhbar.newsroom.models import Article
from tests.conftest import SHARED, shared_file
from tests.search_quality.questions import (
    QUESTIONS,
    baselines,
    load_ant,
    page_search,
    report,
    score,
)

ANT = SHARED / "fixtures" / "ant-corpus-sample"
MIN_RECALL = 0.97
MIN_MRR = 0.85

pytestmark = pytest.mark.django_db


def _evaluate(client, questions) -> dict:
    figures = {f"akhbar page ({connection.vendor})": score(page_search(client), questions)}
    for name, engine in baselines().items():
        figures[name] = score(engine.search, questions)
    return figures


def _check(figures: dict) -> None:
    akhbar, *others = figures.values()
    assert akhbar.recall >= MIN_RECALL, akhbar.misses
    assert akhbar.mrr >= MIN_MRR, akhbar.misses
    for other in others:
        assert akhbar.recall >= other.recall and akhbar.mrr > other.mrr


def test_question_set_is_large_enough():
    assert len(QUESTIONS["demo"]) + len(QUESTIONS["ant"]) >= 150
    kinds = {q["kind"] for part in ("demo", "ant") for q in QUESTIONS[part]}
    assert {"who", "when", "where", "howmany", "misspelled", "colloquial", "partial"} <= kinds


def test_natural_questions_on_the_demo_newsroom(client):
    load_demo()
    ids = dict(Article.objects.values_list("slug", "pk"))
    questions = [(q["q"], {ids[r] for r in q["relevant"]}) for q in QUESTIONS["demo"]]
    figures = _evaluate(client, questions)
    report(f"Demo newsroom: {len(questions)} questions, {len(ids)} articles", figures)
    _check(figures)


@pytest.mark.shared
def test_natural_questions_on_demo_newsroom_and_ant_sample(client):
    shared_file(ANT)  # skips (one summary line) in a clone without ../shared
    load_demo()
    ids = dict(Article.objects.values_list("slug", "pk"))
    ids.update(load_ant(ANT))
    questions = [(q["q"], {ids[r] for r in q["relevant"]}) for q in QUESTIONS["demo"]]
    questions += [(q["q"], {ids[r] for r in q["relevant"]}) for q in QUESTIONS["ant"]]
    figures = _evaluate(client, questions)
    report(f"Demo newsroom + ANT sample: {len(questions)} questions, {len(ids)} articles", figures)
    _check(figures)
