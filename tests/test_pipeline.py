"""The stage registry: order checks, batching, up-front loading."""

from __future__ import annotations

import pytest

from conftest import gold_articles
from kg.errors import KgError
from kg.pipeline import Config, Pipeline
from kg.readers import read_documents


def test_stage_order_is_checked():
    with pytest.raises(KgError, match="needs"):
        Pipeline(Config(ner="rules"), stages=["normalize", "claims"])


def test_unknown_stage_is_a_clear_error():
    with pytest.raises(KgError, match="unknown pipeline stage"):
        Pipeline(Config(ner="rules"), stages=["normalize", "nope"])


def test_batched_pipe_gives_the_same_claims_as_one_by_one():
    paths = gold_articles()[:6]
    one = Pipeline(Config(ner="rules"))
    many = Pipeline(Config(ner="rules"))
    singles = [one(d) for d in read_documents(paths)]
    batched = list(many.pipe(read_documents(paths), batch_size=4))
    assert [d.id for d in singles] == [d.id for d in batched]
    for a, b in zip(singles, batched):
        assert [(c.value, c.unit, c.speaker) for c in a.claims] == [(c.value, c.unit, c.speaker) for c in b.claims]
        assert b.done[-1] == "claims"


def test_prepare_reports_a_missing_stanza_model_once(tmp_path):
    p = Pipeline(Config(ner="stanza", stanza_ner_model=tmp_path / "missing.pt"))
    with pytest.raises(KgError) as err:
        p.prepare()
    message = str(err.value)
    assert "\n" not in message and "missing.pt" in message
