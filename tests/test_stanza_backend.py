"""The Stanza NER backend on the real Stanza code path, with the tiny self-trained model.

Offline: the model is trained from our lexicons (see `kg.entities.ner.tiny_model`)
and loaded with ``download_method=None`` and an explicit ``ner_model_path``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from stanza_fixtures import ROOT, tiny_model_dir, tiny_stanza_model  # noqa: F401  (fixture)

from kg.cli import main as kg_main
from kg.document import Document, Mention, Sentence, Token
from kg.entities.ner.base import create_backend
from kg.entities.ner.stanza_backend import (
    NO_MODEL_MESSAGE,
    CombinedNer,
    StanzaNer,
    map_tag,
    merge_mentions,
    sentence_token_groups,
    stanza_available,
)
from kg.errors import KgError
from kg.pipeline import Config, Pipeline
from kg.readers import read_documents
from kg.text.normalize import clean, normalize

SEED = ROOT / "tests" / "data" / "articles" / "abna-2025-08-18-qom.txt"


def prepared(text: str, doc_id: str = "t") -> Document:
    return Pipeline(Config(ner="rules"), stages=("normalize", "segment"))(Document(id=doc_id, text=text))


@pytest.fixture(scope="module")
def ner(tiny_stanza_model) -> StanzaNer:
    return StanzaNer(Config(ner="stanza", stanza_ner_model=tiny_stanza_model, stanza_batch_size=2))


def by_label(doc: Document, mentions: list[Mention], label: str) -> list[str]:
    return [doc.text[m.start : m.end] for m in mentions if m.label == label]


# -- no Stanza needed ----------------------------------------------------------------


def test_importing_the_backend_imports_neither_stanza_nor_torch():
    code = "import sys, kg.entities.ner.stanza_backend; print('stanza' in sys.modules, 'torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    "tag, expected",
    [("PER", ("PER", None)), ("ORG", ("ORG", None)), ("LOC", ("LOC", None)), ("FAC", ("LOC", "facility")),
     ("PRO", ("MISC", "product")), ("EVENT", ("MISC", "event")), ("NORP", ("MISC", "norp"))],
)
def test_stanza_tags_map_to_our_labels(tag, expected):
    assert map_tag(tag) == expected


def _m(start, end, label, source="rules", gid=None):
    return Mention(start, end, label, "x" * (end - start), source=source, gazetteer_id=gid)


def test_merge_prefers_rules_mentions_with_gazetteer_ids_and_titles():
    rules = [_m(0, 5, "LOC", gid="province:qom"), _m(10, 30, "TITLE"), _m(40, 45, "ORG")]
    neural = [
        _m(0, 9, "ORG", "stanza"),  # longer, but the rules one knows its entity
        _m(12, 35, "ORG", "stanza"),  # overlaps a TITLE: titles are kept
        _m(40, 52, "ORG", "stanza"),  # longer than a rules mention without id: replaces it
        _m(60, 70, "PER", "stanza"),  # no overlap: added
    ]
    merged = merge_mentions(rules, neural)
    assert [(m.start, m.end, m.source) for m in merged] == [
        (0, 5, "rules"), (10, 30, "rules"), (40, 52, "stanza"), (60, 70, "stanza")
    ]


def test_merge_keeps_the_rules_mention_on_a_tie_and_nested_rules_mentions():
    rules = [_m(0, 30, "TITLE"), _m(12, 20, "ORG", gid="org:x"), _m(40, 48, "PER")]
    merged = merge_mentions(rules, [_m(40, 48, "ORG", "stanza"), _m(44, 47, "LOC", "stanza")])
    assert [(m.start, m.end, m.label, m.source) for m in merged] == [
        (0, 30, "TITLE", "rules"), (12, 20, "ORG", "rules"), (40, 48, "PER", "rules")
    ]


def test_tokens_are_grouped_by_sentence_and_long_sentences_are_cut():
    doc = Document(id="g", text="x" * 100, body_start=3)
    doc.tokens = [Token(i * 4, i * 4 + 3, "t") for i in range(25)]  # starts 0, 4, ..., 96
    doc.sentences = [Sentence(4, 40, 0), Sentence(44, 100, 0)]
    groups = sentence_token_groups(doc, limit=5)
    assert groups == [[1, 2, 3, 4, 5], [6, 7, 8, 9], [11, 12, 13, 14, 15], [16, 17, 18, 19, 20], [21, 22, 23, 24]]
    doc.sentences = []
    assert sentence_token_groups(doc, limit=100) == [list(range(1, 25))]  # body only


def test_no_model_is_a_one_line_error(tmp_path):
    config = Config(ner="stanza", stanza_dir=tmp_path)
    assert not stanza_available(config)
    with pytest.raises(KgError) as err:
        create_backend("stanza", config)
    assert str(err.value) == NO_MODEL_MESSAGE
    assert "\n" not in str(err.value)


def test_missing_model_file_is_named_in_the_error(tmp_path):
    missing = tmp_path / "nope.pt"
    config = Config(ner="stanza", stanza_dir=tmp_path, stanza_ner_model=missing)
    assert not stanza_available(config)
    with pytest.raises(KgError, match="nope.pt"):
        create_backend("stanza", config)


def test_auto_falls_back_to_rules_without_a_model(tmp_path):
    assert create_backend("auto", Config(stanza_dir=tmp_path)).name == "rules"


def test_a_broken_model_file_is_a_one_line_error(tmp_path):
    bad = tmp_path / "broken.pt"
    bad.write_bytes(b"not a torch file")
    backend = create_backend("stanza", Config(ner="stanza", stanza_dir=tmp_path, stanza_ner_model=bad))
    with pytest.raises(KgError) as err:
        backend.annotate([prepared("علی رضایی گفت.")])
    assert str(err.value).startswith("could not load the Stanza Persian NER model: ")
    assert "\n" not in str(err.value)
    with pytest.raises(KgError, match="could not load"):  # remembered, not retried per article
        backend.annotate([prepared("سعید کاظمی گفت.")])


@pytest.mark.parametrize("value", ["0", "two"])
def test_bad_thread_option_is_a_one_line_error(tiny_stanza_model, value):
    with pytest.raises(KgError, match="stanza_threads"):
        StanzaNer(Config(stanza_ner_model=tiny_stanza_model, options={"stanza_threads": value}))


# -- kg models -------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_models_download_without_network_is_one_line_and_quick(tmp_path):
    # a closed loopback port stands in for an unreachable hub, so CI never downloads
    cmd = [sys.executable, "-m", "kg", "models", "download", "--dir", str(tmp_path / "res"),
           "--resources-url", f"http://127.0.0.1:{_closed_port()}", "--timeout", "5"]
    t0 = time.monotonic()
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert time.monotonic() - t0 < 60
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith(
        "kg: error: could not download Stanza models for fa from the model hub (network unreachable?): "
    )
    assert len(lines[0]) < 300


def test_models_list_and_path_show_the_tiny_model(tiny_stanza_model, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("KG_TINY_NER_DIR", str(tiny_model_dir()))
    assert kg_main(["models", "list", "--dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"resources: {tmp_path}" in out and "no fa models" in out
    assert f"tiny test model: {tiny_stanza_model}  present, up to date" in out
    assert kg_main(["models", "path", "--tiny"]) == 0
    assert capsys.readouterr().out.strip() == str(tiny_stanza_model)
    assert kg_main(["models", "path", "--dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path)
    monkeypatch.setenv("KG_TINY_NER_DIR", str(tmp_path / "none"))
    assert kg_main(["models", "path", "--tiny"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kg: error: no tiny NER model at ")


# -- the real Stanza code path -----------------------------------------------------------


def test_tiny_model_counts_as_available(tiny_stanza_model, tmp_path):
    config = Config(stanza_dir=tmp_path, stanza_ner_model=tiny_stanza_model)
    assert stanza_available(config)
    assert isinstance(create_backend("auto", config), CombinedNer)


def test_finds_a_person_and_an_organisation_in_an_unseen_sentence(ner):
    # frame written for this test (in no template), names from the lexicons
    doc = prepared(
        "به گزارش ایرنا، دکتر کامران نوروزی مدیرکل اداره کل راه و شهرسازی استان گیلان "
        "روز یکشنبه گفت: ساخت ۱۲ کیلومتر جاده تا پایان سال تمام می‌شود."
    )
    (mentions,) = ner.annotate([doc])
    assert "کامران نوروزی" in by_label(doc, mentions, "PER")
    assert any("راه و شهرسازی" in o for o in by_label(doc, mentions, "ORG"))
    assert all(m.source == "stanza" for m in mentions)
    assert mentions == sorted(mentions, key=lambda m: (m.start, m.end))


def test_offsets_point_into_the_original_text_with_arabic_letters_and_persian_digits(ner):
    text = "مهندس سعيد كاظمي رئيس سازمان بهزيستي استان كرمان اعلام كرد: ۳۵۰ نفر از این خدمات بهره بردند."
    doc = prepared(text)
    (mentions,) = ner.annotate([doc])
    assert "سعيد كاظمي" in by_label(doc, mentions, "PER")  # the original, Arabic-lettered surface
    assert any(o.startswith("سازمان بهزيستي") for o in by_label(doc, mentions, "ORG"))
    for m in mentions:
        assert clean(doc.text[m.start : m.end]) == m.text  # text is the normalised surface


def test_offsets_survive_missing_zwnj_and_a_metadata_header(ner):
    body = "وی گفت: رئیس دانشگاه تهران و مریم سلطانی در نشست های خبری بینالمللی شرکت کردند."
    header = "date 2025-01-02\n"
    doc = prepared(header + body)
    doc.body_start = len(header)
    doc.sentences = [s for s in doc.sentences if s.start >= doc.body_start]
    (mentions,) = ner.annotate([doc])
    assert "مریم سلطانی" in by_label(doc, mentions, "PER")
    for m in mentions:
        assert m.start >= doc.body_start
        assert normalize(doc.text[m.start : m.end]).text == m.text


def test_batches_give_the_same_mentions_as_single_documents(ner):
    texts = [
        "سخنگوی وزارت امور خارجه، ناصر کیانی، درباره سفر هیئت ترکیه به تهران توضیح داد.",
        "",
        "مهندس سعید کاظمی رئیس سازمان بهزیستی استان کرمان اعلام کرد.",
        "شهردار اصفهان با همراهی مریم سلطانی از پروژه های عمرانی این شهر بازدید کرد.",
    ]
    docs = [prepared(t, f"d{i}") for i, t in enumerate(texts)]
    together = ner.annotate(docs)
    alone = [ner.annotate([d])[0] for d in docs]
    assert together == alone
    assert together[1] == []
    assert sum(len(ms) for ms in together) >= 4


def test_the_seed_article_runs_through_the_stanza_pipeline(tiny_stanza_model):
    (doc,) = list(read_documents([SEED]))
    pipe = Pipeline(Config(ner="stanza", stanza_ner_model=tiny_stanza_model), stages=("normalize", "segment", "ner"))
    pipe(doc)
    assert doc.mentions, "the tiny model finds something in the seed article"
    for m in doc.mentions:
        assert m.source == "stanza" and m.start >= doc.body_start
        assert normalize(doc.text[m.start : m.end]).text.split() == m.text.split()
    assert any(m.label == "PER" for m in doc.mentions)


def test_combined_keeps_rules_knowledge_and_adds_stanza_people(tiny_stanza_model):
    # a bare surname before a speech verb: the rules backend has no cue for it, Stanza does
    text = "نوروزی افزود: سخنگوی وزارت امور خارجه درباره سفر هیئت ترکیه به کاشان توضیح داد."
    config = Config(ner="combined", stanza_ner_model=tiny_stanza_model)
    doc = prepared(text)
    combined = create_backend("combined", config).annotate([doc])[0]
    rules = create_backend("rules", config).annotate([doc])[0]
    for r in rules:
        if r.gazetteer_id or r.label == "TITLE":
            assert r in combined
    assert any(m.gazetteer_id for m in combined) and any(m.label == "TITLE" for m in combined)
    added = [m for m in combined if m.source == "stanza"]
    assert [(doc.text[m.start : m.end], m.label) for m in added if m.label == "PER"] == [("نوروزی", "PER")]
    spans = [(m.start, m.end) for m in combined]
    assert spans == sorted(spans)
