"""`kg build` end to end through the command line, as a user runs it."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest
from rdflib import Graph

from conftest import ARTICLES, SEED

REQUIRED_KEYS = {"document", "value", "unit", "approximate", "direction", "measure", "speaker", "speaker_iri",
                 "agency", "agency_iri", "sentence", "start", "end"}


def kg(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed")
    r = kg("build", str(SEED), "-o", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    return out


def test_outputs_exist(seed_out):
    for name in ("graph.ttl", "claims.jsonl", "claims.csv", "consistency.jsonl", "graph.html"):
        assert (seed_out / name).stat().st_size > 0, name
    assert not (seed_out / "errors.jsonl").exists()


def test_graph_parses_back(seed_out):
    g = Graph().parse(seed_out / "graph.ttl", format="turtle")
    assert len(g) > 100


def test_claims_jsonl_contract(seed_out):
    rows = [json.loads(line) for line in (seed_out / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 16
    text = SEED.read_text(encoding="utf-8")
    for row in rows:
        assert REQUIRED_KEYS <= row.keys()
        assert isinstance(row["value"], (int, float)) and not isinstance(row["value"], bool)
        assert 0 <= row["start"] < row["end"] <= len(text)
        # the offsets point at the number inside its sentence, in the original text
        assert row["sentence"] in text
        assert text[row["start"]:row["end"]] in row["sentence"]


def test_claims_csv_opens_as_utf8_spreadsheet(seed_out):
    raw = (seed_out / "claims.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == 16
    assert {r["speaker"] for r in rows} == {"مرتضی حیدری", "علی اکبر زارعی"}


def test_consistency_report(seed_out):
    (row,) = [json.loads(line) for line in (seed_out / "consistency.jsonl").read_text(encoding="utf-8").splitlines()]
    assert row["total"] == 31673 and sorted(row["parts"]) == [12973, 18700] and row["consistent"] is True


def test_folder_of_articles(tmp_path):
    out = tmp_path / "out"
    r = kg("build", str(ARTICLES), "-o", str(out), "--quiet", "--no-html")
    assert r.returncode == 0, r.stderr
    docs = {json.loads(line)["document"] for line in (out / "claims.jsonl").read_text(encoding="utf-8").splitlines()}
    assert len(docs) >= 30


def test_missing_input_is_one_line_error(tmp_path):
    r = kg("build", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "out"))
    assert r.returncode == 3
    assert r.stderr.count("\n") == 1 and "no such file" in r.stderr
    assert not (tmp_path / "out" / "claims.jsonl").exists()


def test_load_a_build_folder_into_another_store(seed_out, tmp_path):
    # `kg build` fills DIR/store; `kg load DIR` sends its article graphs on, one named graph each
    r = kg("load", str(seed_out), "--store", str(tmp_path / "copy"), "-q")
    assert r.returncode == 0, r.stderr
    r = kg("query", str(tmp_path / "copy"), "--name", "totals", "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert "31673" in r.stdout


def test_outputs_are_readable_by_others(seed_out):
    import stat

    for name in ("graph.ttl", "claims.jsonl", "claims.csv", "graph.html"):
        assert (seed_out / name).stat().st_mode & stat.S_IROTH, name
