"""N-Quads for one article's graph, written directly from rdflib terms.

rdflib's own N-Triples serialiser validates and re-quotes every term through
several layers; for a corpus run that was a large share of the time per
article (see benchmarks/README.md). Terms coming out of the graph builder are
already well-formed, so formatting them is a few string operations. Text from
articles is untrusted: literals escape backslash, quote and line breaks, and
an IRI (e.g. an article URL from metadata) has the characters N-Quads forbids
in IRIs percent-encoded, so a hostile URL cannot break out of its term.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

_XSD_STRING = str(XSD.string)
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _pct(m: re.Match) -> str:
    return "".join(f"%{b:02X}" for b in m.group().encode("utf-8"))


def iri(value: str) -> str:
    if _BAD_IRI.search(value):
        value = _BAD_IRI.sub(_pct, value)
    return f"<{value}>"


def literal(lexical: str, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal term; ``datatype`` is an already formatted IRI term."""
    lex = lexical
    # str.translate is slow on Persian text (~10 µs a sentence) and most literals need no escape
    if "\\" in lex or '"' in lex or "\n" in lex or "\r" in lex:
        lex = lex.translate(_LITERAL_ESCAPES)
    if lang:
        return f'"{lex}"@{lang}'
    if datatype:
        return f'"{lex}"^^{datatype}'
    return f'"{lex}"'


def term(t) -> str:
    if isinstance(t, URIRef):
        return iri(str(t))
    if isinstance(t, Literal):
        datatype = t.datatype if t.datatype is not None and str(t.datatype) != _XSD_STRING else None
        return literal(str(t), t.language, None if datatype is None else iri(str(datatype)))
    if isinstance(t, BNode):
        return f"_:b{t}"
    raise TypeError(f"not an RDF term: {t!r}")


# Predicates and classes recur in every article: formatted once per process (bounded by the vocabulary).
_SHARED: dict[URIRef, str] = {}
_SHARED_MAX = 4096


def triples_nquads(triples: Iterable[tuple], graph_iri: str) -> bytes:
    """Triples as N-Quads in named graph ``graph_iri``; lines sorted, so the same
    article always gives the same bytes."""
    name = iri(graph_iri)
    cache: dict[object, str] = {}

    def fmt(t) -> str:
        s = cache.get(t)
        if s is None:
            s = cache[t] = term(t)
        return s

    def pred(t) -> str:
        s = _SHARED.get(t)
        if s is None:
            s = term(t)
            if len(_SHARED) < _SHARED_MAX:
                _SHARED[t] = s
        return s

    lines = sorted(f"{fmt(s)} {pred(p)} {fmt(o)} {name} .\n" for s, p, o in triples)
    return "".join(lines).encode("utf-8")

