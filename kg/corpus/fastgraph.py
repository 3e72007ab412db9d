"""One article's N-Quads without rdflib, for corpus runs.

Profiling a corpus run (benchmarks/README.md) showed most of the graph time
per article in rdflib: its in-memory store, then making terms (`Literal`
casting, namespace lookups) only to format them back into text. A corpus run
only needs the N-Quads, so `article_nquads` runs the same builder as
`kg.graph.build.document_graph` — the modelling stays in kg.graph.build alone —
with term factories that make N-Triples text directly (escaped as in
kg.corpus.nquads), and collects whole lines. tests/test_corpus.py checks that
the lines parse back to exactly `document_graph`'s triples.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import XSD

from kg.corpus.nquads import iri, literal
from kg.document import Document
from kg.graph import build as _build
from kg.graph.iris import Iris


def _vocab(term: URIRef) -> str:
    return iri(str(term))


_NON_NEGATIVE, _DECIMAL = _vocab(XSD.nonNegativeInteger), _vocab(XSD.decimal)
_TRUE, _FALSE = literal("true", datatype=_vocab(XSD.boolean)), literal("false", datatype=_vocab(XSD.boolean))


class _NtIris(Iris):
    """The builder's IRIs as N-Triples terms, ``<...>``."""

    __slots__ = ()

    def _iri(self, *segments: str) -> str:  # type: ignore[override]
        return iri(self.base + "/".join(segments))

    def post(self, owner_iri: str, role_key: str) -> str:  # type: ignore[override]
        return super().post(owner_iri[1:-1], role_key)


class _NtBuilder(_build._Builder):
    """The graph builder with N-Triples text for terms and a set of N-Quads lines for a graph."""

    iris_class = _NtIris
    vocab = staticmethod(_vocab)

    def __init__(self, doc: Document, base_iri: str):
        super().__init__(doc, base_iri)
        self.tail = f" {self.article} .\n"  # every line is in the article's named graph

    def new_graph(self) -> set[str]:
        return set()

    def add(self, s, p, o) -> None:
        if o is not None:
            self.g.add(f"{s} {p} {o}{self.tail}")

    def literal(self, text: str, lang: str | None = None) -> str:
        return literal(text, lang)

    def typed(self, text: str, datatype: str) -> str:
        return literal(text, None, datatype)

    def index(self, n: int) -> str:
        return f'"{n}"^^{_NON_NEGATIVE}'

    def boolean(self, value: object) -> str:
        return _TRUE if value else _FALSE

    def decimal(self, value: float | None) -> str | None:
        text = _build.decimal_text(value)
        return None if text is None else f'"{text}"^^{_DECIMAL}'


def article_nquads(doc: Document, base_iri: str) -> tuple[str, int, bytes]:
    """(article IRI, number of triples, N-Quads) of a processed document: the
    triples of `document_graph` in its named graph, lines sorted so the same
    article always gives the same bytes."""
    builder = _NtBuilder(doc, base_iri)
    lines = builder.build()
    return builder.article[1:-1], len(lines), _sorted_utf8(lines)


def _sorted_utf8(lines: set[str]) -> bytes:
    # Sorting the encoded lines is faster (memcmp) and gives the same order:
    # UTF-8 byte order is code point order.
    try:
        return b"".join(sorted(map(str.encode, lines)))  # (UTF-8)
    except UnicodeEncodeError:  # a lone surrogate: fail as encoding the whole text does (same message)
        return "".join(sorted(lines)).encode("utf-8")
