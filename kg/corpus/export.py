"""End of a corpus run: store and journal -> files, each streamed
(filling the store is `kg.corpus.load`).

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
import json
import zlib
from pathlib import Path

import pyoxigraph as ox

from kg.corpus.journal import Journal
from kg.sinks.store import Store

HTML_SAMPLE_TRIPLES = 20_000  # ~40-80 articles: a readable page, bounded time and memory


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
