"""A corpus run from inputs to output folder: `CorpusRun(options).run()`.

Memory stays flat as the corpus grows: articles are streamed from the
readers, at most a bounded window of them is in flight in the executor, each
result goes straight into the journal (`kg.corpus.journal`), and the final
files are streamed out of the journal and the on-disk store
(`kg.corpus.export`). Nothing holds the whole corpus or its graph.

Output folder layout::

    DIR/graph.ttl, claims.jsonl, claims.csv, consistency.jsonl, graph.html
    DIR/errors.jsonl            only when some articles failed
    DIR/store/                  the on-disk store (or --store PATH), filled while the workers run;
                                `kg query DIR/store`
    DIR/.kg/journal.sqlite      per-article results: what makes reruns incremental
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import kg
from kg.corpus.executors import make_executor
from kg.corpus.journal import Journal
from kg.corpus.work import _config_key, content_hash
from kg.errors import InputError, KgError
from kg.pipeline import Config
from kg.sinks.rdf import SHARED_MODE

CHUNK = 8  # articles per task: amortises inter-process overhead, keeps the window small
JOURNAL = Path(".kg") / "journal.sqlite"


@dataclass(slots=True)
class RunOptions:
    inputs: list[Path]
    out: Path
    config: Config = field(default_factory=Config)
    formats: list[str] = field(default_factory=lambda: ["turtle"])
    store: Path | None = None  # default: OUT/store
    html: bool = True
    workers: int | None = None  # None: all cores
    executor: str = "processes"  # processes | dask
    scheduler: str | object | None = None  # Dask scheduler address (or a distributed.Client)
    quiet: bool = False
    debug: bool = False
    chunk: int = CHUNK
    progress_stream: object | None = None


@dataclass(slots=True)
class Summary:
    articles: int = 0  # in the outputs (processed now or earlier)
    processed: int = 0  # processed by this run
    unchanged: int = 0  # skipped: already in the journal with the same content
    failed: int = 0
    read_errors: int = 0
    claims: int = 0
    people: int = 0
    organizations: int = 0
    triples: int = 0  # sum over articles (before shared nodes merge)
    html_articles: int = 0
    seconds: float = 0.0
    store: Path | None = None
    reprocessed_all: bool = False

    @property
    def errors(self) -> int:
        return self.failed + self.read_errors

    def line(self, out: Path) -> str:
        s = (f"kg: {self.articles} articles, {self.claims} claims, {self.people} people, "
             f"{self.organizations} organisations, {self.errors} errors in {self.seconds:.1f}s -> {out}/")
        notes = []
        if self.unchanged:
            notes.append(f"{self.processed} processed, {self.unchanged} unchanged since the last run")
        if self.html_articles and self.html_articles < self.articles:
            notes.append(f"graph.html draws the first {self.html_articles} articles")
        return s + (f" ({'; '.join(notes)})" if notes else "")


def pipeline_fingerprint(config: Config) -> str:
    """Changes whenever results could: the configuration, or the code and lexicons of `kg`."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr(_config_key(config)).encode())
    root = Path(kg.__file__).parent
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".tsv") and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def check_inputs(paths: list[Path]) -> None:
    """Fail before any output is touched when an input is missing or of an unknown kind."""
    from kg.readers import iter_files

    for p in paths:
        if not p.exists():
            raise InputError(f"{p}: no such file or folder")
        if p.is_file():
            next(iter_files([p]))


class _ErrorLog:
    """errors.jsonl, written as errors happen (a temp file, moved into place at the end)."""

    def __init__(self, path: Path):
        self.path = path
        fd, self.tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self.fh = os.fdopen(fd, "w", encoding="utf-8")
        self.count = 0

    def add(self, source: str | None, line: int | None, document: str | None, reason: str) -> None:
        record = {"source": source, "line": line, "document": document, "reason": reason}
        self.fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.count += 1

    def finish(self) -> None:
        self.fh.close()
        if self.count:
            os.chmod(self.tmp, SHARED_MODE)
            os.replace(self.tmp, self.path)
        else:
            os.unlink(self.tmp)
            if self.path.exists():
                self.path.unlink()  # a stale errors file from an earlier run would mislead

    def abandon(self) -> None:
        self.fh.close()
        try:
            os.unlink(self.tmp)
        except OSError:
            pass


class CorpusRun:
    def __init__(self, options: RunOptions):
        self.o = options
        self.summary = Summary()

    def run(self) -> Summary:
        from kg.graph.iris import check_base

        o = self.o
        check_base(o.config.base_iri)
        check_inputs(o.inputs)
        t0 = time.monotonic()
        store = o.store or (o.out / "store")
        created = [p for p in (o.out, o.out / ".kg", store) if not p.exists()]
        try:
            (o.out / ".kg").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise KgError(f"cannot write {o.out}: {exc.strerror or exc}") from None
        try:
            self._run_locked(store)
        except KgError:
            # a run that failed outright (nothing could be read, ...) leaves nothing it
            # created behind; an interrupted run keeps its journal to resume from
            for p in reversed(created):
                shutil.rmtree(p, ignore_errors=True)
            raise
        self.summary.seconds = time.monotonic() - t0
        return self.summary

    def _run_locked(self, store: Path) -> None:
        from kg.corpus.load import prepare_store
        from kg.graph.identity import identity_graph_iri
        from kg.sinks.store import OPEN_TABLES, Store, limit_malloc_arenas

        o = self.o
        lock = open(o.out / ".kg" / "lock", "w")
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise KgError(f"another kg build is writing {o.out}") from None
            journal = Journal(o.out / JOURNAL, pipeline_fingerprint(o.config))
            try:
                self.summary.reprocessed_all = journal.reset
                errors = _ErrorLog(o.out / "errors.jsonl")
                try:
                    self.summary.store = store
                    limit_malloc_arenas()
                    with Store(store) as st:
                        prepare_store(st.ox, journal, [identity_graph_iri(o.config.base_iri)])
                        # while the workers run, the store only loads: its open table files
                        # (and their indexes in memory) bounded; every one open for the reads after
                        st.reopen(open_tables=OPEN_TABLES)
                        self._process(journal, errors, st)
                        st.reopen()
                        self._finish(journal, st)
                except BaseException:
                    errors.abandon()
                    raise
                errors.finish()
            finally:
                journal.close()
        finally:
            lock.close()

    # -- phase 1: articles -> journal and store --------------------------------------
    def _process(self, journal: Journal, errors: _ErrorLog, store) -> None:
        from kg.corpus import load
        from kg.graph.build import article_iri
        from kg.progress import Progress
        from kg.readers import ReadError, read_documents, split_source

        o, s = self.o, self.summary
        read_errors: list[ReadError] = []
        progress = Progress(quiet=o.quiet, stream=o.progress_stream)
        in_flight: dict[str, str] = {}  # doc id -> content hash, for articles sent but not yet journaled
        # changed articles whose old graph the store holds: replaced at the end (kg.corpus.load.sync_store)
        replacing: set[str] = set()
        seqs: deque[list[int]] = deque()  # per chunk sent, the seq of each article (results come in order)
        base = o.config.base_iri

        def flush_read_errors() -> None:
            for e in read_errors:
                errors.add(e.source, e.line, e.document, e.reason)
                s.read_errors += 1
                progress.update(0, failed=1)
            read_errors.clear()

        def chunks() -> Iterator[list]:
            chunk: list = []
            chunk_seqs: list[int] = []
            for seq, doc in enumerate(read_documents(list(o.inputs), read_errors)):
                flush_read_errors()
                digest = content_hash(doc)
                row = journal.lookup(doc.id)
                seen_now = doc.id in in_flight or (row is not None and row[1] == journal.run)
                if seen_now:  # one article per id: the first is kept, a repeat is reported
                    source, line = split_source(doc.metadata.source)
                    errors.add(source, line, doc.id, f"id {doc.id!r} was already used by an earlier article; kept the first")
                    s.failed += 1
                    progress.update(0, failed=1)
                    continue
                if row is not None and row[0] == digest:
                    journal.touch(doc.id, seq)
                    s.unchanged += 1
                    progress.update(skipped=1)
                    continue
                in_flight[doc.id] = digest
                if row is not None and row[2]:
                    replacing.add(doc.id)
                chunk.append((doc, digest))
                chunk_seqs.append(seq)
                if len(chunk) >= o.chunk:
                    seqs.append(chunk_seqs)
                    yield chunk
                    chunk, chunk_seqs = [], []
            flush_read_errors()
            if chunk:
                seqs.append(chunk_seqs)
                yield chunk

        executor = make_executor(o.config, executor=o.executor, workers=o.workers, scheduler=o.scheduler,
                                 raise_errors=o.debug)
        # the store is filled on a thread of its own while the workers extract
        loader = load.StoreLoader(store.ox, load.LOAD_BATCH)
        finished = False
        try:
            for results in executor.map_ordered(chunks()):
                for r, seq in zip(results, seqs.popleft()):
                    in_flight.pop(r.doc_id, None)
                    if r.error is not None:
                        source, line = split_source(r.source)
                        errors.add(source, line, r.doc_id, r.error)
                        s.failed += 1
                        progress.update(0, failed=1)
                        continue
                    graph = str(article_iri(r.doc_id, base))
                    journal.put(r, graph, seq)
                    if r.doc_id not in replacing:
                        loader.add(r.doc_id, graph, r.nquads, r.n_triples)
                    s.processed += 1
                    progress.update()
                journal.mark_loaded(loader.loaded())
            journal.mark_loaded(loader.close())
            finished = True
        finally:
            if not finished:  # interrupted: what the loader did not finish stays unloaded in the journal
                journal.mark_loaded(loader.abort())
            journal.commit()  # everything finished so far survives an interruption
            executor.close()
            progress.close()

    # -- phase 2: what is left -> store; store and journal -> files --------------------
    def _finish(self, journal: Journal, store) -> None:
        from kg.corpus.export import write_claims, write_html_sample, write_rdf
        from kg.corpus.load import Background, replace_graph, sync_store
        from kg.graph.identity import identity_graph_iri, store_decisions
        from kg.sinks.rdf import FORMATS
        from kg.sinks.store import release_freed_memory

        o, s = self.o, self.summary
        if not o.quiet:  # on a large corpus this phase takes minutes: say what it is doing
            stream = o.progress_stream or sys.stderr
            stream.write(f"kg: writing {', '.join(f'graph.{FORMATS[f][1]}' for f in o.formats)}, claims"
                         f"{' and graph.html' if o.html else ''} ...\n")
            stream.flush()
        journal.drop_unseen()
        sync_store(store.ox, journal, [identity_graph_iri(o.config.base_iri)])
        store.reopen()  # the steps below read the store: start them without the loading's buffers
        # people met in several articles: one node when name and agency agree (kg.graph.identity)
        replace_graph(store, identity_graph_iri(o.config.base_iri), store_decisions(store.ox, o.config.base_iri))
        store.reopen()
        if o.html:  # between the store's long reads, so its rdflib graph overlaps neither
            s.html_articles, _ = write_html_sample(journal, o.out / "graph.html")
            gc.collect()
            release_freed_memory()  # its graph's memory goes back to the system, not to the export

        # The graph files come out of the store on a second thread (pyoxigraph releases the
        # GIL while it dumps) while this one writes the claims files from the journal.
        def export() -> None:
            write_rdf(store, o.out, o.formats)
            s.people, s.organizations = _entity_counts(store.ox)

        side = Background(export, name="kg-export")
        try:
            write_claims(journal, o.out)
        finally:
            side.join()
        s.articles, s.claims, s.triples = journal.totals()


# The default graph is the set union of the article graphs (kg.sinks.store): each
# entity's type triple is there once, so counting streams instead of a DISTINCT over
# every graph, which held every entity IRI of the corpus in memory.
_COUNTS = """
SELECT
  (SUM(IF(?kind = 1, 1, 0)) AS ?people)
  (SUM(IF(?kind = 2, 1, 0)) AS ?orgs)
WHERE {
  { ?x a schema:Person . BIND(1 AS ?kind) }
  UNION
  { ?x a org:Organization . BIND(2 AS ?kind) }
}
"""


def _entity_counts(store) -> tuple[int, int]:
    from kg.graph.namespaces import PREFIXES

    row = next(iter(store.query(_COUNTS, prefixes=PREFIXES)))
    people = int(row["people"].value) if row["people"] is not None else 0
    orgs = int(row["orgs"].value) if row["orgs"] is not None else 0
    return people, orgs
