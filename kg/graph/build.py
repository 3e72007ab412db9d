"""One article's RDF graph: `document_graph(doc, base_iri)`.

A pure function of a fully processed `Document`; the returned graph's
identifier is the article IRI, which is also the named graph the sinks put its
triples in. No blank nodes: every node has a deterministic IRI (see
`kg.graph.iris`), so graphs built apart merge by union and a reload of one
article replaces exactly its own named graph.

Modelling (documented term by term in ontology/kg.ttl):
- article: schema:NewsArticle + nif:Context, dcterms:publisher/date/identifier,
  kg:jalaliDate, schema:url, kg:title, kg:charLength;
- person: schema:Person, rdfs:label @fa/@en, org:holds posts;
- post: org:Post with org:role (an org:Role/skos:Concept), org:postIn the unit,
  org:heldBy; per article an org:Membership (member, top agency, role, post)
  derived from the article at the span of the title;
- organisation: org:Organization + a schema.org class by kind,
  org:subOrganizationOf, kg:kind; the publisher is a schema:NewsMediaOrganization;
- place: schema:Place (+ AdministrativeArea / City / Country);
- claim: kg:StatisticalClaim with value (always xsd:decimal), unit code plus
  qudt:unit where QUDT has one, PROV attribution (qualified with the agency),
  NIF span of the number, the sentence, totals;
- statement: kg:Statement (attributed stretch of text) linked from its claims;
- mention: kg:Mention spans that denote people, organisations and places.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import Decimal
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from kg.document import Claim, Document
from kg.errors import KgError
from kg.graph.iris import Iris
from kg.graph.namespaces import KG, NIF, QUDT, SCHEMA, UNIT, bind_prefixes
from kg.text.normalize import clean, fold

FA = "fa"
_LOCAL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
EN = "en"

# Organisation kinds (see kg/resources/organizations.tsv) -> schema.org class.
# Anything else, and no kind at all, is taken as a government body: the
# project is about officials.
_ORG_CLASS = {
    "news_agency": SCHEMA.NewsMediaOrganization,
    "newspaper": SCHEMA.NewsMediaOrganization,
    "news_site": SCHEMA.NewsMediaOrganization,
    "company": SCHEMA.Corporation,
    "university": SCHEMA.CollegeOrUniversity,
    "foundation": SCHEMA.Organization,
    "other": SCHEMA.Organization,
}
_PLACE_CLASS = {
    "country": (SCHEMA.Country,),
    "province": (SCHEMA.AdministrativeArea,),
    "county": (SCHEMA.AdministrativeArea,),
    "city": (SCHEMA.AdministrativeArea, SCHEMA.City),
}


@lru_cache(maxsize=1)
def _unit_rows() -> tuple[dict[str, str], ...]:
    from kg.resources import load_table

    try:
        return load_table("units")
    except KgError:  # lexicon not installed: claims keep their kg:unit code only
        return ()


@lru_cache(maxsize=1)
def qudt_units() -> dict[str, URIRef]:
    """Unit code -> QUDT unit IRI, from the ``qudt`` column of kg/resources/units.tsv.

    A cell is a QUDT local name (``MegaW``), ``unit:MegaW`` or a full IRI;
    codes without one (currencies QUDT lacks) get only their kg:unit code.
    """
    out: dict[str, URIRef] = {}
    for row in _unit_rows():
        code, q = row.get("code", ""), row.get("qudt", "")
        if not code or not q or code in out:
            continue
        if "://" in q:
            out[code] = URIRef(q)
        elif _LOCAL_NAME.fullmatch(q.removeprefix("unit:")):
            out[code] = UNIT[q.removeprefix("unit:")]
    return out


@lru_cache(maxsize=1)
def unit_labels() -> dict[str, str]:
    """Unit code -> its first Persian word in units.tsv (for display)."""
    out: dict[str, str] = {}
    for row in _unit_rows():
        if row.get("code") and row.get("fa"):
            out.setdefault(row["code"], row["fa"])
    return out


def decimal_literal(value: float) -> Literal | None:
    """Claim values are always xsd:decimal, in canonical form (``36.0``, ``0.5``),
    so every serialisation round-trips to the same literal."""
    if value is None or not math.isfinite(value):
        return None
    text = format(Decimal(repr(float(value))), "f")
    text = text + ".0" if "." not in text else text.rstrip("0")
    if text.endswith("."):
        text += "0"
    if text in ("-0.0",):
        text = "0.0"
    return Literal(text, datatype=XSD.decimal)


def _index(n: int) -> Literal:
    return Literal(n, datatype=XSD.nonNegativeInteger)


def _iso_date(s: str | None) -> _dt.date | None:
    if not s:
        return None
    try:
        return _dt.date.fromisoformat(s.strip()[:10])
    except ValueError:
        return None


def jalali(d: _dt.date) -> str:
    import jdatetime

    j = jdatetime.date.fromgregorian(date=d)
    return f"{j.year:04d}-{j.month:02d}-{j.day:02d}"


class _Builder:
    def __init__(self, doc: Document, base_iri: str):
        self.doc = doc
        self.iris = Iris(base_iri)
        self.article = self.iris.article(doc.id)
        self.g = Graph(identifier=self.article)
        bind_prefixes(self.g)
        self.publisher: URIRef | None = None

    # -- helpers -----------------------------------------------------------
    def add(self, s, p, o) -> None:
        if o is not None:
            self.g.add((s, p, o))

    def span(self, node: URIRef, start: int, end: int) -> None:
        self.add(node, NIF.beginIndex, _index(start))
        self.add(node, NIF.endIndex, _index(end))
        self.add(node, NIF.referenceContext, self.article)

    def text(self, start: int, end: int) -> str:
        return self.doc.text[max(start, 0) : max(end, 0)]

    def org_iri(self, key: str) -> URIRef:
        org = self.doc.organizations.get(key)
        return self.iris.org(key, org.gazetteer_id if org else None)

    def place_iri(self, key: str) -> URIRef:
        place = self.doc.places.get(key)
        return self.iris.place(key, place.gazetteer_id if place else None)

    def mention(self, start: int, end: int, entity: URIRef) -> None:
        m = self.iris.mention(self.doc.id, start, end)
        self.add(m, RDF.type, KG.Mention)
        self.span(m, start, end)
        self.add(m, NIF.anchorOf, Literal(self.text(start, end)))
        self.add(m, KG.denotes, entity)

    def labels(self, node: URIRef, fa: str | None, en: str | None) -> None:
        if fa:
            self.add(node, RDFS.label, Literal(fa, lang=FA))
        if en:
            self.add(node, RDFS.label, Literal(en, lang=EN))

    # -- layers ------------------------------------------------------------
    def build(self) -> Graph:
        self.build_publisher()
        self.build_article()
        for org in self.doc.organizations.values():
            self.build_org(org)
        for place in self.doc.places.values():
            self.build_place(place)
        for person in self.doc.people.values():
            self.build_person(person)
        statements = self.build_statements()
        claim_iris = [self.iris.claim(self.doc.id, c.start, c.end) for c in self.doc.claims]
        for claim, iri in zip(self.doc.claims, claim_iris):
            self.build_claim(claim, iri, claim_iris, statements)
        return self.g

    def build_publisher(self) -> None:
        doc = self.doc
        key = doc.publisher
        if key is None and doc.metadata.publisher:
            # only the reader's metadata names it: identify it by its folded name
            name = clean(doc.metadata.publisher)
            key = fold(name)
            if key and key not in doc.organizations:
                iri = self.iris.org(key)
                self.add(iri, RDF.type, ORG.Organization)
                self.labels(iri, name, None)
        if key:
            self.publisher = self.org_iri(key)
            self.add(self.publisher, RDF.type, SCHEMA.NewsMediaOrganization)

    def build_article(self) -> None:
        a, meta = self.article, self.doc.metadata
        self.add(a, RDF.type, SCHEMA.NewsArticle)
        self.add(a, RDF.type, NIF.Context)
        self.add(a, DCTERMS.identifier, Literal(self.doc.id))
        self.add(a, KG.charLength, _index(len(self.doc.text)))
        if self.publisher is not None:
            self.add(a, DCTERMS.publisher, self.publisher)
        date = _iso_date(meta.date)
        if date is not None:
            self.add(a, DCTERMS.date, Literal(date.isoformat(), datatype=XSD.date))
            self.add(a, KG.jalaliDate, Literal(jalali(date)))
        if meta.url:
            self.add(a, SCHEMA.url, Literal(meta.url, datatype=XSD.anyURI))
        if meta.title:
            self.add(a, KG.title, Literal(meta.title, lang=FA))

    def build_org(self, org) -> None:
        iri = self.iris.org(org.key, org.gazetteer_id)
        self.add(iri, RDF.type, ORG.Organization)
        self.add(iri, RDF.type, _ORG_CLASS.get(org.kind or "", SCHEMA.GovernmentOrganization))
        self.labels(iri, org.name, org.en)
        if org.kind:
            self.add(iri, KG.kind, Literal(org.kind))
        if org.parent and org.parent != org.key:
            self.add(iri, ORG.subOrganizationOf, self.org_iri(org.parent))
        if org.place and org.place in self.doc.places:
            self.add(iri, SCHEMA.location, self.place_iri(org.place))
        for s, e in org.spans:
            self.mention(s, e, iri)

    def build_place(self, place) -> None:
        iri = self.iris.place(place.key, place.gazetteer_id)
        self.add(iri, RDF.type, SCHEMA.Place)
        for cls in _PLACE_CLASS.get(place.kind or "", ()):
            self.add(iri, RDF.type, cls)
        self.labels(iri, place.name, place.en)
        if place.kind:
            self.add(iri, KG.kind, Literal(place.kind))
        if place.parent and place.parent in self.doc.places:
            self.add(iri, SCHEMA.containedInPlace, self.place_iri(place.parent))
        for s, e in place.spans:
            self.mention(s, e, iri)

    def build_person(self, person) -> None:
        iri = self.iris.person(person.key)
        self.add(iri, RDF.type, SCHEMA.Person)
        self.labels(iri, person.name, person.en)
        # the normalised name, so people met in different articles can be compared (kg.graph.identity)
        self.add(iri, KG.nameKey, Literal(fold(person.name)))
        for h in person.honorifics:
            self.add(iri, KG.honorific, Literal(h, lang=FA))
        for s, e in person.spans:
            self.mention(s, e, iri)
        for post in person.posts:
            self.build_post(person, iri, post)

    def build_post(self, person, person_iri: URIRef, post) -> None:
        role_key = fold(post.role) or fold(post.title)
        if not role_key:
            return
        role = self.iris.role(role_key)
        self.add(role, RDF.type, ORG.Role)
        self.add(role, RDF.type, SKOS.Concept)
        self.add(role, SKOS.prefLabel, Literal(post.role, lang=FA))
        if post.role_en:
            self.add(role, SKOS.prefLabel, Literal(post.role_en, lang=EN))

        unit = self.org_iri(post.organization) if post.organization else None
        agency = self.org_iri(post.agency) if post.agency else unit
        p = self.iris.post(unit if unit is not None else person_iri, role_key)
        self.add(p, RDF.type, ORG.Post)
        self.add(p, RDFS.label, Literal(post.title or post.role, lang=FA))
        self.add(p, ORG.role, role)
        self.add(p, ORG.postIn, unit)
        self.add(p, ORG.heldBy, person_iri)
        self.add(person_iri, ORG.holds, p)

        m = self.iris.membership(self.doc.id, person.key, post.start, post.end)
        self.add(m, RDF.type, ORG.Membership)
        self.add(m, ORG.member, person_iri)
        self.add(m, ORG.organization, agency)
        self.add(m, ORG.role, role)
        self.add(m, KG.post, p)
        self.add(m, PROV.wasDerivedFrom, self.article)
        if (post.start, post.end) != (0, 0):  # (0, 0) = the stage did not record a span
            self.span(m, post.start, post.end)
            self.add(m, NIF.anchorOf, Literal(self.text(post.start, post.end)))

    def build_statements(self) -> list[tuple[int, int, URIRef]]:
        out = []
        for st in self.doc.statements:
            iri = self.iris.statement(self.doc.id, st.start, st.end)
            self.add(iri, RDF.type, KG.Statement)
            self.span(iri, st.start, st.end)
            self.add(iri, PROV.wasDerivedFrom, self.article)
            self.attribute(iri, st.speaker, None)
            if st.cue_start is not None and st.cue_end is not None and st.cue_end > st.cue_start:
                self.add(iri, KG.cue, Literal(self.text(st.cue_start, st.cue_end), lang=FA))
                self.add(iri, KG.cueBegin, _index(st.cue_start))
                self.add(iri, KG.cueEnd, _index(st.cue_end))
            elif st.cue:
                self.add(iri, KG.cue, Literal(st.cue, lang=FA))
            out.append((st.start, st.end, iri))
        return out

    def attribute(self, node: URIRef, speaker: str | None, agency: URIRef | None,
                  attribution: URIRef | None = None) -> None:
        """Who stated it: the speaker (qualified with the agency they spoke for),
        or, with no speaker, the publisher in its own voice."""
        if speaker:
            person = self.iris.person(speaker)
            self.add(node, PROV.wasAttributedTo, person)
            if attribution is not None:
                self.add(node, PROV.qualifiedAttribution, attribution)
                self.add(attribution, RDF.type, PROV.Attribution)
                self.add(attribution, PROV.agent, person)
                self.add(attribution, KG.onBehalfOf, agency)
            return
        self.add(node, KG.reportedByPublisher, Literal(True))
        self.add(node, KG.reportedBy, self.publisher)
        if agency is not None:  # the reporter cites an agency without naming a person
            self.add(node, PROV.wasAttributedTo, agency)

    def build_claim(self, c: Claim, iri: URIRef, claim_iris: list[URIRef],
                    statements: list[tuple[int, int, URIRef]]) -> None:
        doc = self.doc
        self.add(iri, RDF.type, KG.StatisticalClaim)
        self.add(iri, KG.value, decimal_literal(c.value))
        self.add(iri, KG.unit, Literal(c.unit))
        self.add(iri, QUDT.unit, qudt_units().get(c.unit))
        self.add(iri, KG.approximate, Literal(bool(c.approximate)))
        if c.lower is not None:
            self.add(iri, KG.lowerBound, decimal_literal(c.lower))
        if c.upper is not None:
            self.add(iri, KG.upperBound, decimal_literal(c.upper))
        if c.direction:
            self.add(iri, KG.direction, Literal(c.direction))
        if c.measure:
            self.add(iri, KG.measure, Literal(c.measure, lang=FA))
        if c.period:
            self.add(iri, KG.period, Literal(c.period, lang=FA))
        for prop, value in ((KG.periodStart, c.period_start), (KG.periodEnd, c.period_end)):
            d = _iso_date(value)
            if d is not None:
                self.add(iri, prop, Literal(d.isoformat(), datatype=XSD.date))
        if c.baseline:
            self.add(iri, KG.baseline, Literal(c.baseline, lang=FA))
        if c.place:
            self.add(iri, KG.place, self.place_iri(c.place))

        agency_key = c.agency
        if agency_key is None and c.speaker and c.speaker in doc.people:
            agency_key = doc.people[c.speaker].agency
        agency = self.org_iri(agency_key) if agency_key else None
        self.attribute(iri, c.speaker, agency, self.iris.attribution(doc.id, c.start, c.end))

        self.add(iri, PROV.wasDerivedFrom, self.article)
        self.span(iri, c.start, c.end)
        self.add(iri, NIF.anchorOf, Literal(self.text(c.start, c.end)))
        self.add(iri, KG.sentence, Literal(self.text(c.sentence_start, c.sentence_end), lang=FA))
        self.add(iri, KG.sentenceBegin, _index(c.sentence_start))
        self.add(iri, KG.sentenceEnd, _index(c.sentence_end))

        self.add(iri, KG.isTotal, Literal(bool(c.is_total)))
        for i in c.total_of:
            if 0 <= i < len(claim_iris) and claim_iris[i] != iri:
                self.add(iri, KG.totalOf, claim_iris[i])
        if c.total_consistent is not None:
            self.add(iri, KG.totalConsistent, Literal(bool(c.total_consistent)))
        for s, e, st in statements:
            if s <= c.start and c.end <= e:
                self.add(iri, KG.inStatement, st)
                break
        for s, e in c.evidence:
            self.mention(s, e, iri)


def document_graph(doc: Document, base_iri: str) -> Graph:
    """The RDF graph of one processed article (identifier = the article IRI)."""
    return _Builder(doc, base_iri).build()


def article_iri(doc: Document | str, base_iri: str) -> URIRef:
    """The article IRI (= named graph) of a document or document id."""
    return Iris(base_iri).article(doc if isinstance(doc, str) else doc.id)
