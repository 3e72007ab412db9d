"""Corpus-scale benchmarks, side by side in one run on one machine; prints a Markdown table.

    python benchmarks/run.py                       # 1k, 10k, 100k articles (slow: the 100k run alone is long)
    python benchmarks/run.py --sizes 1000,10000    # a quicker run
    python benchmarks/run.py --profile             # pyinstrument report of the per-article hot path

Rows:
- `kg build --ner rules` end to end (read, extract, journal, bulk-load, Turtle export, HTML) on generated
  corpora of each size (benchmarks/generate.py, seed 1): articles/s and peak memory (RSS summed over the
  main process and its workers, sampled every 0.2 s; the main process alone in brackets);
- the per-article work of one worker with `rules` (pipeline + triples + N-Quads + claim rows), per core;
- the text layer alone (normalize + segment + quantities), per core: the upper bound;
- `kg build --ner stanza` with the tiny trained Stanza model (real architecture) on 1k articles;
- bulk load of the largest run's N-Quads into a fresh on-disk store: triples/s;
- the seven competency queries (ontology/queries/*.rq) on a store of >= 1M triples against rdflib's
  in-memory store holding the same triples.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402


def corpus(workdir: Path, n: int) -> Path:
    path = workdir / f"corpus-{n}.jsonl.gz"
    if not path.exists():
        generate.write(path, n, seed=1)
    return path


class PeakRss:
    """Peak resident memory of a process tree (sum over the tree, and of the root alone), sampled."""

    def __init__(self, pid: int, every: float = 0.2):
        import psutil

        self.root = psutil.Process(pid)
        self.every = every
        self.peak_total = 0
        self.peak_root = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.root] + self.root.children(recursive=True)
                rss = []
                for p in procs:
                    try:
                        rss.append(p.memory_info().rss)
                    except psutil.Error:
                        pass
                self.peak_total = max(self.peak_total, sum(rss))
                self.peak_root = max(self.peak_root, rss[0] if rss else 0)
            except psutil.Error:
                pass
            self._stop.wait(self.every)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def kg_build(inputs: Path, out: Path, *extra: str) -> tuple[float, PeakRss, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "kg", "build", str(inputs), "-o", str(out), *extra]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = PeakRss(proc.pid)
    stdout, stderr = proc.communicate()
    dt = time.perf_counter() - t0
    peak.stop()
    if proc.returncode not in (0, 4):
        raise SystemExit(f"kg build failed ({proc.returncode}): {stderr.strip()[-500:]}")
    return dt, peak, stdout.strip()


def mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def per_core_rules(path: Path, n: int, profile: bool = False) -> float:
    from kg.corpus.work import pipeline_for, process_document
    from kg.pipeline import Config
    from kg.readers import read_documents

    docs = list(read_documents([path]))[:n]
    pipeline = pipeline_for(Config(ner="rules"))
    for d in list(read_documents([path]))[:20]:
        process_document(d, pipeline)  # warm up: lexicons compile on first use
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
    t0 = time.process_time()
    for d in docs:
        process_document(d, pipeline)
    dt = time.process_time() - t0
    if profiler:
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False), file=sys.stderr)
    return len(docs) / dt


def per_core_text(path: Path, n: int) -> float:
    from kg.pipeline import Config, Pipeline
    from kg.readers import read_documents

    docs = list(read_documents([path]))[:n]
    pipeline = Pipeline(Config(ner="rules"), stages=("normalize", "segment"))
    from kg.pipeline import Context
    from kg.text.quantities import quantities

    ctx = Context(Config())
    t0 = time.process_time()
    for d in docs:
        pipeline(d)
        quantities(d, ctx)
    return len(docs) / (time.process_time() - t0)


def bulk_load(out: Path, workdir: Path) -> tuple[int, float]:
    import sqlite3

    import pyoxigraph as ox

    nq = workdir / "bulk.nq"
    db = sqlite3.connect(str(out / ".kg" / "journal.sqlite"))
    lines = 0
    with open(nq, "wb") as fh:
        for (blob,) in db.execute("SELECT nquads FROM articles ORDER BY seq"):
            data = zlib.decompress(blob)
            lines += data.count(b"\n")
            fh.write(data)
    db.close()
    with tempfile.TemporaryDirectory(dir=workdir) as d:
        store = ox.Store(d)
        t0 = time.perf_counter()
        store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS, lenient=True)  # as kg build loads
        store.flush()
        dt = time.perf_counter() - t0
        del store
    nq.unlink()
    return lines, dt


def query_params(out: Path, documents: set[str] | None = None) -> dict[str, dict[str, str]]:
    """Parameters that have answers: the most frequent speaker, agency and province
    among the claims of ``documents`` (the articles in the query store)."""
    import collections
    import json

    from kg.resources import load_table

    speakers, agencies, places = collections.Counter(), collections.Counter(), collections.Counter()
    provinces = {r["fa"] for r in load_table("provinces")}
    with open(out / "claims.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if documents is not None and row["document"] not in documents:
                continue
            speakers[row["speaker"]] += 1
            agencies[row["agency"]] += 1
            if row["place"] in provinces:
                places[row["place"]] += 1
    for c in (speakers, agencies):
        c.pop(None, None)
    return {"claims-by-person": {"person": speakers.most_common(1)[0][0]},
            "officials-of-org": {"org": agencies.most_common(1)[0][0]},
            "percent-changes": {"province": places.most_common(1)[0][0] if places else "قم"}}


def queries(out: Path, workdir: Path, min_triples: int,
            timeout: float = 600.0) -> tuple[int, list[tuple[str, float, float | None, int, int | None]]]:
    import sqlite3

    import pyoxigraph as ox
    from rdflib import Graph

    from kg.query.engine import run_oxigraph
    from kg.query.named import named_queries

    store = ox.Store()
    db = sqlite3.connect(str(out / ".kg" / "journal.sqlite"))
    documents: set[str] = set()
    parts, quads = [], 0
    for doc_id, blob in db.execute("SELECT doc_id, nquads FROM articles ORDER BY seq"):
        data = zlib.decompress(blob)
        parts.append(data)
        documents.add(doc_id)
        quads += data.count(b"\n")  # (len(store) would count the whole store every time)
        if quads >= min_triples:
            break
    db.close()
    store.load(b"".join(parts), ox.RdfFormat.N_QUADS)
    n = len(store)
    # the default graph holds the set union of the article graphs, as in a `kg build` store
    store.extend([ox.Quad(q.subject, q.predicate, q.object) for q in store])
    nt = ox.serialize(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), format=ox.RdfFormat.N_QUADS)
    graph = Graph().parse(data=nt, format="nt")
    params = query_params(out, documents)
    rows = []
    for name, q in named_queries().items():
        p = params.get(name, {})
        ox_times = []
        for _ in range(3):
            t0 = time.perf_counter()
            r1 = run_oxigraph(store, q.text, p)
            ox_times.append(time.perf_counter() - t0)
        rdf_time, n2 = _timed_rdflib(graph, q.text, p, timeout)
        rows.append((name, statistics.median(ox_times), rdf_time, len(r1.rows or []), n2))
    return n, rows


def _rdflib_child(graph, text, params, conn) -> None:
    from kg.query.engine import run_rdflib

    t0 = time.perf_counter()
    result = run_rdflib(graph, text, params)
    conn.send((time.perf_counter() - t0, len(result.rows or [])))


def _timed_rdflib(graph, text: str, params: dict, timeout: float) -> tuple[float | None, int | None]:
    """(seconds, rows) of one rdflib query, run in a forked child so a slow one can be stopped."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")  # the child shares the loaded graph copy-on-write
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_rdflib_child, args=(graph, text, params, child))
    proc.start()
    got = parent.poll(timeout)
    result = parent.recv() if got else (None, None)
    if proc.is_alive():
        proc.kill()
    proc.join()
    return result


def machine() -> str:
    import psutil

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench")
    ap.add_argument("--stanza-model", type=Path, help="tiny Stanza NER model (default: train/reuse tests' cached one)")
    ap.add_argument("--skip", default="", help="comma-separated: stanza,queries,bulk")
    ap.add_argument("--query-triples", type=int, default=1_000_000)
    ap.add_argument("--query-timeout", type=float, default=300.0, help="seconds before an rdflib query is stopped")
    ap.add_argument("--only-queries", action="store_true", help="reuse the outputs of an earlier run; run the queries")
    ap.add_argument("--profile", action="store_true")
    a = ap.parse_args()
    a.workdir.mkdir(parents=True, exist_ok=True)
    skip = set(filter(None, a.skip.split(",")))
    sizes = [int(s) for s in a.sizes.split(",")]
    print(f"machine: {machine()}; load average at start {os.getloadavg()[0]:.1f}\n")
    table = ["| what | articles | time | articles/s | per core | peak memory |", "|---|---:|---:|---:|---:|---:|"]
    outs = {}
    for n in sizes:
        path = corpus(a.workdir, n)
        out = a.workdir / f"out-{n}"
        if a.only_queries:
            outs[n] = out
            continue
        subprocess.run(["rm", "-rf", str(out)], check=True)
        dt, peak, line = kg_build(path, out, "--ner", "rules", "--workers", str(a.workers))
        outs[n] = out
        table.append(f"| `kg build --ner rules --workers {a.workers}` | {n:,} | {dt:.1f} s | {n / dt:.0f} | "
                     f"{n / dt / a.workers:.0f} | {mb(peak.peak_total)} (main {mb(peak.peak_root)}) |")
        print(table[-1], "\n   ", line, flush=True)
    if a.only_queries:
        skip |= {"rules", "stanza", "bulk"}
    first = corpus(a.workdir, sizes[0])
    if "rules" not in skip:
        r = per_core_rules(first, min(sizes[0], 1000), a.profile)
        table.append(f"| rules, one worker's work per article (CPU time) | {min(sizes[0], 1000):,} | | | {r:.0f} | |")
        print(table[-1], flush=True)
        t = per_core_text(first, min(sizes[0], 1000))
        table.append(f"| text layer alone (normalize, segment, quantities) | {min(sizes[0], 1000):,} | | | {t:.0f} | |")
        print(table[-1], flush=True)
    if "stanza" not in skip:
        model = a.stanza_model
        if model is None:
            sys.path.insert(0, str(ROOT / "tests"))
            from stanza_fixtures import tiny_model_path

            model = tiny_model_path()
        n = min(sizes[0], 1000)
        out = a.workdir / "out-stanza"
        subprocess.run(["rm", "-rf", str(out)], check=True)
        dt, peak, line = kg_build(corpus(a.workdir, n), out, "--ner", "stanza", "--stanza-ner-model", str(model),
                                  "--workers", str(a.workers))
        table.append(f"| `kg build --ner stanza` (tiny model) `--workers {a.workers}` | {n:,} | {dt:.1f} s | "
                     f"{n / dt:.1f} | {n / dt / a.workers:.1f} | {mb(peak.peak_total)} (main {mb(peak.peak_root)}) |")
        print(table[-1], flush=True)
    print("\n".join(table))
    largest = outs[max(outs)]
    if "bulk" not in skip:
        lines, dt = bulk_load(largest, a.workdir)
        print(f"\nbulk load into an on-disk store: {lines:,} quads in {dt:.1f} s = {lines / dt:,.0f} triples/s")
    if "queries" not in skip:
        n, rows = queries(largest, a.workdir, a.query_triples, a.query_timeout)
        print(f"\ncompetency queries, {n:,} quads in article graphs (oxigraph: median of 3; rdflib memory store: one run, "
              f"stopped after {a.query_timeout:.0f} s)\n")
        print("| query | oxigraph | rdflib | speed-up | rows |\n|---|---:|---:|---:|---:|")
        for name, tox, trdf, n1, n2 in rows:
            if trdf is None:
                print(f"| {name} | {tox * 1000:.0f} ms | > {a.query_timeout:.0f} s | > {a.query_timeout / max(tox, 1e-6):.0f}x | {n1} |")
                continue
            same = "" if n1 == n2 else f" (rdflib: {n2})"
            print(f"| {name} | {tox * 1000:.0f} ms | {trdf * 1000:,.0f} ms | {trdf / max(tox, 1e-6):.0f}x | {n1}{same} |")


if __name__ == "__main__":
    main()
