"""The tiny NER corpus generator and the model trained from it."""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace

import pytest
from stanza_fixtures import tiny_model_dir, tiny_stanza_model  # noqa: F401  (fixture)

from kg.entities.ner import tiny_model as tm
from kg.resources import load_table
from kg.text.normalize import ZWNJ, fold, normalize

SMALL = tm.TrainSettings(train_sentences=300, dev_sentences=20, test_sentences=60)


@pytest.fixture(scope="module")
def corpus():
    return tm.generate_corpus(SMALL)


def test_surnames_lexicon_loads():
    rows = load_table("surnames")
    assert len(rows) >= 140
    fa = [r["fa"] for r in rows]
    assert len(set(fa)) == len(fa)
    assert all(r["en"] and r["en"].isascii() for r in rows)
    assert all(not any(c.isascii() for c in name) for name in fa)
    assert "حسین\u200cزاده" in fa  # ZWNJ kept inside compounds


def test_generation_is_deterministic_for_a_seed(corpus):
    again = tm.generate_corpus(SMALL)
    assert [s.text for s in again["train"]] == [s.text for s in corpus["train"]]
    other = tm.generate_corpus(replace(SMALL, seed=SMALL.seed + 1))
    assert [s.text for s in other["train"]] != [s.text for s in corpus["train"]]


def test_test_split_uses_held_out_frames_and_names(corpus):
    assert not set(tm.TEST_TEMPLATES) & set(tm.TRAIN_TEMPLATES)
    pools = tm.load_pools()
    train, test = tm.split_pools(pools, random.Random(0))
    assert train.surnames and test.surnames and not set(train.surnames) & set(test.surnames)
    assert not set(train.given) & set(test.given)
    assert sorted(train.surnames + test.surnames) == pools.surnames


def test_every_slot_in_every_template_is_known():
    rng = random.Random(3)
    pools = tm.load_pools()
    for template in tm.TRAIN_TEMPLATES + tm.TEST_TEMPLATES:
        for slot in re.findall(r"\{(\w+)\}", template):
            assert tm._fill(slot, rng, pools)


def test_spans_cover_exactly_the_generated_entities(corpus):
    for s in corpus["train"][:100] + corpus["test"]:
        for start, end, label in s.spans:
            piece = s.text[start:end]
            assert piece == piece.strip() and piece, s.text
            assert label in ("PER", "ORG", "LOC")


def test_some_sentences_lose_their_zwnj_like_real_news(corpus):
    never = tm.generate_corpus(replace(SMALL, zwnj_drop=0.0))["train"]
    always = tm.generate_corpus(replace(SMALL, zwnj_drop=1.0))["train"]
    assert sum(ZWNJ in s.text for s in never) > 50
    assert not any(ZWNJ in s.text for s in always)
    assert 0 < sum(ZWNJ in s.text for s in corpus["train"]) < sum(ZWNJ in s.text for s in never)


def test_bio_tags_rebuild_the_entities(corpus):
    for s in corpus["train"][:150] + corpus["test"]:
        tokens = tm.bio_tokens(s)
        doc = tm.tokenize(s.text)
        assert [t["text"] for t in tokens] == [t.text for t in doc.tokens]
        entities, current = [], None
        for tok in tokens:
            tag = tok["ner"]
            assert tag == "O" or re.fullmatch(r"[BI]-(PER|ORG|LOC)", tag)
            if tag.startswith("I-"):
                assert current is not None and current[0] == tag[2:], tokens  # I- follows its B-
                current[1].append(tok["text"])
            else:
                current = [tag[2:], [tok["text"]]] if tag.startswith("B-") else None
                if current:
                    entities.append(current)
        assert [(lab, fold(" ".join(ws))) for lab, ws in entities] == [
            (lab, fold(normalize(s.text[a:b]).text)) for a, b, lab in s.spans
        ]


def test_fingerprint_follows_the_settings():
    assert tm.fingerprint(SMALL) == tm.fingerprint(replace(SMALL))
    assert tm.fingerprint(SMALL) != tm.fingerprint(replace(SMALL, max_steps=SMALL.max_steps + 1))


def test_a_model_from_other_inputs_is_not_reused(tmp_path):
    assert tm.cached_model(tmp_path) is None
    (tmp_path / tm.MODEL_NAME).write_bytes(b"x")
    (tmp_path / tm.META_NAME).write_text(json.dumps({"fingerprint": "0" * 16}), encoding="utf-8")
    assert tm.cached_model(tmp_path) is None
    (tmp_path / tm.META_NAME).write_text("{not json", encoding="utf-8")
    assert tm.cached_model(tmp_path) is None


def test_the_trained_model_is_cached_and_scored(tiny_stanza_model):
    meta = json.loads((tiny_model_dir() / tm.META_NAME).read_text(encoding="utf-8"))
    assert meta["fingerprint"] == tm.fingerprint(tm.TrainSettings())
    assert tiny_stanza_model.stat().st_size > 10_000
    for split in ("train", "dev", "test"):
        data = json.loads((tiny_model_dir() / f"{split}.json").read_text(encoding="utf-8"))
        assert len(data) == meta["sentences"][split]
        assert set(data[0][0]) == {"text", "ner"}
    # a code-path check, not a quality claim: far above chance, on held-out frames and names
    assert meta["test"]["gold"] > 500
    assert meta["test"]["precision"] > 0.5 and meta["test"]["recall"] > 0.5


def test_the_cli_reuses_a_matching_model(tiny_stanza_model, capsys):
    assert tm.main(["--out", str(tiny_model_dir())]) == 0
    assert capsys.readouterr().out.strip() == f"{tiny_stanza_model}: up to date"
