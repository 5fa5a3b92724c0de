"""Scanner accuracy on the generated, labelled corpus (benchmarks/corpus.py).

The minimums asserted here are those reached and printed by `make bench`: precision and recall
of at least 0.98 for every structured type at column level, the individuals count within 1 %,
and decoy files (JAN codes, order and tracking numbers, amounts, dates, corporate numbers)
reporting no personal data.
"""

from __future__ import annotations

import pytest

from benchmarks.accuracy import TYPES, evaluate


@pytest.fixture(scope="module")
def score(tmp_path_factory):
    return evaluate(tmp_path_factory.mktemp("corpus"), variants=2)


def test_every_file_is_read(score):
    assert score.errors == []


@pytest.mark.parametrize("kind", TYPES)
def test_precision_and_recall_per_type(score, kind):
    assert score.tp.get(kind, 0) >= 1, f"the corpus has no {kind} column"
    assert score.precision(kind) >= 0.98, score.mistakes
    assert score.recall(kind) >= 0.98, score.mistakes


def test_individuals_within_one_percent(score):
    assert len(score.individuals) >= 15
    assert score.individuals_error() <= 0.01, score.individuals


def test_decoy_files_report_no_personal_data(score):
    assert score.decoys and not any(bad for _, bad in score.decoys)


def test_overall_minimums_match_the_real_shapes_goal(score):
    """The same goal as on tests/fixtures/realshapes (issue 15): column level ≥ 0.90 / 0.90."""
    from benchmarks.accuracy import overall

    precision, recall = overall(score)
    assert precision >= 0.90 and recall >= 0.90
