"""An embedded on-disk triplestore (pyoxigraph/RocksDB): the query engine for
large outputs — about 50x faster than rdflib's memory store on 200k triples.

One named graph per article (the article IRI), so reloading an article
replaces its triples instead of duplicating them. `kg build --store DIR`
fills it; `kg query DIR ...` queries it.

The default graph is kept equal to the SET union of the article graphs.
Why: oxigraph's "default graph as union" is a bag — a person named in 300
articles has 300 copies of its label and type there, and every join through
them multiplies rows (a query over 200k triples ran for minutes). Queries run
on the default graph; ``GRAPH ?g`` still reaches the per-article graphs.

    with Store("out/store") as st:
        st.replace_graph(article_iri, graph)        # idempotent per article
        st.bulk_load("out/graph.nq")                # fast path for a whole corpus
        rows = st.query("SELECT ...", {"person": "..."})
        st.export("out/dump.trig", "trig")
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import os
import resource
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import InputError, KgError
from kg.graph.namespaces import PREFIXES

_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "json-ld": ox.RdfFormat.JSON_LD,
}


def ox_format(fmt: str) -> ox.RdfFormat:
    from kg.sinks.rdf import format_name

    return _OX_FORMATS[format_name(fmt)]


def is_store_dir(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a folder holding an on-disk store (RocksDB files)."""
    p = Path(path)
    return p.is_dir() and (p / "CURRENT").is_file() and any(p.glob("MANIFEST-*"))


def _one_line(exc: BaseException) -> str:
    return " ".join((str(exc) or type(exc).__name__).split())[:300]


_M_ARENA_MAX = -8  # glibc mallopt parameter


def limit_malloc_arenas(arenas: int = 2) -> None:
    """Cap glibc's malloc arenas before the store starts its threads. By default
    every thread that allocates (RocksDB's loaders and compactions, the Turtle
    dump) may get an arena of its own, and each keeps the peak of what its thread
    ever used (the end of a 10k-article run: 350 MB instead of 256 MB)."""
    try:
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, arenas)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def release_freed_memory() -> None:
    """Give the memory the store's threads freed back to the system. They allocate in
    glibc arenas of their own, which otherwise keep the freed pages (≈ 300 MB instead
    of ≈ 100 MB for the loader over a 10k-article run; ≈ 190 MB kept after closing
    the store at the end of a 100k-article run)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


OPEN_TABLES = 64  # RocksDB table files kept open while a corpus run loads the store
_OX_RESERVED_FDS = 48  # oxigraph: RocksDB may keep (soft limit on open files - 48) tables open


@contextmanager
def open_tables_limit(tables: int | None) -> Iterator[None]:
    """Open a store with RocksDB's cache of open table files bounded to ``tables``
    (None: as many as the limit on open files allows, oxigraph's default).

    Every open table file keeps its index in memory, ≈ 1 % of its size; with
    oxigraph's default, a corpus run grew by ≈ 1 MB per 1,000 generated articles
    as the store grew (+100 MB at 100k articles, while loading). oxigraph reads
    the limit when the store opens: lowering it for that moment bounds the cache,
    and the limit is then restored for the rest of the process. Not for reading a
    large store: looking terms up across more table files than the cache holds
    reopens files all the time (the Turtle dump of a 100k-article store took
    minutes more)."""
    if tables is None:
        yield
        return
    want = max(tables, _OX_RESERVED_FDS) + _OX_RESERVED_FDS  # oxigraph needs >= 96
    try:  # RocksDB opens files meanwhile: leave room above what is open already
        want = max(want, len(os.listdir("/proc/self/fd")) + _OX_RESERVED_FDS)
    except OSError:
        pass
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    lowered = False
    if soft == resource.RLIM_INFINITY or want < soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
            lowered = True
        except (OSError, ValueError):  # not allowed here: open with the limit as it is
            pass
    try:
        yield
    finally:
        if lowered:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


DROP_CHUNK = 20_000  # quads removed per step: bounds memory whatever the graph's size


def drop_graph(store: ox.Store, name: ox.NamedNode) -> None:
    """Remove a named graph, and from the default graph (the set union) what no
    other named graph holds; a chunk of quads at a time (a derived graph of a
    large corpus has hundreds of thousands, and `clear_graph` removes them all in
    one in-memory transaction: ≈ 1 GB for 488k)."""
    while True:
        chunk = [q.triple for q in itertools.islice(store.quads_for_pattern(None, None, None, name), DROP_CHUNK)]
        if not chunk:
            break
        for t in chunk:
            store.remove(ox.Quad(t.subject, t.predicate, t.object, name))
        for t in chunk:
            if not any(not isinstance(q.graph_name, ox.DefaultGraph)
                       for q in store.quads_for_pattern(t.subject, t.predicate, t.object, None)):
                store.remove(ox.Quad(t.subject, t.predicate, t.object))
        store.flush()  # removals fill RocksDB's write buffers (up to 128 MB per index) until flushed
    if store.contains_named_graph(name):
        store.clear_graph(name)  # empty now; the name stays, as clear_graph leaves it


class Store:
    """A pyoxigraph store in folder ``path`` (created if missing unless read-only);
    ``open_tables`` bounds the table files RocksDB keeps open (`open_tables_limit`)."""

    def __init__(self, path: str | os.PathLike, *, read_only: bool = False, open_tables: int | None = None):
        self.path = Path(path)
        self.read_only = read_only
        try:
            if read_only:
                if not is_store_dir(self.path):
                    raise InputError(f"{self.path} is not a kg store folder")
                with open_tables_limit(open_tables):
                    self._store = ox.Store.read_only(str(self.path))
            else:
                if self.path.exists() and not self.path.is_dir():
                    raise InputError(f"store path {self.path} exists and is not a folder")
                if self.path.is_dir() and any(self.path.iterdir()) and not is_store_dir(self.path):
                    raise InputError(f"{self.path} is not empty and not a kg store folder")
                self.path.mkdir(parents=True, exist_ok=True)
                with open_tables_limit(open_tables):
                    self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise KgError(f"cannot open store {self.path}: {_one_line(exc)}") from exc

    @classmethod
    def in_memory(cls) -> Store:
        st = cls.__new__(cls)
        st.path = None
        st.read_only = False
        st._store = ox.Store()
        return st

    @property
    def ox(self) -> ox.Store:
        """The underlying pyoxigraph store (for the query engine)."""
        return self._store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._store is not None and self.path is not None and not self.read_only:
            try:
                self._store.flush()
            except OSError as exc:
                raise KgError(f"cannot write store {self.path}: {_one_line(exc)}") from exc
        self._store = None

    def reopen(self, open_tables: int | None = None) -> None:
        """Close the store and open it again, and hand what it freed back to the
        system. RocksDB keeps the buffers of what it loaded and the blocks it read
        (its cache of term strings alone fills to 128 MB on a large store): closing
        between the long steps at the end of a 100k-article run keeps each from
        starting with the last one's memory (317 -> 127 MB after the identity step)."""
        self.close()
        gc.collect()  # the database closes when the last reference to it goes
        release_freed_memory()  # what RocksDB freed stays in its threads' arenas otherwise
        self.__init__(self.path, read_only=self.read_only, open_tables=open_tables)

    def __len__(self) -> int:
        return len(self._store)

    # -- loading -----------------------------------------------------------
    def add_document_quads(self, data: bytes | str | Graph, graph_iri: str) -> None:
        """Add one article: an rdflib graph, or N-Triples/N-Quads text whose
        triples without a graph name go into ``graph_iri``."""
        if isinstance(data, Graph):
            data = data.serialize(format="nt", encoding="utf-8")
        name = ox.NamedNode(str(graph_iri))
        try:
            quads = [q if not isinstance(q.graph_name, ox.DefaultGraph) else ox.Quad(q.subject, q.predicate, q.object, name)
                     for q in ox.parse(data, ox.RdfFormat.N_QUADS)]
        except (SyntaxError, ValueError) as exc:
            raise InputError(f"cannot load graph {graph_iri} into the store: {_one_line(exc)}") from exc
        self._store.extend(quads + [ox.Quad(q.subject, q.predicate, q.object) for q in quads])

    def replace_graph(self, graph_iri: str, graph: Graph | bytes | str) -> None:
        """Replace the named graph ``graph_iri`` (reloading an article is idempotent)."""
        drop_graph(self._store, ox.NamedNode(str(graph_iri)))
        self.add_document_quads(graph, graph_iri)

    def bulk_load(self, path: str | os.PathLike, fmt: str | None = None) -> None:
        """Load a (large) file without holding it in memory; N-Quads keep their graphs."""
        p = Path(path)
        if not p.is_file():
            raise InputError(f"no such file: {p}")
        rdf_format = ox_format(fmt) if fmt else _guess(p)
        try:
            self._store.bulk_load(path=str(p), format=rdf_format)
        except (SyntaxError, ValueError, OSError) as exc:
            raise InputError(f"cannot load {p}: {_one_line(exc)}") from exc
        if rdf_format.supports_datasets:
            self._store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in self._store
                                    if not isinstance(q.graph_name, ox.DefaultGraph))

    # -- reading -----------------------------------------------------------
    def query(self, sparql: str, bindings: dict[str, object] | None = None):
        """Run a SPARQL query on the union of all articles; see `kg.query.engine`."""
        from kg.query.engine import run_oxigraph

        return run_oxigraph(self._store, sparql, bindings, union=not self.has_default_graph())

    def has_default_graph(self) -> bool:
        """Whether the default graph holds the union (a kg store); a store loaded
        by other tools may have only named graphs, then queries use the bag union."""
        return next(iter(self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def export(self, path: str | os.PathLike, fmt: str | None = None) -> Path:
        """Write the store atomically: quad formats hold the article graphs, triple
        formats their union."""
        from kg.sinks.rdf import atomic_path, atomic_writer, format_for_path, format_name

        fmt = format_name(fmt) if fmt else format_for_path(path)
        if fmt is None:
            raise KgError(f"cannot tell the RDF format of {path}; use one of .ttl .nt .nq .trig .jsonld")
        rdf_format = _OX_FORMATS[fmt]
        if not rdf_format.supports_datasets and self.has_default_graph():
            # the common case (graph.ttl of a build): pyoxigraph writes the file itself,
            # so other threads of the run are not held up by the GIL meanwhile
            with atomic_path(path) as tmp:
                try:
                    self._store.dump(str(tmp), rdf_format, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)
                except OSError as exc:
                    raise KgError(f"cannot write {path}: {exc.strerror or exc}") from exc
            return Path(path)
        with atomic_writer(path) as fh:
            if rdf_format.supports_datasets:
                quads = (q for q in self._store if not isinstance(q.graph_name, ox.DefaultGraph))
                ox.serialize(quads, fh, rdf_format, prefixes=PREFIXES)
            else:
                triples = self._store.query("CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }",
                                            use_default_graph_as_union=True)
                ox.serialize(triples, fh, rdf_format, prefixes=PREFIXES)
        return Path(path)


def _guess(path: Path) -> ox.RdfFormat:
    from kg.sinks.rdf import format_for_path

    fmt = format_for_path(path)
    if fmt is None:
        raise InputError(f"cannot tell the RDF format of {path}; use one of .ttl .nt .nq .trig .jsonld")
    return _OX_FORMATS[fmt]
