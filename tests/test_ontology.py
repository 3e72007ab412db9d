"""The shipped ontology, shapes, JSON-LD context and named queries."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from graph_doc import BASE, seed_like_document
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.plugins.sparql import prepareQuery

from kg.graph.build import document_graph
from kg.graph.namespaces import KG, PREFIXES, SCHEMA, SH
from kg.graph.shacl import ontology_file, shapes_graph
from kg.query.named import named_queries
from kg.sinks.rdf import jsonld_context, merged
from test_graph_build import reporter_document


@pytest.fixture(scope="module")
def onto():
    return Graph().parse(data=ontology_file("kg.ttl").read_text(encoding="utf-8"), format="turtle")


@pytest.fixture(scope="module")
def built():
    """What the project writes: article graphs and the cross-article identity decisions."""
    from rdflib.namespace import ORG

    from kg.graph.identity import identity_from_graph

    g = merged([document_graph(seed_like_document(), BASE), document_graph(reporter_document(), BASE)])
    # a post-less namesake in a third article, so an identity decision is made
    bare = URIRef(BASE + "person/bare")
    key = next(g.objects(None, KG.nameKey))
    person = next(g.subjects(KG.nameKey, key))
    assert next(g.subjects(ORG.member, person), None) is not None
    g.add((bare, KG.nameKey, key))
    return g + identity_from_graph(g, BASE)


def kg_terms(g: Graph) -> set:
    return {t for triple in g for t in triple if str(t).startswith(str(KG))}


def test_every_kg_term_the_builder_uses_is_declared(onto, built):
    declared = set(onto.subjects(RDF.type, OWL.Class)) | set(onto.subjects(RDF.type, OWL.ObjectProperty)) \
        | set(onto.subjects(RDF.type, OWL.DatatypeProperty))
    used = kg_terms(built)
    assert used, "the builder uses kg: terms"
    assert used <= declared, sorted(used - declared)


def test_every_declared_term_is_used_by_the_builder(onto, built):
    declared = {t for t in onto.subjects(RDF.type, None) if str(t).startswith(str(KG))}
    assert declared - kg_terms(built) == set()


def test_every_term_has_english_and_persian_labels_and_a_comment(onto):
    terms = {t for t in onto.subjects(RDF.type, None) if str(t).startswith(str(KG))}
    assert len(terms) > 30
    for t in terms:
        langs = {lit.language for lit in onto.objects(t, RDFS.label) if isinstance(lit, Literal)}
        assert {"en", "fa"} <= langs, t
        assert any(c.language == "en" for c in onto.objects(t, RDFS.comment)), t


def test_claim_class_extends_schema_claim(onto):
    assert (KG.StatisticalClaim, RDFS.subClassOf, SCHEMA.Claim) in onto


def test_shapes_parse_and_cover_claims():
    g = shapes_graph()
    targets = set(g.objects(None, SH.targetClass))
    assert KG.StatisticalClaim in targets


def test_context_matches_the_prefixes():
    doc = json.loads(ontology_file("context.jsonld").read_text(encoding="utf-8"))
    ctx = jsonld_context()
    assert doc["@context"] == ctx
    for prefix, ns in PREFIXES.items():
        assert ctx[prefix] == ns


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_queries_parse_and_say_what_they_answer(name):
    q = named_queries()[name]
    assert q.text.startswith("#") and len(q.description) > 20
    ox.Store().query(q.text, prefixes=PREFIXES)  # oxigraph parses it
    prepareQuery(q.text, initNs=PREFIXES)  # and rdflib does


def test_seven_competency_questions_are_shipped():
    assert len(named_queries()) == 7
