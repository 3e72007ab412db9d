"""The graph builder on a hand-built, seed-like Document (see graph_doc.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from graph_doc import BASE, seed_like_document
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, XSD

from kg.document import Claim, Document, Metadata, Organization, Person, Statement
from kg.graph.build import decimal_literal, document_graph, qudt_units
from kg.graph.iris import Iris
from kg.graph.namespaces import KG, NIF, QUDT, SCHEMA, UNIT
from kg.graph.shacl import validate
from kg.sinks.rdf import merged
from kg.text.normalize import fold

IRIS = Iris(BASE)


@pytest.fixture(scope="module")
def doc():
    return seed_like_document()


@pytest.fixture(scope="module")
def g(doc):
    return document_graph(doc, BASE)


def reporter_document() -> Document:
    """A short made-up article: the reporter states numbers in its own voice,
    citing a ministry; a range; an official with no post."""
    text = ("به گزارش خبرگزاری نمونه، بین ۴۰ تا ۵۰ درصد سدهای کشور خالی است. "
            "وزارت نیرو اعلام کرد: مصرف آب ۱۲ درصد افزایش یافت. رضا کریمی گفت: وضعیت بهتر می‌شود.")
    doc = Document(id="sample/2024 x", text=text, metadata=Metadata(publisher="خبرگزاری نمونه", date="2024-03-20"))
    ministry = Organization(key=fold("وزارت نیرو"), name="وزارت نیرو", kind="ministry", en="Ministry of Energy",
                            spans=[(text.index("وزارت نیرو"), text.index("وزارت نیرو") + len("وزارت نیرو"))])
    doc.organizations[ministry.key] = ministry
    karimi = Person(key=fold("رضا کریمی"), name="رضا کریمی",
                    spans=[(text.index("رضا کریمی"), text.index("رضا کریمی") + 9)])
    doc.people[karimi.key] = karimi
    s1 = text.index("۴۰ تا ۵۰ درصد")
    s2 = text.index("۱۲ درصد")
    doc.claims = [
        Claim(value=45, unit="percent", start=s1, end=s1 + len("۴۰ تا ۵۰ درصد"), sentence_start=0,
              sentence_end=text.index(".") + 1, lower=40, upper=50, approximate=True, measure="سدهای خالی"),
        Claim(value=12, unit="percent", start=s2, end=s2 + len("۱۲ درصد"), sentence_start=text.index("وزارت"),
              sentence_end=text.index("یافت.") + 5, direction="increase", measure="مصرف آب", agency=ministry.key,
              period="سال ۱۴۰۲", period_start="2023-03-21", period_end="2024-03-19", evidence=[(s2, s2 + 2)]),
    ]
    doc.statements = [Statement(start=text.index("وضعیت"), end=len(text), speaker=karimi.key, cue="گفت"),
                      Statement(start=0, end=text.index(".") + 1, speaker=None)]
    return doc


def test_graph_is_named_by_the_article_and_has_no_blank_nodes(g, doc):
    assert g.identifier == IRIS.article(doc.id)
    assert not any(isinstance(t, BNode) for triple in g for t in triple)


def test_building_is_deterministic(doc, g):
    assert set(document_graph(seed_like_document(), BASE)) == set(g)


def test_article_node(g, doc):
    a = IRIS.article(doc.id)
    assert (a, RDF.type, SCHEMA.NewsArticle) in g and (a, RDF.type, NIF.Context) in g
    assert g.value(a, DCTERMS.date) == Literal("2025-08-18", datatype=XSD.date)
    assert str(g.value(a, KG.jalaliDate)) == "1404-05-27"
    assert g.value(a, DCTERMS.identifier) == Literal(doc.id)
    assert g.value(a, KG.charLength).toPython() == len(doc.text)
    assert g.value(a, SCHEMA.url) == Literal("https://news.example.org/fa/qom-1", datatype=XSD.anyURI)
    publisher = g.value(a, DCTERMS.publisher)
    assert publisher == IRIS.org("x", "agency:abna")
    assert (publisher, RDF.type, SCHEMA.NewsMediaOrganization) in g


def test_people_posts_and_memberships(g, doc):
    h = IRIS.person(fold("مرتضی حیدری"))
    assert (h, RDF.type, SCHEMA.Person) in g
    assert Literal("مرتضی حیدری", lang="fa") in set(g.objects(h, RDFS.label))
    assert Literal("Morteza Heydari", lang="en") in set(g.objects(h, RDFS.label))
    (post,) = list(g.objects(h, ORG.holds))
    unit = IRIS.org(fold("معاونت سیاسی و امنیتی استانداری قم"))
    gov = IRIS.org(fold("استانداری قم"))
    assert g.value(post, ORG.postIn) == unit and g.value(post, ORG.heldBy) == h
    role = g.value(post, ORG.role)
    assert (role, RDF.type, ORG.Role) in g
    (m,) = list(g.subjects(ORG.member, h))
    assert g.value(m, ORG.organization) == gov and g.value(m, ORG.role) == role and g.value(m, KG.post) == post
    assert g.value(m, PROV.wasDerivedFrom) == IRIS.article(doc.id)
    b, e = g.value(m, NIF.beginIndex).toPython(), g.value(m, NIF.endIndex).toPython()
    assert doc.text[b:e] == "سرپرست معاونت سیاسی و امنیتی استانداری قم"
    assert (unit, ORG.subOrganizationOf, gov) in g


def test_every_claim(g, doc):
    claims = set(g.subjects(RDF.type, KG.StatisticalClaim))
    assert len(claims) == 16
    for c in doc.claims:
        iri = IRIS.claim(doc.id, c.start, c.end)
        assert iri in claims
        assert g.value(iri, KG.value).toPython() == Decimal(str(c.value))
        assert g.value(iri, KG.value).datatype == XSD.decimal
        assert str(g.value(iri, KG.unit)) == c.unit
        assert g.value(iri, NIF.beginIndex).toPython() == c.start
        assert str(g.value(iri, NIF.anchorOf)) == doc.text[c.start:c.end]
        assert str(g.value(iri, KG.sentence)) == doc.text[c.sentence_start:c.sentence_end]
        assert g.value(iri, PROV.wasDerivedFrom) == IRIS.article(doc.id)
        speaker = IRIS.person(c.speaker)
        assert g.value(iri, PROV.wasAttributedTo) == speaker
        att = g.value(iri, PROV.qualifiedAttribution)
        assert g.value(att, PROV.agent) == speaker and g.value(att, KG.onBehalfOf) == IRIS.org(c.agency)
        assert g.value(iri, KG.inStatement) is not None


def test_units_map_to_qudt(g):
    units = qudt_units()
    assert units["percent"] == UNIT.PERCENT and units["MW"] == UNIT.MegaW
    mw = [c for c in g.subjects(KG.unit, Literal("MW"))]
    assert len(mw) == 3 and all(g.value(c, QUDT.unit) == UNIT.MegaW for c in mw)


def test_total_and_parts(g, doc):
    total = IRIS.claim(doc.id, doc.claims[5].start, doc.claims[5].end)
    parts = {IRIS.claim(doc.id, doc.claims[i].start, doc.claims[i].end) for i in (3, 4)}
    assert set(g.objects(total, KG.totalOf)) == parts
    assert g.value(total, KG.isTotal).toPython() is True
    assert g.value(total, KG.totalConsistent).toPython() is True
    assert sum(g.value(p, KG.value).toPython() for p in parts) == g.value(total, KG.value).toPython()


def test_mentions_point_into_the_text(g, doc):
    mentions = list(g.subjects(RDF.type, KG.Mention))
    assert len(mentions) >= 10
    for m in mentions:
        b, e = g.value(m, NIF.beginIndex).toPython(), g.value(m, NIF.endIndex).toPython()
        assert str(g.value(m, NIF.anchorOf)) == doc.text[b:e]
        assert g.value(m, KG.denotes) is not None
    heydari = IRIS.person(fold("مرتضی حیدری"))
    anchors = {str(g.value(m, NIF.anchorOf)) for m in g.subjects(KG.denotes, heydari)}
    assert {"مرتضی حیدری", "وی", "حیدری", "سرپرست معاونت سیاسی و امنیتی استانداری قم"} <= anchors


def test_seed_like_graph_conforms_to_shapes(g):
    report = validate(g)
    assert report.conforms, [v.line() for v in report.violations]


def test_reporter_voice_ranges_periods_and_statements():
    doc = reporter_document()
    g = document_graph(doc, BASE)
    assert validate(g).conforms, [v.line() for v in validate(g).violations]
    c1, c2 = (IRIS.claim(doc.id, c.start, c.end) for c in doc.claims)
    publisher = IRIS.org(fold("خبرگزاری نمونه"))
    assert g.value(c1, KG.reportedByPublisher).toPython() is True
    assert g.value(c1, KG.reportedBy) == publisher
    assert Literal("خبرگزاری نمونه", lang="fa") in set(g.objects(publisher, RDFS.label))
    assert g.value(c1, PROV.wasAttributedTo) is None
    assert (g.value(c1, KG.lowerBound).toPython(), g.value(c1, KG.upperBound).toPython()) == (40, 50)
    # the reporter cites the ministry: attributed to the agency, still the publisher's voice
    assert g.value(c2, PROV.wasAttributedTo) == IRIS.org(fold("وزارت نیرو"))
    assert g.value(c2, KG.periodStart) == Literal("2023-03-21", datatype=XSD.date)
    assert str(g.value(c2, KG.direction)) == "increase"
    assert len(list(g.subjects(KG.denotes, c2))) == 1  # the repeated span
    speakers = {g.value(s, PROV.wasAttributedTo) for s in g.subjects(RDF.type, KG.Statement)}
    assert speakers == {IRIS.person(fold("رضا کریمی")), None}
    assert (publisher, RDF.type, SCHEMA.NewsMediaOrganization) in g


def test_documents_merge_by_union():
    a, b = seed_like_document(), seed_like_document()
    b.id = "another-article"
    b.claims = b.claims[:2]
    ga, gb = document_graph(a, BASE), document_graph(b, BASE)
    union = merged([ga, gb])
    people = set(union.subjects(RDF.type, SCHEMA.Person))
    assert len(people) == 2  # the same officials are one node each
    assert len(set(union.subjects(RDF.type, KG.StatisticalClaim))) == 18
    assert len(set(union.subjects(RDF.type, ORG.Membership))) == 4  # evidence per article
    assert len(set(union.subjects(RDF.type, ORG.Post))) == 2
    assert validate(union).conforms


def test_base_iri_is_configurable(doc):
    g = document_graph(doc, "http://example.com/news/")
    assert all(str(s).startswith("http://example.com/news/") for s in g.subjects() if isinstance(s, URIRef))


def test_hostile_document_id():
    doc = reporter_document()
    doc.id = '../../etc/x "y" <z>'
    g = document_graph(doc, BASE)
    assert str(g.identifier) == "https://kg.example.org/article/..%2F..%2Fetc%2Fx%20%22y%22%20%3Cz%3E"
    assert validate(g).conforms


def test_decimal_literals_are_canonical():
    assert str(decimal_literal(230000.0)) == "230000.0"
    assert str(decimal_literal(0.25)) == "0.25"
    assert str(decimal_literal(1e21)) == "1000000000000000000000.0"
    assert decimal_literal(float("nan")) is None


def test_bad_spans_are_caught_by_the_shapes():
    doc = reporter_document()
    doc.claims[0].end = len(doc.text) + 10  # past the end of the article
    doc.claims[1].start, doc.claims[1].end = 30, 20  # begins after it ends
    report = validate(document_graph(doc, BASE))
    messages = {v.message for v in report.violations}
    assert not report.conforms
    assert "a span must end within the article's text (kg:charLength)" in messages
    assert "a span must begin before it ends" in messages


def test_missing_label_and_speaker_are_caught():
    doc = reporter_document()
    doc.people[fold("رضا کریمی")].name = ""
    doc.claims[1].speaker = "nobody-known"  # a speaker the resolver never described
    report = validate(document_graph(doc, BASE))
    messages = {v.message for v in report.violations}
    assert "a person needs a Persian label (rdfs:label @fa)" in messages
    assert any("either a speaker" in m for m in messages)
