"""Article graphs into the on-disk store: while the workers run, and after.

The store keeps one named graph per article and, in its default graph, the
set union of them all (see `kg.sinks.store.Store`). Filling it is the most
expensive step of a corpus run after extraction (oxigraph's bulk loader does
about 100k quads/s per core here), so it runs on a thread of its own during
extraction (`StoreLoader`; pyoxigraph releases the GIL while it loads) instead
of after it, and `sync_store` only does what is left at the end: articles that
replace a graph the store already holds, and graphs of removed articles.

The journal's ``loaded`` flag is set only after the store holds an article's
graph: after an interruption, graphs that may be half-loaded are exactly the
rows with ``loaded = 0``, and `prepare_store` drops them before a run loads
anything.
"""

from __future__ import annotations

import itertools
import queue
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import pyoxigraph as ox

from kg.corpus.journal import Journal
from kg.corpus.nquads import iri
from kg.errors import KgError
from kg.sinks.store import Store, drop_graph, release_freed_memory

T = TypeVar("T")

LOAD_BATCH = 50_000  # quads per bulk load: ≈ 110 MB of loader memory (100k quads: ≈ 185 MB, same CPU)
QUEUED_BATCHES = 2  # batches waiting for the loader before the run waits for it


class Background(threading.Thread):
    """A call on a thread of its own; `join` raises what it raised."""

    def __init__(self, target: Callable[[], object], name: str = "kg-background"):
        super().__init__(name=name, daemon=True)
        self._fn = target
        self._exc: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self._fn()
        except BaseException as exc:  # raised again on the caller's thread
            self._exc = exc

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        if self._exc is not None:
            raise self._exc


def load_batch(store: ox.Store, rows: Iterable[tuple[str, bytes]]) -> None:
    """Bulk-load articles ((graph IRI, N-Quads in that graph)) into their graphs and the default graph.

    `lenient` skips oxigraph's IRI and language-tag validation: kg.corpus.nquads
    wrote these lines and already escaped every term.
    """
    named, union = [], []
    for graph_iri, data in rows:
        named.append(data)
        # the same lines with the graph name cut off: N-Triples for the default graph
        union.append(data.replace(f" {iri(graph_iri)} .\n".encode(), b" .\n"))
    try:
        # the two loads fill different indexes; side by side they take ~60 % of the time
        # one after the other (pyoxigraph releases the GIL while it loads)
        side = Background(lambda: store.bulk_load(b"".join(union), ox.RdfFormat.N_TRIPLES,
                                                  to_graph=ox.DefaultGraph(), lenient=True), name="kg-load-union")
        try:
            store.bulk_load(b"".join(named), ox.RdfFormat.N_QUADS, lenient=True)
        finally:
            side.join()
    except (SyntaxError, ValueError, OSError) as exc:
        raise KgError(f"cannot load the articles into the store: {' '.join(str(exc).split())[:300]}") from exc
    finally:
        release_freed_memory()


def replace_graph(store: Store, graph_iri: str, pieces: Iterable[list[tuple]]) -> int:
    """Replace a derived graph (e.g. the identity decisions) with triples that come in
    pieces (lists of rdflib terms); returns the triple count. The pieces are spooled
    to a temporary file and loaded from it in bounded batches once they are all
    made, and the store is reopened in between, so what the reads that made them
    cost is freed before loading begins."""
    from kg.corpus.nquads import triples_nquads

    drop_graph(store.ox, ox.NamedNode(graph_iri))
    total = 0
    with tempfile.TemporaryFile() as spool:
        for piece in pieces:
            spool.write(triples_nquads(piece, graph_iri))
            total += len(piece)
        spool.seek(0)
        store.reopen()
        for lines in _batches(spool, lambda _line: 1):  # one N-Quads line per quad
            load_batch(store.ox, [(graph_iri, b"".join(lines))])
    return total


def _batches(items: Iterable[T], size: Callable[[T], int]) -> Iterator[list[T]]:
    """Consecutive runs of ``items`` whose sizes add up to about LOAD_BATCH each."""
    batch: list[T] = []
    total = 0
    for item in items:
        batch.append(item)
        total += size(item)
        if total >= LOAD_BATCH:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch


class StoreLoader:
    """Loads article graphs on a background thread, in batches of about `batch` quads.

    `add` queues an article (never loads on the caller's thread); `loaded`
    returns the ids the store now holds, for the journal; `close` loads the
    rest and waits; `abort` drops what is queued and waits for the batch in
    progress. An error on the thread comes back as a `KgError` from the next
    `add`, `loaded` or `close`.
    """

    def __init__(self, store: ox.Store, batch: int = LOAD_BATCH):
        self.store = store
        self.batch = batch
        self._pending: list[tuple[str, str, bytes]] = []
        self._pending_quads = 0
        self._queue: queue.Queue[list[tuple[str, str, bytes]] | None] = queue.Queue(QUEUED_BATCHES)
        self._done: list[str] = []
        self._lock = threading.Lock()
        self._error: BaseException | None = None
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="kg-store-loader", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            rows = self._queue.get()
            if rows is None or self._stop:
                return
            try:
                load_batch(self.store, ((g, zlib.decompress(b)) for _, g, b in rows))
            except BaseException as exc:  # handed to the run's thread, which stops the run
                self._error = exc
                return
            with self._lock:
                self._done.extend(doc_id for doc_id, _, _ in rows)

    def _check(self) -> None:
        if self._error is not None:
            err = self._error
            raise err if isinstance(err, KgError) else KgError(f"cannot load the articles into the store: {err}")

    def add(self, doc_id: str, graph_iri: str, blob: bytes, quads: int) -> None:
        self._check()
        self._pending.append((doc_id, graph_iri, blob))
        self._pending_quads += quads
        if self._pending_quads >= self.batch:
            self._send()

    def _send(self) -> None:
        if self._pending:
            while True:  # wait for room, but notice a loader that died meanwhile
                try:
                    self._queue.put(self._pending, timeout=0.5)
                    break
                except queue.Full:
                    self._check()
                    if not self._thread.is_alive():
                        raise KgError("the store loader stopped unexpectedly")
        self._pending, self._pending_quads = [], 0

    def loaded(self) -> list[str]:
        """Ids of the articles loaded since the last call."""
        self._check()
        with self._lock:
            done, self._done = self._done, []
        return done

    def close(self) -> list[str]:
        """Load what is left, wait, and return the ids loaded since the last `loaded`."""
        self._send()
        self._queue.put(None)
        self._thread.join()
        return self.loaded()

    def abort(self) -> list[str]:
        """Stop without loading what is queued; returns the ids that were loaded."""
        self._stop = True
        self._pending = []
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        try:
            self._queue.put_nowait(None)
        except queue.Full:
            pass
        self._thread.join()
        with self._lock:
            return self._done


def _drop_stale_graphs(store: ox.Store, journal: Journal, derived: Iterable[str]) -> None:
    """Drop the graphs of retired results and of articles the store may hold only in
    part or in an older version (rows not marked loaded); ``derived`` graphs
    (recomputed at the end of every run) may go too."""
    graphs = set(itertools.chain(journal.retired(), journal.unloaded_graphs()))
    if not graphs:
        return
    present = {g.value for g in store.named_graphs()}
    if present and present - set(derived) <= graphs:
        # every article graph goes (e.g. the pipeline changed): one clear instead of
        # removing graph by graph while keeping the default-graph union right
        store.clear()
        return
    for g in graphs & present:
        drop_graph(store, ox.NamedNode(g))


def prepare_store(store: ox.Store, journal: Journal, derived: Iterable[str] = ()) -> None:
    """Before a run loads anything: drop graphs the store may hold only in part
    (articles not marked loaded) and graphs of retired results, so every
    article loaded afterwards starts from an empty graph."""
    _drop_stale_graphs(store, journal, derived)
    store.flush()
    journal.unload_retired()


def sync_store(store: ox.Store, journal: Journal, derived: Iterable[str] = ()) -> int:
    """At the end of a run: make the store hold exactly the journal's current
    graphs; returns the number of articles loaded here."""
    _drop_stale_graphs(store, journal, derived)
    loaded = 0
    for batch in _batches(journal.unloaded(), lambda row: row[2]):
        load_batch(store, [(graph_iri, zlib.decompress(blob)) for graph_iri, blob, _ in batch])
        loaded += len(batch)
    store.flush()
    journal.mark_loaded()
    journal.clear_retired()
    return loaded
