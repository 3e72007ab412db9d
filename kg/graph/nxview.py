"""A networkx view of the graph for drawing (pyvis) and for analysts (Gephi).

Nodes are the things people look at — people, organisations, places, posts,
claims, articles — keyed by IRI, with attributes:
``type`` (person | organization | place | claim | article | post),
``label`` (Persian), ``label_en`` (or None), ``title`` (tooltip text) and,
for claims, ``value``, ``unit``, ``measure``.
Edges carry ``label``: "stated", "holds post", "post in", "part of", "about",
"published by", "derived from", "on behalf of", "located in".
Mentions, memberships, statements and roles stay out: they are provenance,
reachable in the RDF.
"""

from __future__ import annotations

import os
from decimal import Decimal

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS

from kg.graph.namespaces import KG, SCHEMA

NODE_TYPES = ("person", "organization", "place", "claim", "article", "post")
EDGE_LABELS = ("stated", "holds post", "post in", "part of", "about", "published by", "derived from",
               "on behalf of", "located in")

# rdf:type -> node type; the first match in this order wins (a publisher is an organisation).
_TYPE_OF = (
    (KG.StatisticalClaim, "claim"),
    (SCHEMA.NewsArticle, "article"),
    (ORG.Post, "post"),
    (SCHEMA.Person, "person"),
    (ORG.Organization, "organization"),
    (SCHEMA.Organization, "organization"),
    (SCHEMA.GovernmentOrganization, "organization"),
    (SCHEMA.NewsMediaOrganization, "organization"),
    (SCHEMA.Place, "place"),
)

# predicate -> (edge label, reversed?): reversed edges point from object to subject.
_EDGES = {
    PROV.wasAttributedTo: ("stated", True),  # person -> claim
    KG.reportedBy: ("stated", True),  # publisher -> claim it states itself
    ORG.holds: ("holds post", False),
    ORG.postIn: ("post in", False),
    ORG.subOrganizationOf: ("part of", False),
    KG.place: ("about", False),
    DCTERMS.publisher: ("published by", False),
    PROV.wasDerivedFrom: ("derived from", False),
    SCHEMA.containedInPlace: ("located in", False),
    SCHEMA.location: ("located in", False),
}


def _label(g: Graph, node: URIRef, lang: str) -> str | None:
    values = sorted(str(o) for o in g.objects(node, RDFS.label) if isinstance(o, Literal) and o.language == lang)
    return values[0] if values else None


def _first(g: Graph, node: URIRef, pred) -> Literal | None:
    values = sorted(g.objects(node, pred), key=str)
    return values[0] if values else None


def _number(lit: Literal | None):
    if lit is None:
        return None
    v = lit.toPython()
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v if isinstance(v, (int, float)) else None


def _fmt_number(v) -> str:
    if isinstance(v, int):
        return f"{v:,}"
    return str(v) if v is not None else "?"


def to_networkx(g: Graph) -> nx.MultiDiGraph:
    """The view of an rdflib graph (a Dataset is read as the union of its graphs)."""
    from kg.graph.build import unit_labels

    if isinstance(g, Dataset):  # a Dataset's own triple methods see only its default graph
        from kg.sinks.rdf import merged

        g = merged([g])
    G = nx.MultiDiGraph()
    types: dict[URIRef, str] = {}
    for cls, kind in _TYPE_OF:
        for node in g.subjects(RDF.type, cls):
            if isinstance(node, URIRef) and node not in types:
                types[node] = kind
    units_fa = unit_labels()

    for node in sorted(types, key=str):
        kind = types[node]
        attrs: dict[str, object] = {"type": kind, "label_en": _label(g, node, "en")}
        if kind == "claim":
            value = _number(_first(g, node, KG.value))
            unit = _first(g, node, KG.unit)
            unit = str(unit) if unit is not None else None
            measure = _first(g, node, KG.measure)
            measure = str(measure) if measure is not None else None
            sentence = _first(g, node, KG.sentence)
            direction = _first(g, node, KG.direction)
            shown_unit = units_fa.get(unit, unit) if unit else ""
            attrs["label"] = f"{_fmt_number(value)} {shown_unit}".strip()
            attrs.update(value=value, unit=unit, measure=measure)
            lines = [f"{_fmt_number(value)} {unit or ''}".strip()
                     + (f" ({direction})" if direction is not None else "")]
            if measure:
                lines.append(measure)
            if sentence is not None:
                lines.append(str(sentence))
            attrs["title"] = "\n".join(lines)
        elif kind == "article":
            title = _first(g, node, KG.title)
            ident = _first(g, node, DCTERMS.identifier)
            date = _first(g, node, DCTERMS.date)
            attrs["label"] = str(title or ident or node)
            attrs["title"] = "\n".join(str(x) for x in (title, ident, date) if x is not None)
        else:
            fa = _label(g, node, "fa")
            attrs["label"] = fa or attrs["label_en"] or str(node).rsplit("/", 1)[-1]
            attrs["title"] = "\n".join(x for x in (fa, attrs["label_en"]) if x) or attrs["label"]
        G.add_node(str(node), **attrs)

    for pred, (label, reverse) in _EDGES.items():
        for s, o in g.subject_objects(pred):
            if s in types and o in types:
                a, b = (o, s) if reverse else (s, o)
                G.add_edge(str(a), str(b), key=label, label=label)
    # claim -> the agency the speaker spoke for (through the qualified attribution)
    for claim, attribution in g.subject_objects(PROV.qualifiedAttribution):
        for agency in g.objects(attribution, KG.onBehalfOf):
            if claim in types and agency in types:
                G.add_edge(str(claim), str(agency), key="on behalf of", label="on behalf of")
    return G


def _exportable(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML/GEXF take no None values and one type per attribute: drop the Nones."""
    H = nx.MultiDiGraph()
    for n, data in G.nodes(data=True):
        clean = {k: v for k, v in data.items() if v is not None}
        if "value" in clean:
            clean["value"] = float(clean["value"])
        H.add_node(n, **clean)
    for a, b, k, data in G.edges(keys=True, data=True):
        H.add_edge(a, b, key=k, **{kk: v for kk, v in data.items() if v is not None})
    return H


def write_graphml(G: nx.MultiDiGraph, path: str | os.PathLike) -> None:
    from kg.sinks.rdf import atomic_writer

    with atomic_writer(path) as fh:
        nx.write_graphml(_exportable(G), fh, encoding="utf-8")


def write_gexf(G: nx.MultiDiGraph, path: str | os.PathLike) -> None:
    from kg.sinks.rdf import atomic_writer

    with atomic_writer(path) as fh:
        nx.write_gexf(_exportable(G), fh, encoding="utf-8")
