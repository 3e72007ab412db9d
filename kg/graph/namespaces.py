"""Vocabularies the graph uses, in one place (the builder, queries, the
JSON-LD context and the ontology all use these prefixes).

We reuse standard vocabularies and coin `kg:` terms only where none fits;
every `kg:` term is declared in ontology/kg.ttl (a test checks it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

KG = Namespace("https://kg.example.org/ontology#")
DEFAULT_BASE_IRI = "https://kg.example.org/"

NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = SDO  # https://schema.org/

# Prefixes declared in serialisations and predeclared for SPARQL queries.
PREFIXES: dict[str, str] = {
    "kg": str(KG),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "nif": str(NIF),
    "qudt": str(QUDT),
    "unit": str(UNIT),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}


class Terms:
    """A namespace's terms, each made once by ``make`` and then kept as a plain
    attribute: rdflib's Namespace builds (and DefinedNamespace checks) a new
    URIRef on every lookup, which the graph builder does per triple."""

    def __init__(self, ns: Namespace, make: Callable[[URIRef], Any]):
        self._ns, self._make = ns, make

    def __getattr__(self, name: str) -> Any:  # only called for names not made yet
        if name.startswith("_"):
            raise AttributeError(name)
        term = self._make(getattr(self._ns, name))  # the namespace still rejects unknown names
        setattr(self, name, term)
        return term


def bind_prefixes(graph) -> None:
    """Declare the project prefixes on an rdflib graph (replacing rdflib's defaults)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


def sparql_prologue() -> str:
    """PREFIX lines for engines that take no prefix map (rdflib takes initNs)."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
