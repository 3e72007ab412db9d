"""`kg evaluate`: gold files scored through the command line, as an annotator runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from conftest import HELDOUT, SEED, gold_articles, load_gold
from kg.evaluate import score_claims


def kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=300)


def _copy(article, folder, gold: dict | None = None):
    shutil.copy(article, folder / article.name)
    text = json.dumps(gold if gold is not None else load_gold(article), ensure_ascii=False)
    (folder / (article.stem + ".gold.json")).write_text(text, encoding="utf-8")
    return folder / article.name


def test_json_totals_match_the_library(tmp_path, process):
    article = _copy(SEED, tmp_path)
    r = kg("evaluate", str(tmp_path), "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    want = score_claims(process(SEED), load_gold(SEED))
    got = out["total"]["claims"]
    assert (got["tp"], got["fp"], got["fn"]) == (want.claims.tp, want.claims.fp, want.claims.fn)
    assert got["tp"] == 16 and [a["article"] for a in out["articles"]] == [article.name]
    assert set(out["total"]["entities"]) == {"PER", "ORG", "LOC"}


def test_table_has_a_row_per_article_and_a_total():
    r = kg("evaluate", str(HELDOUT))
    assert r.returncode == 0, r.stderr
    rows = [line for line in r.stdout.splitlines() if line.startswith("| ")]
    names = [row.split("|")[1].strip() for row in rows[1:]]
    assert names == [p.name for p in gold_articles(HELDOUT)] + ["**total**"]


def test_a_wrong_gold_value_is_a_miss_and_fails_the_threshold(tmp_path):
    gold = load_gold(SEED)
    gold["claims"][0]["value"] = 123456789  # no such figure in the article
    _copy(SEED, tmp_path, gold)
    r = kg("evaluate", str(tmp_path), "--misses", "--fail-under", "0.99")
    assert r.returncode == 1
    assert "missed 123456789" in r.stdout
    assert "below 0.99" in r.stderr
    assert kg("evaluate", str(tmp_path), "--fail-under", "0.5").returncode == 0


def test_bad_gold_and_missing_gold_are_one_line_errors(tmp_path):
    article = _copy(SEED, tmp_path)
    (tmp_path / (SEED.stem + ".gold.json")).write_text("{not json", encoding="utf-8")
    r = kg("evaluate", str(article))
    assert r.returncode == 3 and "not a readable gold file" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    (tmp_path / (SEED.stem + ".gold.json")).write_text('{"claims": [{"value": 1}]}', encoding="utf-8")
    r = kg("evaluate", str(article))
    assert r.returncode == 3 and "needs a 'value' and a 'unit'" in r.stderr
    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / "a.txt").write_text("date 2025-01-01\n\nیک خبر", encoding="utf-8")
    for target in (lone, lone / "a.txt", tmp_path / "missing.txt"):
        r = kg("evaluate", str(target))
        assert r.returncode == 3 and len(r.stderr.strip().splitlines()) == 1, r.stderr
