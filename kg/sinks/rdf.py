"""RDF files: Turtle, N-Triples, N-Quads, TriG and JSON-LD, written atomically.

- `write_graph(graph_or_dataset, path, fmt)`: one file. Triple formats get the
  union of all triples; quad formats (nquads, trig) keep one named graph per
  article (a plain Graph goes into the named graph of its identifier).
- `write_outputs(graphs, out_dir, formats)`: what `kg build` writes —
  ``graph.ttl``, ``graph.nt``, ``graph.nq``, ``graph.trig``, ``graph.jsonld``
  from the per-article graphs of `kg.graph.build.document_graph`. N-Quads are
  streamed graph by graph (the store bulk-loads that file), the others are
  serialised from one merged graph.

Every file is written to a temporary file in the same folder and moved into
place with os.replace, so readers never see half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import IO

from rdflib import Dataset, Graph, URIRef

from kg.errors import KgError
from kg.graph.namespaces import bind_prefixes

# format name -> (rdflib plugin, file extension, keeps named graphs)
FORMATS: dict[str, tuple[str, str, bool]] = {
    "turtle": ("turtle", "ttl", False),
    "nt": ("nt", "nt", False),
    "nquads": ("nquads", "nq", True),
    "trig": ("trig", "trig", True),
    "json-ld": ("json-ld", "jsonld", False),
}
ALIASES = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt", "nq": "nquads", "n-quads": "nquads",
           "jsonld": "json-ld", "json": "json-ld"}


def format_name(fmt: str) -> str:
    """Canonical format name for a user's ``--format`` value."""
    f = fmt.strip().lower()
    f = ALIASES.get(f, f)
    if f not in FORMATS:
        raise KgError(f"unknown RDF format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return f


def format_for_path(path: str | os.PathLike) -> str | None:
    """The format a file name's extension implies (None if not an RDF file)."""
    ext = Path(path).suffix.lower().lstrip(".")
    for name, (_, e, _) in FORMATS.items():
        if ext == e:
            return name
    return ALIASES.get(ext) if ext in ("json", "nq") else None


@lru_cache(maxsize=1)
def jsonld_context() -> dict:
    """The shipped JSON-LD context (ontology/context.jsonld)."""
    from kg.graph.shacl import ontology_file

    doc = json.loads(ontology_file("context.jsonld").read_text(encoding="utf-8"))
    return doc["@context"]


def _shared_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


SHARED_MODE = _shared_mode()


@contextmanager
def atomic_path(path: str | os.PathLike):
    """A temporary file's path next to ``path``, for writers that open files
    themselves (pyoxigraph's dump writes without holding Python's GIL); on
    success it is synced and moved onto ``path``, on failure removed."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
    except OSError as exc:
        raise KgError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        yield Path(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, SHARED_MODE)  # mkstemp makes 0600; outputs are meant to be read by others
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


@contextmanager
def atomic_writer(path: str | os.PathLike, mode: str = "wb"):
    """Open a temporary file next to ``path``; on success move it onto ``path``."""
    with atomic_path(path) as tmp:
        with open(tmp, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as fh:
            yield fh
            fh.flush()


def _named_graphs(obj: Graph | Dataset) -> list[Graph]:
    if isinstance(obj, Dataset):
        return [g for g in obj.graphs() if len(g)]
    return [obj]


def merged(graphs: Iterable[Graph]) -> Graph:
    """Union of the triples of several graphs (set semantics: shared nodes merge)."""
    out = Graph()
    bind_prefixes(out)
    for g in graphs:
        for g2 in _named_graphs(g):
            out += g2
    return out


def dataset(graphs: Iterable[Graph]) -> Dataset:
    """One named graph per article graph (by its identifier)."""
    ds = Dataset()
    bind_prefixes(ds)
    for g in graphs:
        for g2 in _named_graphs(g):
            target = ds.graph(g2.identifier) if isinstance(g2.identifier, URIRef) else ds.default_graph
            target += g2
    return ds


def _serialize(obj: Graph | Dataset, fmt: str, fh: IO[bytes]) -> None:
    plugin, _, quads = FORMATS[fmt]
    if quads and not isinstance(obj, Dataset):
        obj = dataset([obj])
    elif not quads and isinstance(obj, Dataset):
        obj = merged([obj])
    if fmt == "nquads":
        _stream_nquads(_named_graphs(obj), fh)
        return
    bind_prefixes(obj)
    if fmt == "json-ld":
        obj.serialize(fh, format=plugin, context=jsonld_context(), auto_compact=True, encoding="utf-8")
    else:
        obj.serialize(fh, format=plugin, encoding="utf-8")


def _stream_nquads(graphs: Iterable[Graph], fh: IO[bytes]) -> None:
    """N-Quads graph by graph: each N-Triples line plus the graph's IRI."""
    for g in graphs:
        nt = g.serialize(format="nt", encoding="utf-8")
        if not isinstance(g.identifier, URIRef):
            fh.write(nt)
            continue
        label = f" <{g.identifier}> .".encode()
        for line in nt.splitlines():
            if line.endswith(b" ."):
                fh.write(line[:-2] + label + b"\n")


def write_graph(graph_or_dataset: Graph | Dataset, path: str | os.PathLike, fmt: str | None = None) -> Path:
    """Write one RDF file atomically; ``fmt`` defaults to the one the extension implies."""
    fmt = format_name(fmt) if fmt else format_for_path(path)
    if fmt is None:
        raise KgError(f"cannot tell the RDF format of {path}; use one of .ttl .nt .nq .trig .jsonld")
    with atomic_writer(path) as fh:
        _serialize(graph_or_dataset, fmt, fh)
    return Path(path)


def write_outputs(graphs: Iterable[Graph], out_dir: str | os.PathLike, formats: Iterable[str] = ("turtle",),
                  basename: str = "graph", progress: Callable[[str, Path], None] | None = None) -> dict[str, Path]:
    """Write the per-article graphs as ``out_dir/<basename>.<ext>`` for each format.

    Returns format name -> path written. Quad formats keep one named graph per
    article (the graph identifier = article IRI); triple formats hold the union.
    """
    names = list(dict.fromkeys(format_name(f) for f in formats))
    graphs = list(graphs)
    out_dir = Path(out_dir)
    written: dict[str, Path] = {}
    union: Graph | None = None
    for fmt in names:
        path = out_dir / f"{basename}.{FORMATS[fmt][1]}"
        with atomic_writer(path) as fh:
            if fmt == "nquads":
                _stream_nquads(graphs, fh)
            elif fmt == "trig":
                _serialize(dataset(graphs), fmt, fh)
            else:
                if union is None:
                    union = merged(graphs)
                _serialize(union, fmt, fh)
        written[fmt] = path
        if progress:
            progress(fmt, path)
    return written
