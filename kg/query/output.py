"""Query results as an aligned text table, CSV or JSON.

- table: for people. Ontology IRIs are shortened to prefixed names, long
  cells are cut (``width``), and columns are aligned by display width, so
  Persian text (whose ZWNJ and diacritics take no column) lines up too.
- csv: for spreadsheets. Full values, one header row (the variable names).
- json: for scripts. A list of objects; numbers and booleans as JSON numbers
  and booleans, dates and strings as strings, IRIs as full strings, unbound
  as null. ASK gives ``{"boolean": ...}``; CONSTRUCT/DESCRIBE give JSON-LD.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from kg.graph.namespaces import PREFIXES, bind_prefixes
from kg.query.engine import QueryResult

FORMATS = ("table", "csv", "json")

_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.short,
            XSD.nonNegativeInteger, XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
            XSD.unsignedInt, XSD.unsignedLong}


def display_width(s: str) -> int:
    """Terminal columns ``s`` takes: combining marks and format chars (ZWNJ) take none, wide chars two."""
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def _cut(s: str, width: int) -> str:
    if width <= 0 or display_width(s) <= width:
        return s
    out, w = [], 0
    for ch in s:
        cw = display_width(ch)
        if w + cw > width - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


def _short_iri(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def text_value(term, *, short: bool = False) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _short_iri(str(term)) if short else str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal) and term.datatype == XSD.boolean:
        return "true" if term.toPython() is True else "false" if term.toPython() is False else str(term)
    if isinstance(term, Literal) and term.datatype == XSD.decimal:
        v = term.toPython()
        if isinstance(v, Decimal):  # 36.0 -> 36 for people; 0.5 stays
            return format(v.normalize(), "f") if v == v.to_integral_value() else str(term)
    s = str(term)
    return " ".join(s.split()) if short else s


def json_value(term):
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.datatype == XSD.boolean and isinstance(term.toPython(), bool):
            return term.toPython()
        if term.datatype in _NUMERIC:
            v = term.toPython()
            if isinstance(v, Decimal):
                return int(v) if v == v.to_integral_value() else float(v)
            if isinstance(v, (int, float)):
                return v
        return str(term)
    return text_value(term)


def render(result: QueryResult, fmt: str = "table", *, width: int = 60) -> str:
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"boolean": bool(result.boolean)}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if result.kind == "graph":
        g = result.graph
        bind_prefixes(g)
        if fmt == "json":
            from kg.sinks.rdf import jsonld_context

            return g.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
        return g.serialize(format="nt" if fmt == "csv" else "turtle")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(result.vars)
        for row in result.rows:
            w.writerow([text_value(t) for t in row])
        return buf.getvalue()
    if fmt == "json":
        rows = [{v: json_value(t) for v, t in zip(result.vars, row)} for row in result.rows]
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    return _table(result, width)


def _table(result: QueryResult, width: int) -> str:
    cells = [[_cut(text_value(t, short=True), width) for t in row] for row in result.rows]
    widths = [display_width(v) for v in result.vars]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], display_width(c))

    def line(values: list[str]) -> str:
        return " | ".join(v + " " * (widths[i] - display_width(v)) for i, v in enumerate(values)).rstrip()

    out = [line(result.vars), "-+-".join("-" * w for w in widths)]
    out += [line(row) for row in cells]
    n = len(result.rows)
    out.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(out) + "\n"
