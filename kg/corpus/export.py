"""End of a corpus run: journal -> store -> files, each streamed.

- `sync_store`: bulk-loads the N-Quads of articles the store does not hold yet
  (streamed out of the journal, decompressed on the fly, in batches) and drops
  the graphs of articles that changed or left the corpus, so the store holds
  exactly one named graph per article of the latest run and, in its default
  graph, their set union (the layout of `kg.sinks.store.Store`: the store
  deduplicates shared nodes, queries and the Turtle export read the default graph).
- `write_rdf`: graph files exported from the store by `Store.export` (streamed
  by pyoxigraph), not from an in-memory rdflib graph; JSON-LD, which needs the
  whole graph to compact, is the one format built in memory.
- `write_claims`: claims.jsonl, claims.csv (UTF-8 with BOM), consistency.jsonl.
- `write_html_sample`: graph.html from the first articles only, up to a
  triple budget, so drawing a 100k-article corpus needs no more memory than
  drawing a small one (the page itself keeps at most `max_nodes` nodes).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.corpus.journal import Journal
from kg.corpus.nquads import iri
from kg.errors import KgError
from kg.sinks.store import Store

LOAD_BATCH = 500_000  # quads per bulk load: bounds the loader's memory
HTML_SAMPLE_TRIPLES = 20_000  # ~40-80 articles: a readable page, bounded time and memory


class _Inflate(io.RawIOBase):
    """A readable byte stream over a sequence of zlib-compressed chunks."""

    def __init__(self, blobs: Iterable[bytes]):
        self._blobs = iter(blobs)
        self._buf = b""
        self.chunks = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while not self._buf:
            blob = next(self._blobs, None)
            if blob is None:
                return 0
            self._buf = zlib.decompress(blob)
            self.chunks += 1
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


class _Batch:
    """Rows ((graph IRI, N-Quads blob, triples)) from ``rows`` until about ``limit`` triples."""

    def __init__(self, rows, limit: int):
        self.rows, self.limit = rows, limit

    def __iter__(self):
        n = 0
        while n < self.limit:
            row = next(self.rows, None)
            if row is None:
                return
            n += row[2]
            yield row


def _drop_graph(store: ox.Store, name: ox.NamedNode) -> None:
    """Remove an article's graph, and from the default graph what no other article holds."""
    old = [q.triple for q in store.quads_for_pattern(None, None, None, name)]
    store.clear_graph(name)
    for t in old:
        if not any(not isinstance(q.graph_name, ox.DefaultGraph)
                   for q in store.quads_for_pattern(t.subject, t.predicate, t.object, None)):
            store.remove(ox.Quad(t.subject, t.predicate, t.object))


def _as_triples(rows: list[tuple[str, bytes, int]]) -> Iterator[bytes]:
    """The rows' N-Quads with the graph name cut off: N-Triples for the default graph."""
    for graph_iri, blob, _ in rows:
        yield zlib.compress(zlib.decompress(blob).replace(f" {iri(graph_iri)} .\n".encode(), b" .\n"), 1)


def sync_store(store: ox.Store, journal: Journal) -> int:
    """Make the store hold the journal's current graphs; returns the number of articles loaded.

    Like `kg.sinks.store.Store`, the store keeps one named graph per article
    and, in its default graph, the set union of them all (what queries and the
    Turtle export read).
    """
    had_data = next(iter(store.quads_for_pattern(None, None, None, None)), None) is not None
    if had_data:
        # an article that left the corpus, changed, or was half-loaded by an
        # interrupted run: drop its old graph so the load below replaces it
        for g in itertools.chain(journal.retired(), journal.unloaded_graphs()):
            name = ox.NamedNode(g)
            if store.contains_named_graph(name):
                _drop_graph(store, name)
    # Several bulk loads of at most LOAD_BATCH quads each: the bulk loader sorts what it is
    # given in memory, so one call over a whole corpus would grow with the corpus.
    loaded = 0
    rows = iter(journal.unloaded())
    while True:
        batch = list(_Batch(rows, LOAD_BATCH))  # compressed: a few MB
        if not batch:
            break
        try:
            store.bulk_load(io.BufferedReader(_Inflate(b for _, b, _ in batch), 1 << 20), ox.RdfFormat.N_QUADS)
            store.bulk_load(io.BufferedReader(_Inflate(_as_triples(batch)), 1 << 20), ox.RdfFormat.N_TRIPLES,
                            to_graph=ox.DefaultGraph())
        except (SyntaxError, ValueError, OSError) as exc:
            raise KgError(f"cannot load the articles into the store: {' '.join(str(exc).split())[:300]}") from exc
        loaded += len(batch)
    store.flush()
    journal.mark_loaded()
    journal.clear_retired()
    return loaded


def write_rdf(store: Store, out: Path, formats: list[str]) -> dict[str, Path]:
    """The graph files, exported from the store (see `kg.sinks.store.Store.export`)."""
    from kg.sinks.rdf import FORMATS, write_graph

    written: dict[str, Path] = {}
    for fmt in formats:
        path = out / f"graph.{FORMATS[fmt][1]}"
        if fmt == "json-ld":  # compaction needs the whole graph in memory
            from rdflib import Graph

            buf = io.BytesIO()
            store.ox.dump(buf, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
            write_graph(Graph().parse(data=buf.getvalue(), format="nt"), path, "json-ld")
        else:
            store.export(path, fmt)
        written[fmt] = path
    return written


def write_claims(journal: Journal, out: Path) -> None:
    from kg.sinks.claims import COLUMNS, csv_row
    from kg.sinks.rdf import atomic_writer

    with atomic_writer(out / "claims.jsonl", "w") as jf, atomic_writer(out / "claims.csv", "w") as cf:
        cf.write("\ufeff")  # BOM: spreadsheet programs then read the CSV as UTF-8
        writer = csv.DictWriter(cf, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for text in journal.outputs("claims"):
            jf.write(text)
            for line in text.splitlines():
                writer.writerow(csv_row(json.loads(line)))
    with atomic_writer(out / "consistency.jsonl", "w") as fh:
        for text in journal.outputs("consistency"):
            fh.write(text)


def write_html_sample(journal: Journal, path: Path, budget: int = HTML_SAMPLE_TRIPLES) -> tuple[int, int]:
    """graph.html from the first articles, up to ``budget`` triples; returns (articles drawn, triples)."""
    from rdflib import Dataset

    from kg.graph.nxview import to_networkx
    from kg.sinks.html import write_html

    parts: list[bytes] = []
    n_triples = 0
    for blob in journal.nquads():
        data = zlib.decompress(blob)
        lines = data.count(b"\n")
        if parts and n_triples + lines > budget:
            break
        parts.append(data)
        n_triples += lines
    ds = Dataset()
    if parts:
        ds.parse(data=b"".join(parts), format="nquads")
    write_html(to_networkx(ds), path)
    return len(parts), n_triples
