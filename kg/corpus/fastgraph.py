"""One article's triples without an rdflib Graph, for corpus runs.

Profiling a corpus run (benchmarks/README.md) showed more than half of the
time per article inside `kg.graph.build.document_graph`, most of it in
rdflib's in-memory store (`Graph.add`, index upkeep, prefix binding) — work a
corpus run throws away at once, since it only needs the triples to write
N-Quads. `article_triples` runs the same builder, so the modelling stays in
kg.graph.build alone, but collects the triples in a list.
tests/test_corpus.py checks that it yields exactly `document_graph`'s triples.
"""

from __future__ import annotations

from kg.document import Document
from kg.graph import build as _build
from kg.graph.iris import Iris


class _TripleList(list):
    """The one Graph method the builder calls on its graph: ``add``."""

    __slots__ = ("identifier",)

    def add(self, triple) -> None:
        self.append(triple)


class _ListBuilder(_build._Builder):
    def __init__(self, doc: Document, base_iri: str):
        # the parent's attributes, with a list in place of the rdflib Graph
        self.doc = doc
        self.iris = Iris(base_iri)
        self.article = self.iris.article(doc.id)
        self.g = _TripleList()
        self.g.identifier = self.article
        self.publisher = None


def article_triples(doc: Document, base_iri: str) -> tuple[str, set]:
    """(article IRI, set of triples) of a processed document — the triples of `document_graph`."""
    builder = _ListBuilder(doc, base_iri)
    triples = builder.build()
    return str(builder.article), set(triples)
