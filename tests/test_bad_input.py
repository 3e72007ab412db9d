"""Bad input through the command line: one line on stderr, the documented exit code,
no traceback, nothing half-written; in a corpus run, bad articles are listed in
errors.jsonl and the rest are built.

The corpus is tests/data/bad/ with EXPECTED.tsv; cases that are too big to commit
or cannot be committed (an empty folder, a missing path) are made here.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kg.errors import EXIT_INPUT, EXIT_OK, EXIT_PARTIAL
from kg.readers import read_documents
from kg.readers.jsonl import MAX_LINE
from kg.readers.text import MAX_ARTICLE_CHARS
from kg.safety import check_article_id, one_line, safe_filename, safe_path

REPO = Path(__file__).resolve().parent.parent
BAD = Path(__file__).parent / "data" / "bad"
BASE = "https://kg.example.org/"
ARTICLE = "مدیر کل آموزش و پرورش استان گیلان گفت: امسال ۱۲۰ مدرسه جدید ساخته شد.\n"


@dataclass
class Case:
    name: str
    inputs: list[Path]
    exit: int
    message: str = ""
    # (source suffix, line — None for a whole file, "*" for any line —, reason substring)
    errors: list[tuple[str, int | str | None, str]] | None = None


@dataclass
class Result:
    rc: int
    stdout: str
    stderr: str
    out: Path


def _expected() -> list[Case]:
    with open(BAD / "EXPECTED.tsv", encoding="utf-8", newline="") as fh:
        rows = [line for line in fh if not line.startswith("#")]
    cases = []
    for row in csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE):
        errors = None
        if row["errors"]:
            errors = []
            for item in row["errors"].split("|"):
                src, line, reason = item.split(":", 2)
                errors.append((src, None if line == "-" else line if line == "*" else int(line), reason))
        cases.append(Case(row["case"], [BAD / row["case"]], int(row["exit"]), row["message"], errors))
    return cases


def _generated(root: Path) -> list[Case]:
    """Cases made at test time: huge lines, empty folders, missing paths, hostile file names."""
    root.mkdir(parents=True, exist_ok=True)
    cases = []
    (root / "empty-folder").mkdir()
    cases.append(Case("gen-empty-folder", [root / "empty-folder"], EXIT_INPUT, "folder has no articles"))
    (root / "no-articles").mkdir()
    (root / "no-articles" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "no-articles" / "notes.docx").write_bytes(b"PK\x03\x04")
    cases.append(Case("gen-folder-without-articles", [root / "no-articles"], EXIT_INPUT, "folder has no articles"))
    cases.append(Case("gen-missing-path", [root / "nope" / "missing.txt"], EXIT_INPUT, "missing.txt: no such file"))
    # a missing path among good ones stops the run before anything is built
    cases.append(Case("gen-missing-among-good", [BAD / "ok-utf8.txt", root / "gone.jsonl"], EXIT_INPUT,
                      "gone.jsonl: no such file"))
    # a file name with a newline and a terminal escape: still one line, escaped
    odd = root / "odd\nname\x1b[31m.png"
    odd.write_bytes(b"\x89PNG\r\n\x1a\n")
    cases.append(Case("gen-newline-in-file-name", [odd], EXIT_INPUT, "odd name\\x1b[31m.png: unsupported file type"))

    too_long = root / "too-long.txt"
    too_long.write_text("ب" * (MAX_ARTICLE_CHARS + 1), encoding="utf-8")
    cases.append(Case("gen-article-too-long", [too_long], EXIT_INPUT, "article too long"))
    # one line of 200,000 characters without a break or sentence end: slow paths would show here
    one_line_article = root / "one-long-line.txt"
    one_line_article.write_text(ARTICLE.strip() + " " + "و آمار دیگر " * 16_000, encoding="utf-8")
    cases.append(Case("gen-one-long-line", [one_line_article], EXIT_OK))

    corpus = root / "long-lines.jsonl.gz"
    good = json.dumps({"id": "g-2", "text": ARTICLE}, ensure_ascii=False)
    with gzip.open(corpus, "wt", encoding="utf-8") as fh:
        fh.write('{"id": "g-1", "text": "' + "x" * (MAX_LINE + 10) + '"}\n')  # longer than any line kg reads
        fh.write(good + "\n")
        fh.write("[" * 100_000 + "]" * 100_000 + "\n")  # nested past the JSON parser's recursion limit
        fh.write('{"id": "g-4", "text": "متن", "n": ' + "9" * 5000 + "}\n")  # an integer past Python's digit limit
        fh.write(json.dumps({"id": "g-5", "text": "ا" * (MAX_ARTICLE_CHARS + 1)}, ensure_ascii=False) + "\n")
        fh.write(json.dumps({"id": "x" * 1000, "text": ARTICLE}, ensure_ascii=False) + "\n")
    cases.append(Case("gen-absurd-lines", [corpus], EXIT_PARTIAL, "", [
        ("long-lines.jsonl.gz", 1, "line longer than"),
        ("long-lines.jsonl.gz", 3, "malformed JSON"),
        ("long-lines.jsonl.gz", 4, "malformed JSON"),
        ("long-lines.jsonl.gz", 5, "article too long"),
        ("long-lines.jsonl.gz", 6, "'id' is longer than"),
    ]))

    truncated = root / "truncated.jsonl.gz"
    data = gzip.compress(("\n".join(json.dumps({"id": f"t-{i}", "text": ARTICLE}, ensure_ascii=False)
                                    for i in range(200)) + "\n").encode("utf-8"), mtime=0)
    truncated.write_bytes(data[: len(data) // 2])  # a cut-off download
    cases.append(Case("gen-truncated-gzip", [truncated], EXIT_PARTIAL, "", [
        ("truncated.jsonl.gz", "*", "file unreadable from here on")]))
    return cases


def _run(case: Case, out_root: Path) -> Result:
    out = out_root / case.name / "out"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    # corpus runs with failures use the default worker pool (a crash in a worker must be contained);
    # the rest run in-process, which is the same reading code and much quicker to start
    workers = [] if case.exit == EXIT_PARTIAL else ["--workers", "1"]
    r = subprocess.run([sys.executable, "-m", "kg", "build", *map(str, case.inputs), "-o", str(out), "--quiet",
                        "--ner", "rules", "--no-html", *workers],
                       capture_output=True, text=True, cwd=REPO, env=env, timeout=300)
    return Result(r.returncode, r.stdout, r.stderr, out)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[Case, Result]]:
    """Every case, run once, four at a time (each run is mostly interpreter start-up)."""
    root = tmp_path_factory.mktemp("bad")
    cases = _expected() + _generated(root / "gen")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda c: _run(c, root / "runs"), cases))
    return {c.name: (c, r) for c, r in zip(cases, results)}


CASE_NAMES = [c.name for c in _expected()] + [
    "gen-empty-folder", "gen-folder-without-articles", "gen-missing-path", "gen-missing-among-good",
    "gen-newline-in-file-name", "gen-article-too-long", "gen-one-long-line", "gen-absurd-lines",
    "gen-truncated-gzip"]


def test_expected_table_covers_every_file_in_the_corpus():
    listed = {c.name for c in _expected()}
    present = {p.name for p in BAD.iterdir() if p.name != "EXPECTED.tsv"}
    assert present == listed


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case(runs, name):
    case, r = runs[name]
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    assert r.rc == case.exit, r.stderr
    lines = r.stderr.splitlines()
    if case.message:
        assert len(lines) == 1, r.stderr
        assert lines[0].startswith("kg: error: ")
        assert case.message in lines[0]
    else:
        assert r.stderr == ""
    files = sorted(p.name for p in r.out.rglob("*")) if r.out.exists() else []
    assert not [f for f in files if f.endswith(".tmp")], files
    if case.exit not in (EXIT_OK, EXIT_PARTIAL):
        # only the run's private state (the journal in .kg/) may exist; no output file
        outputs = [p.name for p in r.out.iterdir() if p.name != ".kg"] if r.out.exists() else []
        assert outputs == [], "a failed run must not leave outputs"
        return
    assert {"graph.ttl", "claims.jsonl", "claims.csv"} <= set(files)
    Graph().parse(r.out / "graph.ttl", format="turtle")
    errors_file = r.out / "errors.jsonl"
    if case.exit == EXIT_OK:
        assert not errors_file.exists()
        return
    rows = [json.loads(line) for line in errors_file.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        assert {"source", "line", "reason"} <= row.keys()
    got = [(row["source"], row["line"], row["reason"]) for row in rows]
    assert len(got) == len(case.errors), got
    for (src, line, reason), (g_src, g_line, g_reason) in zip(case.errors, got):
        line_ok = isinstance(g_line, int) and g_line > 1 if line == "*" else g_line == line
        assert g_src.endswith(src) and line_ok and reason in g_reason, (src, line, reason, got)


def _claims(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "claims.jsonl").read_text(encoding="utf-8").splitlines()]


def test_every_encoding_reads_the_same_article(runs):
    """UTF-8 (with/without BOM), UTF-16 LE/BE and Windows-1256 give the same claims."""
    def key(name):
        return sorted((c["value"], c["unit"], c["measure"]) for c in _claims(runs[name][1].out))

    reference = key("ok-utf8.txt")
    assert len(reference) == 2
    for name in ("ok-utf8-bom.txt", "ok-utf16le-bom.txt", "ok-utf16be-bom.txt", "ok-cp1256.txt"):
        assert key(name) == reference, name


@pytest.mark.parametrize("name", ["ok-utf8-bom.txt", "ok-utf16be-bom.txt", "ok-cp1256.txt", "ok-bidi-controls.txt",
                                  "ok-hostile.txt", "ok-ids.jsonl", "ok-utf16.jsonl", "partial-mixed.jsonl"])
def test_claim_offsets_point_into_the_decoded_text(runs, name):
    _, r = runs[name]
    texts = {doc.id: doc.text for doc in read_documents([BAD / name], [])}
    claims = _claims(r.out)
    assert claims
    for c in claims:
        text = texts[c["document"]]
        assert 0 <= c["start"] < c["end"] <= len(text)
        assert text[c["start"]:c["end"]].strip()
        assert c["sentence"] in text


def test_hostile_ids_stay_inside_iris_and_the_output_folder(runs):
    case, r = runs["ok-ids.jsonl"]
    run_dir = r.out.parent
    assert sorted(p.name for p in run_dir.iterdir()) == ["out"]  # nothing written beside or above
    assert sorted(p.name for p in r.out.iterdir()) == [".kg", "claims.csv", "claims.jsonl", "consistency.jsonl",
                                                       "graph.ttl", "store"]
    g = Graph().parse(r.out / "graph.ttl", format="turtle")
    articles = {str(s) for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(BASE + "article/")}
    segments = {a[len(BASE + "article/"):].split("#")[0] for a in articles}
    top = {s.split("/")[0] for s in segments}
    assert len(top) == 9  # one node per id, none merged, none split
    for s in top:
        assert s not in ("", ".", "..") and not set(s) & set(' "<>\\^`{|}')
    documents = {c["document"] for c in _claims(r.out)}
    assert {"../../etc/x", "a b \"c' d", "42", "<script>alert(1)</script>", "CON"} <= documents


def test_hostile_text_is_escaped_in_the_html_page(tmp_path):
    from html.parser import HTMLParser

    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    r = subprocess.run([sys.executable, "-m", "kg", "build", str(BAD / "ok-hostile.txt"), "-o", str(out), "--quiet",
                        "--ner", "rules"], capture_output=True, text=True, cwd=REPO, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert "alert(1)" in page  # the text is there, as data
    assert "<script>alert(1)" not in page and "<img src=x onerror" not in page

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags = []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))

    parser = Tags()
    parser.feed(page)
    assert not [t for t, a in parser.tags if t == "img"]
    assert not [a for t, a in parser.tags if any(k.startswith("on") for k in a)]
    scripts_with_alert = [t for t, a in parser.tags if t == "script" and "alert" in json.dumps(a)]
    assert not scripts_with_alert


HOSTILE_PARAMS = ['" } ; DROP ALL ; #', "%s{0}</script>", "') } INSERT DATA { <a> <b> <c> } #", "\\\" . ?x ?y ?z"]


@pytest.mark.parametrize("value", HOSTILE_PARAMS)
def test_hostile_query_parameters_are_bound_not_pasted(runs, value):
    _, r = runs["ok-hostile.txt"]
    before = (r.out / "graph.ttl").read_bytes()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    q = subprocess.run([sys.executable, "-m", "kg", "query", str(r.out), "--name", "claims-by-person",
                        "--param", f"person={value}", "--format", "json"],
                       capture_output=True, text=True, cwd=REPO, env=env, timeout=300)
    assert q.returncode == 0, q.stderr
    assert json.loads(q.stdout) == []
    assert (r.out / "graph.ttl").read_bytes() == before


def test_query_parameter_still_finds_the_speaker_of_hostile_text(runs):
    _, r = runs["ok-hostile.txt"]
    speakers = {c["speaker"] for c in _claims(r.out)} - {None}
    assert len(speakers) == 1
    env = dict(os.environ, PYTHONPATH=str(REPO))
    q = subprocess.run([sys.executable, "-m", "kg", "query", str(r.out), "--name", "claims-by-person",
                        "--param", f"person={speakers.pop()}", "--format", "json"],
                       capture_output=True, text=True, cwd=REPO, env=env, timeout=300)
    assert q.returncode == 0, q.stderr
    rows = json.loads(q.stdout)
    assert any("</script><script>alert(1)</script>" in str(row.get("sentence")) for row in rows)


# --- the helpers that make untrusted strings safe ------------------------------------------------

HOSTILE_IDS = ["../../etc/x", "..", ".", "/abs/path", "a b \"c' d", "خبر ۱۲ \u200cویژه", "CON", "nul", "",
               "a\\b", "C:\\x", "x" * 5000, "\x00", "a\nb", "%2e%2e", "~root"]


@pytest.mark.parametrize("doc_id", HOSTILE_IDS)
def test_safe_filename_stays_in_its_folder(tmp_path, doc_id):
    name = safe_filename(doc_id, ".json")
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert len(name) < 200
    assert name.split(".")[0].lower() not in ("con", "nul")
    path = safe_path(tmp_path, doc_id, ".json")
    assert path.parent == tmp_path.resolve()


def test_safe_filename_is_injective_and_readable():
    names = [safe_filename(i) for i in HOSTILE_IDS + ["a_b", "a b", "a/b", "a-b", "خبر"]]
    assert len(set(names)) == len(names)
    assert safe_filename("خبر-۱۲") == "خبر-۱۲"  # a clean Persian id is kept as it is
    assert safe_filename("abna-2025-08-18") == "abna-2025-08-18"


def test_one_line_escapes_breaks_controls_and_bidi():
    msg = one_line("a\nb\r\nc\x1b[31m\u202etxt.exe\u2028" + "z" * 2000)
    assert "\n" not in msg and "\r" not in msg and "\x1b" not in msg and "\u202e" not in msg
    assert msg.startswith("a b c\\x1b[31m\\u202etxt.exe")
    assert len(msg) <= 600
    assert one_line("ساده\u200cسازی") == "ساده\u200cسازی"  # ZWNJ is text, not a control


@pytest.mark.parametrize("value, ok", [("x", True), (42, True), ("  y ", True), (True, False), (None, False),
                                       ([1], False), ("", False), ("a\x07", False), ("z" * 301, False)])
def test_check_article_id(value, ok):
    if ok:
        assert check_article_id(value) == str(value).strip()
    else:
        with pytest.raises(ValueError):
            check_article_id(value)
