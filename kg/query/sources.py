"""What `kg query` and `kg validate` read: a graph file, a folder of graph
files, a `kg build` output folder, or an on-disk store folder.

A `kg build` folder holds the same graph in several serialisations
(graph.ttl, graph.nq, ...): per file stem we read ONE of them, preferring the
formats that keep named graphs, so nothing is counted twice. A store found in
the folder (itself, or its ``store/`` subfolder) is used instead of files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.errors import InputError
from kg.sinks.rdf import FORMATS, format_for_path
from kg.sinks.store import _OX_FORMATS, Store, is_store_dir

# When one stem exists in several formats, read the first of these.
_PREFERENCE = ("nquads", "trig", "nt", "turtle", "json-ld")


@dataclass(slots=True)
class Source:
    path: Path
    store: Path | None = None  # an on-disk store folder
    files: list[tuple[Path, str]] = field(default_factory=list)  # (file, format)

    def describe(self) -> str:
        if self.store is not None:
            return f"store {self.store}"
        return ", ".join(str(p) for p, _ in self.files)


def resolve(path: str | os.PathLike) -> Source:
    p = Path(path)
    if not p.exists():
        raise InputError(f"no such file or folder: {p}")
    if p.is_file():
        fmt = format_for_path(p)
        if fmt is None:
            raise InputError(f"{p}: not a graph file (expected .ttl .nt .nq .trig .jsonld)")
        return Source(p, files=[(p, fmt)])
    if is_store_dir(p):
        return Source(p, store=p)
    if is_store_dir(p / "store"):
        return Source(p, store=p / "store")
    by_stem: dict[str, list[tuple[Path, str]]] = {}
    for f in sorted(p.iterdir()):
        fmt = format_for_path(f) if f.is_file() and not f.name.startswith(".") else None
        if fmt is not None:
            by_stem.setdefault(f.stem, []).append((f, fmt))
    if not by_stem:
        raise InputError(f"{p}: no graph files (.ttl .nt .nq .trig .jsonld) and no store in this folder")
    files = [min(cands, key=lambda c: _PREFERENCE.index(c[1])) for _, cands in sorted(by_stem.items())]
    return Source(p, files=files)


def open_store(source: Source) -> Store:
    """A read-only store for an on-disk store, else an in-memory one loaded with
    the files (articles' named graphs kept, their set union as default graph)."""
    if source.store is not None:
        return Store(source.store, read_only=True)
    st = Store.in_memory()
    for f, fmt in source.files:
        try:
            quads = list(ox.parse(path=str(f), format=_OX_FORMATS[fmt]))
        except (SyntaxError, ValueError) as exc:
            raise InputError(f"cannot parse {f}: {' '.join(str(exc).split())[:300]}") from exc
        except OSError as exc:
            raise InputError(f"cannot read {f}: {exc.strerror or exc}") from exc
        st.ox.extend(quads)
        st.ox.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads
                     if not isinstance(q.graph_name, ox.DefaultGraph))
    return st


def load_graph(source: Source) -> Graph:
    """The union of all triples of a source as one rdflib graph (for pySHACL).

    Files are parsed by rdflib, which keeps every literal as written; a store
    is read through oxigraph (which stores all integer types as xsd:integer).
    """
    g = Graph()
    if source.store is None:
        for f, fmt in source.files:
            plugin = FORMATS[fmt][0]
            try:
                if FORMATS[fmt][2]:
                    ds = Dataset()
                    ds.parse(f, format=plugin)
                    for named in ds.graphs():
                        g += named
                else:
                    g.parse(f, format=plugin)
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(f"cannot read {f}: {getattr(exc, 'strerror', None) or exc}") from exc
            except Exception as exc:  # noqa: BLE001 - rdflib parsers raise many kinds
                raise InputError(f"cannot parse {f}: {' '.join(str(exc).split())[:300]}") from exc
        return g
    st = open_store(source)
    try:
        data = st.ox.query("CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }",
                           use_default_graph_as_union=not st.has_default_graph())
        nt = ox.serialize(data, format=ox.RdfFormat.N_TRIPLES)
    finally:
        st.close()
    g.parse(data=nt.decode("utf-8"), format="nt")
    return g
