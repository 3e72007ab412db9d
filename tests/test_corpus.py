"""Corpus runs (kg.corpus): parallel = serial, resume, incremental reruns, Dask, bounded memory."""

from __future__ import annotations

import io
import json
import shutil
import zlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from conftest import ARTICLES, BASE
from kg.corpus import CorpusRun, RunOptions
from kg.corpus import work as work_module
from kg.corpus.executors import PoolExecutor, SerialExecutor
from kg.corpus.load import StoreLoader
from kg.graph.namespaces import PREFIXES
from kg.pipeline import Config
from kg.progress import Progress

N_ARTICLES = len(list(ARTICLES.glob("*.txt")))


def corpus(tmp_path: Path, n: int | None = None) -> Path:
    """A copy of the bundled articles (the first n) in a folder of its own."""
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(ARTICLES.glob("*.txt"))[:n]:
        shutil.copy(p, folder / p.name)
    return folder


def build(inputs, out: Path, **kw):
    options = RunOptions(inputs=list(inputs) if isinstance(inputs, (list, tuple)) else [inputs], out=out,
                         config=Config(ner="rules", base_iri=BASE), quiet=True, **kw)
    return CorpusRun(options).run()


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("claims.jsonl", "claims.csv", "consistency.jsonl", "graph.ttl")}


def store_quads(out: Path) -> set:
    st = ox.Store.read_only(str(out / "store"))
    return {str(q) for q in st}


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    summary = build([ARTICLES], out, workers=1)
    return out, summary


def test_serial_run_writes_everything(serial):
    out, summary = serial
    assert summary.articles == summary.processed == N_ARTICLES and summary.errors == 0
    for name in ("graph.ttl", "claims.jsonl", "claims.csv", "consistency.jsonl", "graph.html"):
        assert (out / name).stat().st_size > 0
    assert (out / "claims.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert summary.claims == len((out / "claims.jsonl").read_text(encoding="utf-8").splitlines())
    assert summary.people > 0 and summary.organizations > 0
    st = ox.Store.read_only(str(out / "store"))  # the counts are those of distinct entities over all articles
    for kind, n in (("schema:Person", summary.people), ("org:Organization", summary.organizations)):
        q = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH ?g {{ ?x a {kind} }} }}"
        assert int(next(iter(st.query(q, prefixes=PREFIXES)))["n"].value) == n


def test_turtle_is_the_union_of_the_article_graphs(serial):
    """graph.ttl (exported from the store) = union of the per-article named graphs = the store's default graph."""
    out, _ = serial
    st = ox.Store.read_only(str(out / "store"))
    named = [q.triple for q in st if not isinstance(q.graph_name, ox.DefaultGraph)]
    default = [q.triple for q in st.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    assert len(default) == len(set(named)) < len(named)  # shared nodes appear in several article graphs
    assert set(default) == set(named)
    ttl = Graph().parse(out / "graph.ttl", format="turtle")
    assert len(ttl) == len(default)


def test_one_named_graph_per_article(serial):
    out, _ = serial
    st = ox.Store.read_only(str(out / "store"))
    graphs = {g.value for g in st.named_graphs() if len(list(st.quads_for_pattern(None, None, None, g)))}
    assert len(graphs) == N_ARTICLES and all(g.startswith(BASE + "article/") for g in graphs)


def test_workers_give_the_same_output_as_one_process(serial, tmp_path):
    out1, _ = serial
    out2 = tmp_path / "out"
    summary = build([ARTICLES], out2, workers=2)
    assert summary.processed == N_ARTICLES
    assert outputs(out2) == outputs(out1)
    assert store_quads(out2) == store_quads(out1)


def test_dask_local_cluster_gives_the_same_output(serial, tmp_path):
    distributed = pytest.importorskip("distributed")
    out1, _ = serial
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as client:
        summary = build([ARTICLES], tmp_path / "a", executor="dask", scheduler=client)
        assert summary.processed == N_ARTICLES
        assert outputs(tmp_path / "a") == outputs(out1)
        # through the command line, by scheduler address
        from kg.cli import main

        rc = main(["build", str(ARTICLES), "-o", str(tmp_path / "b"), "--quiet", "--ner", "rules",
                   "--executor", "dask", "--scheduler", client.scheduler.address])
        assert rc == 0
        assert outputs(tmp_path / "b") == outputs(out1)


def test_rerun_skips_unchanged_articles(tmp_path):
    src = corpus(tmp_path, 6)
    out = tmp_path / "out"
    build([src], out, workers=1)
    before = outputs(out)
    second = build([src], out, workers=1)
    assert (second.processed, second.unchanged, second.articles) == (0, 6, 6)
    assert outputs(out) == before


def test_changed_and_removed_articles_are_replaced_not_duplicated(tmp_path):
    src = corpus(tmp_path, 6)
    out = tmp_path / "out"
    build([src], out, workers=1)
    files = sorted(src.glob("*.txt"))
    # change one article (its numbers), remove another
    changed = files[1]
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("۲", "۷").replace("2", "7"), encoding="utf-8")
    files[2].unlink()
    summary = build([src], out, workers=1)
    assert (summary.processed, summary.unchanged, summary.articles) == (1, 4, 5)
    clean = tmp_path / "clean"
    build([src], clean, workers=1)
    assert outputs(out) == outputs(clean)
    assert store_quads(out) == store_quads(clean)


@pytest.mark.parametrize("load_batch", [100_000, 300])
def test_interrupted_run_resumes_without_duplicates(tmp_path, monkeypatch, load_batch):
    # with small load batches the store already holds some graphs when the run stops
    monkeypatch.setattr("kg.corpus.load.LOAD_BATCH", load_batch)
    src = corpus(tmp_path, 10)
    out = tmp_path / "out"
    real = work_module.process_document
    calls = {"n": 0}

    def interrupting(doc, pipeline, digest=None, **kw):
        calls["n"] += 1
        if calls["n"] == 7:
            raise KeyboardInterrupt
        return real(doc, pipeline, digest, **kw)

    monkeypatch.setattr(work_module, "process_document", interrupting)
    with pytest.raises(KeyboardInterrupt):
        build([src], out, workers=1, chunk=1)
    monkeypatch.setattr(work_module, "process_document", real)
    assert not (out / "claims.jsonl").exists()  # final files only appear when a run finishes
    if load_batch < 1000:  # the store was filled while the run went on, and the journal knows how far
        import sqlite3

        db = sqlite3.connect(str(out / ".kg" / "journal.sqlite"))
        assert db.execute("SELECT COUNT(*) FROM articles WHERE loaded = 1").fetchone()[0] > 0
        db.close()
    resumed = build([src], out, workers=1)
    assert resumed.unchanged == 6 and resumed.processed == 4
    clean = tmp_path / "clean"
    build([src], clean, workers=1)
    assert outputs(out) == outputs(clean)
    assert store_quads(out) == store_quads(clean)
    lines = (out / "claims.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines))


def test_changed_configuration_reprocesses_everything(tmp_path):
    src = corpus(tmp_path, 3)
    out = tmp_path / "out"
    build([src], out, workers=1)
    options = RunOptions(inputs=[src], out=out, config=Config(ner="rules", base_iri="https://other.example/"),
                         quiet=True, workers=1)
    summary = CorpusRun(options).run()
    assert summary.processed == 3 and summary.reprocessed_all
    ttl = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "https://other.example/article/" in ttl and BASE + "article/" not in ttl
    # the store was emptied in one go (every article graph retired) and holds only the new results
    clean = tmp_path / "clean"
    CorpusRun(RunOptions(inputs=[src], out=clean, config=Config(ner="rules", base_iri="https://other.example/"),
                         quiet=True, workers=1)).run()
    assert store_quads(out) == store_quads(clean)


def test_failed_article_goes_to_errors_and_the_rest_is_built(tmp_path, monkeypatch):
    src = corpus(tmp_path, 4)
    victim = sorted(src.glob("*.txt"))[2].stem
    real = work_module.Pipeline.__call__

    def failing(self, doc):
        if doc.id == victim:
            raise ValueError("boom")
        return real(self, doc)

    monkeypatch.setattr(work_module.Pipeline, "__call__", failing)
    out = tmp_path / "out"
    summary = build([src], out, workers=1)
    assert summary.failed == 1 and summary.articles == 3
    (row,) = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert set(row) == {"source", "line", "document", "reason"}
    assert row["document"] == victim and "ValueError: boom" in row["reason"]
    assert victim not in {json.loads(x)["document"] for x in (out / "claims.jsonl").read_text(encoding="utf-8").splitlines()}
    # fixed: the failed article is retried, the others are not
    monkeypatch.setattr(work_module.Pipeline, "__call__", real)
    again = build([src], out, workers=1)
    assert (again.processed, again.unchanged, again.failed) == (1, 3, 0)
    assert not (out / "errors.jsonl").exists()


def test_repeated_id_is_reported_once(tmp_path):
    corpus_file = tmp_path / "c.jsonl"
    text = (ARTICLES / "gen-a-03.txt").read_text(encoding="utf-8")
    rows = [{"id": "x", "text": text}, {"id": "y", "text": text}, {"id": "x", "text": text + " "}]
    corpus_file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    summary = build([corpus_file], tmp_path / "out", workers=1)
    assert summary.articles == 2 and summary.failed == 1
    (row,) = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert row["line"] == 3 and row["document"] == "x"


# -- bounded memory, checked by structure (not by timing) ------------------------------------


def _counting_chunks(n_chunks: int, docs, pulled: list[int]):
    for i in range(n_chunks):
        pulled[0] += 1
        yield [docs[i % len(docs)]]


@pytest.mark.parametrize("kind", ["serial", "pool"])
def test_executor_pulls_the_reader_only_as_results_are_consumed(kind):
    from kg.corpus.work import content_hash
    from kg.readers import read_documents

    docs = [(d, content_hash(d)) for d in read_documents([ARTICLES / "gen-a-01.txt", ARTICLES / "gen-a-02.txt"])]
    config = Config(ner="rules", base_iri=BASE)
    ex = SerialExecutor(config) if kind == "serial" else PoolExecutor(config, 2, window_per_worker=2)
    window = 1 if kind == "serial" else ex.window
    pulled = [0]
    try:
        results = ex.map_ordered(_counting_chunks(40, docs, pulled))
        for consumed in range(1, 41):
            next(results)
            # never more than `window` chunks ahead of the consumer
            assert pulled[0] - consumed <= window
        assert pulled[0] == 40
    finally:
        ex.close()


def _article(i: int) -> tuple[str, str, bytes, int]:
    g = f"http://g/{i}"
    lines = f'<http://a/{i}> <http://p> "{i}" <{g}> .\n<http://shared> <http://p> "x" <{g}> .\n'
    return f"d{i}", g, zlib.compress(lines.encode()), 2


def test_store_loader_loads_in_batches_on_its_own_thread():
    st = ox.Store()
    loader = StoreLoader(st, batch=10)
    for i in range(25):
        loader.add(*_article(i))
    done = loader.close()
    assert sorted(done) == sorted(f"d{i}" for i in range(25))
    assert sum(1 for _ in st.named_graphs()) == 25
    # the default graph is the set union: the shared triple once
    union = list(st.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert len(union) == 26


def test_store_loader_error_stops_the_run_with_one_line():
    from kg.errors import KgError

    loader = StoreLoader(ox.Store(), batch=1)
    loader.add("bad", "http://g/bad", zlib.compress(b"<http://a> <http://p> broken <http://g> .\n"), 1)
    with pytest.raises(KgError, match="cannot load the articles into the store"):
        for i in range(200):  # the error arrives from the thread at a later call
            loader.add(*_article(i))
            loader.loaded()
        loader.close()


def test_store_loader_abort_keeps_only_what_was_loaded():
    st = ox.Store()
    loader = StoreLoader(st, batch=1000)
    for i in range(5):
        loader.add(*_article(i))  # below one batch: still pending
    assert loader.abort() == []
    assert len(st) == 0


def test_html_draws_a_bounded_sample(tmp_path):
    from kg.corpus.export import write_html_sample
    from kg.corpus.journal import Journal

    out = tmp_path / "out"
    build([ARTICLES], out, workers=1, html=False)
    journal = Journal(out / ".kg" / "journal.sqlite", "x")  # a new fingerprint: rows kept, marked stale
    try:
        drawn, triples = write_html_sample(journal, tmp_path / "g.html", budget=2000)
    finally:
        journal.close()
    assert 1 <= drawn < N_ARTICLES and triples <= 2000 or drawn == 1
    assert (tmp_path / "g.html").stat().st_size > 0


# -- progress ---------------------------------------------------------------------------------


class _Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_plain_lines_when_not_a_terminal():
    clock, stream = _Clock(), io.StringIO()
    p = Progress(stream=stream, every_seconds=10, clock=clock)
    for _ in range(100):
        clock.t += 0.5
        p.update()
    p.close()
    lines = stream.getvalue().splitlines()
    assert 4 <= len(lines) <= 5 and "\r" not in stream.getvalue()
    assert lines[-1].startswith("100 articles, 2.0/s")


def test_progress_redraws_one_line_on_a_terminal():
    clock, stream = _Clock(), _Tty()
    p = Progress(stream=stream, clock=clock)
    for _ in range(50):
        clock.t += 0.1
        p.update(skipped=0)
    p.update(0, failed=1)
    p.close()
    text = stream.getvalue()
    assert text.count("\r") >= 20 and text.endswith("\n") and text.count("\n") == 1
    assert "/s" in text and "1 failed" in text


def test_quiet_progress_prints_nothing():
    clock, stream = _Clock(), _Tty()
    p = Progress(stream=stream, clock=clock, quiet=True)
    for _ in range(50):
        clock.t += 1
        p.update()
    p.close()
    assert stream.getvalue() == ""


def _assert_fast_nquads_equal_the_graph_builder(doc, name: str) -> None:
    from kg.corpus.fastgraph import article_nquads
    from kg.graph.build import document_graph

    graph = document_graph(doc, BASE)
    iri, n_triples, data = article_nquads(doc, BASE)
    assert iri == str(graph.identifier) and n_triples == len(graph), name
    lines = data.decode("utf-8").splitlines(keepends=True)
    assert lines == sorted(set(lines)) and len(lines) == n_triples, name
    parsed = Dataset()
    parsed.parse(data=data, format="nquads")
    assert set(parsed.graph(graph.identifier)) == set(graph), name
    quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))  # a strict parser agrees, one graph per article
    assert len(quads) == n_triples and {q.graph_name.value for q in quads} == {iri}, name


def test_fast_nquads_equal_the_graph_builder(process):
    """The corpus run's rdflib-free path writes exactly document_graph's triples."""
    for path in sorted(ARTICLES.glob("*.txt")):
        _assert_fast_nquads_equal_the_graph_builder(process(path), path.name)


def test_fast_nquads_equal_the_graph_builder_on_hostile_text(rules_pipeline):
    """Quotes, backslashes, line breaks, ``>`` and bidi controls stay inside their terms."""
    from kg.document import Document, Metadata

    nasty = 'a"b\\c\nd\re> . <x> <y> "z \u202eRTL\u202c \u200f'
    text = (f"به گزارش ایرنا، علی رضایی‌پور مدیرکل بهزیستی استان فارس گفت: «{nasty}» "
            f"۱۲۰ خانوار \"تحت\" پوشش قرار گرفتند.\n{nasty} وزیر کشور گفت ۳۵ درصد افزایش یافت.")
    meta = Metadata(url='https://e.org/a b<c>"d{e}|f^g`h\\i\n> .', publisher='ایرنا "\\ >',
                    date="2024-03-05", title=nasty)
    doc = rules_pipeline(Document(id=f"id {nasty}", text=text, metadata=meta))
    assert doc.claims and doc.people
    _assert_fast_nquads_equal_the_graph_builder(doc, "hostile")


def test_nquads_escape_hostile_text():
    from rdflib import Literal, URIRef

    from kg.corpus.nquads import triples_nquads

    s, p = URIRef("https://kg.example.org/article/x"), URIRef("https://schema.org/url")
    nasty = [Literal('a"b\\c\nd\re> . <x> <y> "z'), Literal("x", lang="fa"),
             URIRef('https://e.org/a b<c>"d{e}|f^g`h\\i'), Literal("۱۲", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))]
    data = triples_nquads([(s, p, o) for o in nasty], str(s))
    quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == 4 and all(q.graph_name.value == str(s) for q in quads)
    values = {q.object.value for q in quads}
    assert 'a"b\\c\nd\re> . <x> <y> "z' in values
    assert "https://e.org/a%20b%3Cc%3E%22d%7Be%7D%7Cf%5Eg%60h%5Ci" in values


def test_a_worker_that_dies_on_one_article_does_not_stop_the_run(tmp_path):
    """A hard crash (segfault, out of memory) in a worker: only that article fails."""
    import json
    import os
    import subprocess
    import sys

    texts = [f"به گزارش ایرنا، علی رضایی‌پور مدیرکل بهزیستی استان فارس گفت: {n} خانوار تحت پوشش قرار گرفتند."
             for n in range(100, 112)]
    texts[5] = texts[5].replace("خانوار", "خانوار CRASH-HERE")
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"a{i}", "text": t}, ensure_ascii=False) + "\n"
                              for i, t in enumerate(texts)), encoding="utf-8")
    out = tmp_path / "out"
    env = dict(os.environ, KG_FAULT_CRASH_MARKER="CRASH-HERE")
    r = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "-o", str(out), "--workers", "2",
                        "--quiet", "--no-html"], capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 4, r.stderr
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["document"] for e in errors] == ["a5"] and "worker process died" in errors[0]["reason"]
    docs = {json.loads(line)["document"] for line in (out / "claims.jsonl").read_text(encoding="utf-8").splitlines()}
    assert docs == {f"a{i}" for i in range(12)} - {"a5"}
