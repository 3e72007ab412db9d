"""SPARQL over what `kg build` wrote: a graph file, a folder of them, or an on-disk store.

    from kg.query import run_query
    result = run_query("out/", name="claims-by-person", params={"person": "مرتضی حیدری"})
    for row in result.dicts(): ...

Parameters are bound by the engine (never pasted into the text); the
ontology's prefixes are predeclared; the default graph is the (set) union
of all articles' named graphs. Named queries are the .rq files in ontology/queries.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.errors import InputError
from kg.query.engine import QueryResult, UsageError, run_oxigraph, run_rdflib
from kg.query.named import NamedQuery, get as named_query, named_queries
from kg.query.sources import load_graph, open_store, resolve

__all__ = ["QueryResult", "run_query", "query_text", "run_oxigraph", "run_rdflib", "named_query",
           "named_queries", "NamedQuery", "load_graph", "open_store", "resolve"]


def query_text(query: str | None = None, *, file: str | os.PathLike | None = None,
               name: str | None = None, params: dict[str, object] | None = None) -> str:
    """The SPARQL text from exactly one of: inline text, a .rq file, a named query."""
    given = [x for x in (query, file, name) if x is not None]
    if len(given) != 1:
        raise UsageError("give exactly one of: a query, --file Q.rq, --name NAME")
    if name is not None:
        nq = named_query(name)
        nq.check(params or {})
        return nq.text
    if file is not None:
        try:
            return Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read query file {file}: {getattr(exc, 'strerror', None) or exc}") from exc
    if not query.strip():
        raise UsageError("the query is empty")
    return query


def run_query(source: str | os.PathLike, query: str | None = None, *, file=None, name: str | None = None,
              params: dict[str, object] | None = None) -> QueryResult:
    text = query_text(query, file=file, name=name, params=params)
    store = open_store(resolve(source))
    try:
        return run_oxigraph(store.ox, text, params, union=not store.has_default_graph())
    finally:
        store.close()
