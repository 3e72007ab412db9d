"""`kg build --ner stanza` end to end with the tiny self-trained Stanza model (real Stanza code path, offline)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import SEED
from stanza_fixtures import tiny_stanza_model  # noqa: F401  (session fixture)


def _build(tmp_path, model, ner: str):
    out = tmp_path / ner
    r = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(SEED), "-o", str(out), "--quiet", "--no-html",
         "--ner", ner, "--stanza-ner-model", str(model)],
        capture_output=True, text=True, timeout=600,
    )
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in (out / "claims.jsonl").read_text(encoding="utf-8").splitlines()]


def test_build_with_stanza_backend(tmp_path, tiny_stanza_model):
    rows = _build(tmp_path, tiny_stanza_model, "stanza")
    # the statistics come from the text layer; the tiny model only has to run for real
    assert len(rows) >= 10
    assert all(0 <= r["start"] < r["end"] for r in rows)


def test_build_with_combined_backend_keeps_the_seed_right(tmp_path, tiny_stanza_model):
    rows = _build(tmp_path, tiny_stanza_model, "combined")
    speakers = {r["speaker"] for r in rows}
    assert {"مرتضی حیدری", "علی اکبر زارعی"} <= speakers
    assert len(rows) >= 16
