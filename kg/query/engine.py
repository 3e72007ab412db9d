"""Run SPARQL with safely bound parameters, on pyoxigraph or on an rdflib graph.

Parameters are never pasted into the query text: pyoxigraph gets them as
``substitutions`` and rdflib as ``initBindings``, so a value such as
``" } ; DROP ALL #`` is just a string that matches nothing. Both engines
predeclare the ontology's prefixes and query the SET union of the articles' graphs as
the default graph; results come back as rdflib terms either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD

from kg.errors import EXIT_USAGE, InputError, KgError
from kg.graph.namespaces import PREFIXES
from kg.text.normalize import clean

class UsageError(KgError):
    """A mistake on the command line (bad parameter, no query): exit code 2."""

    exit_code = EXIT_USAGE


_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(slots=True)
class QueryResult:
    """SELECT rows, an ASK answer, or CONSTRUCT/DESCRIBE triples."""

    kind: str  # "select" | "ask" | "graph"
    vars: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # rdflib terms or None (unbound)
    boolean: bool | None = None
    graph: Graph | None = None

    def dicts(self) -> list[dict[str, object]]:
        """Rows as dicts of Python values (numbers, booleans, dates, str) — handy in tests and scripts."""
        return [{v: (t.toPython() if isinstance(t, Literal) else (str(t) if t is not None else None))
                 for v, t in zip(self.vars, row)} for row in self.rows]


# -- parameters ------------------------------------------------------------

def param_term(value: object) -> URIRef | Literal:
    """The RDF term a parameter value stands for.

    ``<https://...>`` is an IRI; any other string is a plain literal (Persian
    normalised like the graph's labels, so Arabic ي/ك or stray spaces still
    match); numbers and booleans become typed literals.
    """
    if isinstance(value, (URIRef, Literal)):
        return value
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(repr(value), datatype=XSD.decimal)
    s = str(value)
    if len(s) > 2 and s.startswith("<") and s.endswith(">"):
        iri = s[1:-1]
        try:
            ox.NamedNode(iri)  # validates the IRI
        except ValueError as exc:
            raise UsageError(f"invalid IRI parameter {s}: {exc}") from exc
        return URIRef(iri)
    return Literal(clean(s))


def parse_params(items: list[str] | None) -> dict[str, str]:
    """``["k=v", ...]`` from the command line -> {k: v}."""
    out: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not _VAR_NAME.fullmatch(name):
            raise UsageError(f"bad --param {item!r}: write NAME=VALUE, e.g. --param person=مرتضی حیدری")
        out[name] = value
    return out


def check_params(sparql: str, params: dict[str, object]) -> None:
    """Every parameter must name a variable of the query (catches typos)."""
    for name in params:
        if not _VAR_NAME.fullmatch(name):
            raise UsageError(f"bad parameter name {name!r}")
        if not re.search(rf"[?$]{name}\b", sparql):
            raise UsageError(f"the query has no variable ?{name} to bind --param {name}")


def _drop_params(result: QueryResult, params: dict[str, object]) -> QueryResult:
    """Bound parameters are projected (oxigraph needs that) but are constants the
    caller already knows: leave them out of the result columns."""
    keep = [i for i, v in enumerate(result.vars) if v not in params]
    if len(keep) == len(result.vars):
        return result
    result.vars = [result.vars[i] for i in keep]
    result.rows = [tuple(row[i] for i in keep) for row in result.rows]
    return result


# -- pyoxigraph --------------------------------------------------------------

def _to_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


def _from_ox(term):
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == str(XSD.string) else URIRef(dt))
    return Literal(str(term))  # RDF-star triples: shown as text


def _syntax_error(exc: BaseException) -> InputError:
    msg = " ".join(str(exc).split())[:300] or type(exc).__name__
    return InputError(f"bad SPARQL query: {msg}")


def run_oxigraph(store: ox.Store, sparql: str, params: dict[str, object] | None = None, *,
                 union: bool = False) -> QueryResult:
    """Query a pyoxigraph store. Its default graph should hold the set union of
    the article graphs (as `kg.sinks.store.Store` keeps it); ``union=True``
    queries the bag union of the named graphs instead (stores from elsewhere)."""
    params = params or {}
    check_params(sparql, params)
    subs = {ox.Variable(k): _to_ox(param_term(v)) for k, v in params.items()}
    try:
        res = store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=union,
                          substitutions=subs or None)
    except SyntaxError as exc:
        raise _syntax_error(exc) from exc
    except RuntimeError as exc:  # oxigraph substitutes only variables the SELECT projects
        if "projection" in str(exc):
            raise UsageError(f"to bind a parameter, list its variable in the SELECT clause (or use SELECT *): "
                          f"{' '.join(str(exc).split())}") from exc
        raise KgError(f"query failed: {' '.join(str(exc).split())[:300]}") from exc
    except (OSError, ValueError) as exc:
        raise KgError(f"query failed: {' '.join(str(exc).split())[:300]}") from exc
    if isinstance(res, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        # the same terms recur across rows (a person's name on each of their posts):
        # each is converted to an rdflib term once per result
        seen: dict[object, object] = {}

        def conv(term):
            if term is None:
                return None
            out = seen.get(term)
            if out is None:
                out = seen[term] = _from_ox(term)
            return out

        rows = [tuple(conv(sol[i]) for i in range(len(names))) for sol in res]
        return _drop_params(QueryResult("select", vars=names, rows=rows), params)
    g = Graph()
    for t in res:
        g.add((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)))
    return QueryResult("graph", graph=g)


# -- rdflib ------------------------------------------------------------------

def run_rdflib(graph: Graph, sparql: str, params: dict[str, object] | None = None) -> QueryResult:
    """Query an in-memory rdflib graph (a Dataset is queried as the union of its graphs)."""
    from pyparsing import ParseException

    params = params or {}
    check_params(sparql, params)
    if isinstance(graph, Dataset) and not graph.default_union:
        union = Graph()
        for g in graph.graphs():
            union += g
        graph = union
    bindings = {Variable(k): param_term(v) for k, v in params.items()}
    try:
        res = graph.query(sparql, initNs=PREFIXES, initBindings=bindings or None)
    except ParseException as exc:
        raise _syntax_error(exc) from exc
    except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds; the user gets one line
        raise KgError(f"query failed: {' '.join(str(exc).split())[:300]}") from exc
    if res.type == "ASK":
        return QueryResult("ask", boolean=bool(res.askAnswer))
    if res.type == "SELECT":
        names = [str(v) for v in res.vars]
        return _drop_params(QueryResult("select", vars=names, rows=[tuple(row) for row in res]), params)
    g = Graph()
    for t in res:
        g.add(t)
    return QueryResult("graph", graph=g)
