"""Entities on the hand-annotated dev set: precision/recall/F1 per type with the rules backend.

Names are compared after normalisation, with gazetteer aliases mapped to their
canonical name ("گمرک ایران" = "گمرک جمهوری اسلامی ایران").
"""

from __future__ import annotations

import pytest

from conftest import gold_articles, load_gold
from kg.evaluate import Score, score_entities

FLOORS = {"PER": 0.95, "ORG": 0.85, "LOC": 0.85}


def test_dev_set_is_big_enough():
    assert len(gold_articles()) >= 25


@pytest.fixture(scope="module")
def scores(process) -> dict[str, Score]:
    total = {t: Score() for t in FLOORS}
    for path in gold_articles():
        for t, s in score_entities(process(path), load_gold(path)).items():
            total[t].add(s)
    return total


@pytest.mark.parametrize("label", FLOORS)
def test_entity_f1_floor(scores, label):
    s = scores[label]
    assert s.f1 >= FLOORS[label], f"{label}: P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} {s}"
