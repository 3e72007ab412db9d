"""Deterministic, IRI-safe identifiers."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from kg.errors import KgError
from kg.graph.iris import Iris, check_base, slug

FORBIDDEN = set(' <>"{}|^`\\') | {chr(c) for c in range(0x20)} | {"/", "%"}

HOSTILE = ["../../etc/x", "a b", 'say "hi"', "<script>", "x{y}|z^`\\", "..", ".", "tab\there", "new\nline",
           "مرتضی حیدری", "نشست\u200cهای رسانه\u200cای", "100%", "a/b", "?q=1#frag"]


@pytest.mark.parametrize("key", HOSTILE)
def test_slug_is_one_safe_segment(key):
    s = slug(key)
    assert "/" not in s and s not in (".", "..")
    assert not (set(s) & (FORBIDDEN - {"%"}))
    iri = Iris("https://kg.example.org/").article(key)
    assert iri.startswith("https://kg.example.org/article/")
    ox.NamedNode(str(iri))  # oxigraph validates IRIs strictly


def test_hostile_ids_round_trip_through_ntriples_and_turtle():
    iris = Iris("https://kg.example.org/")
    g = Graph()
    for i, key in enumerate(HOSTILE):
        g.add((iris.article(key), URIRef("https://kg.example.org/ontology#n"), Literal(i)))
    for fmt in ("nt", "turtle"):
        back = Graph().parse(data=g.serialize(format=fmt), format=fmt)
        assert set(back) == set(g), fmt


def test_persian_letters_stay_readable_and_spaces_are_encoded():
    assert slug("مرتضی حیدری") == "مرتضی%20حیدری"
    assert slug("province:qom") == "province:qom"
    assert slug("../../etc/x") == "..%2F..%2Fetc%2Fx"
    assert slug("..") == "%2E%2E"


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20))
def test_slug_is_injective_and_safe(a, b):
    import unicodedata

    sa, sb = slug(a), slug(b)
    if unicodedata.normalize("NFC", a) != unicodedata.normalize("NFC", b):
        assert sa != sb
    assert not (set(sa) & (FORBIDDEN - {"%"}))
    ox.NamedNode("https://kg.example.org/x/" + sa)


def test_same_keys_same_iris():
    a, b = Iris("https://kg.example.org/"), Iris("https://kg.example.org/")
    assert a.person("مرتضیحیدری") == b.person("مرتضیحیدری")
    assert a.claim("doc 1", 3, 9) == b.claim("doc 1", 3, 9) == URIRef("https://kg.example.org/claim/doc%201/3-9")
    assert a.org("x", "agency:abna") == URIRef("https://kg.example.org/org/agency:abna")


@pytest.mark.parametrize("base", ["", "kg.example.org/", "https://kg.example.org", "https://kg example.org/",
                                  "https://kg.example.org/<x>/", "file"])
def test_bad_base_iri_is_a_clear_error(base):
    with pytest.raises(KgError, match="base IRI"):
        check_base(base)


def test_custom_base_is_used():
    assert Iris("http://example.com/data#").person("x") == URIRef("http://example.com/data#person/x")


def test_empty_key_is_refused():
    with pytest.raises(KgError):
        slug("")
