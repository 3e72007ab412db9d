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
from kg.graph.namespaces import KG, NIF, QUDT, SCHEMA, UNIT, Terms, bind_prefixes
from kg.text.normalize import clean, fold

FA = "fa"
_LOCAL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
EN = "en"

# Organisation kinds (see kg/resources/organizations.tsv) -> schema.org class.
# Anything else, and no kind at all, is taken as a government body: the
# project is about officials.
# (Local names in SCHEMA, so each builder makes them as its own kind of term.)
_ORG_CLASS = {
    "news_agency": "NewsMediaOrganization",
    "newspaper": "NewsMediaOrganization",
    "news_site": "NewsMediaOrganization",
    "company": "Corporation",
    "university": "CollegeOrUniversity",
    "foundation": "Organization",
    "other": "Organization",
}
_PLACE_CLASS = {
    "country": ("Country",),
    "province": ("AdministrativeArea",),
    "county": ("AdministrativeArea",),
    "city": ("AdministrativeArea", "City"),
}
# The namespaces the builder uses, as builder attributes (see `_Builder.vocab`).
_VOCABULARY = {"RDF": RDF, "RDFS": RDFS, "XSD": XSD, "DCTERMS": DCTERMS, "ORG": ORG, "PROV": PROV,
               "SKOS": SKOS, "KG": KG, "NIF": NIF, "QUDT": QUDT, "SCHEMA": SCHEMA}


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
    text = decimal_text(value)
    return None if text is None else Literal(text, datatype=XSD.decimal)


def decimal_text(value: float | None) -> str | None:
    """The canonical xsd:decimal lexical form of ``value`` (None when not finite)."""
    if value is None or not math.isfinite(value):
        return None
    text = format(Decimal(repr(float(value))), "f")
    text = text + ".0" if "." not in text else text.rstrip("0")
    if text.endswith("."):
        text += "0"
    if text in ("-0.0",):
        text = "0.0"
    return text


def _iso_date(s: str | None) -> _dt.date | None:
    if not s:
        return None
    try:
        return _dt.date.fromisoformat(s.strip()[:10])
    except ValueError:
        return None


class _Builder:
    """Builds one article's triples as rdflib terms in a Graph.

    All terms come from the term factories below, `iris` and the vocabulary
    attributes (``self.KG.value``), so kg.corpus.fastgraph can reuse this
    modelling with N-Triples text as its terms.
    """

    iris_class = Iris
    # Each builder class gets one `Terms` attribute per namespace in _VOCABULARY
    # (self.RDF, self.KG, ...), whose terms it makes with its own `vocab`.

    def __init__(self, doc: Document, base_iri: str):
        self.doc = doc
        self.iris = self.iris_class(base_iri)
        self.article = self.iris.article(doc.id)
        self.g = self.new_graph()
        self.publisher: URIRef | None = None

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls._bind_vocabulary()

    @classmethod
    def _bind_vocabulary(cls) -> None:
        for name, ns in _VOCABULARY.items():
            setattr(cls, name, Terms(ns, cls.vocab))

    def new_graph(self) -> Graph:
        g = Graph(identifier=self.article)
        bind_prefixes(g)
        return g

    def add(self, s, p, o) -> None:
        if o is not None:
            self.g.add((s, p, o))

    # -- term factories ------------------------------------------------------
    @staticmethod
    def vocab(term: URIRef) -> URIRef:
        """A vocabulary IRI (predicate, class, datatype, unit) as this builder's term."""
        return term

    def literal(self, text: str, lang: str | None = None) -> Literal:
        return Literal(text, lang=lang)

    def typed(self, text: str, datatype: URIRef) -> Literal:
        return Literal(text, datatype=datatype)

    def index(self, n: int) -> Literal:
        return Literal(n, datatype=XSD.nonNegativeInteger)

    def boolean(self, value: object) -> Literal:
        return Literal(bool(value))

    def decimal(self, value: float | None) -> Literal | None:
        return decimal_literal(value)

    # -- helpers -----------------------------------------------------------
    def span(self, node: URIRef, start: int, end: int) -> None:
        self.add(node, self.NIF.beginIndex, self.index(start))
        self.add(node, self.NIF.endIndex, self.index(end))
        self.add(node, self.NIF.referenceContext, self.article)

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
        self.add(m, self.RDF.type, self.KG.Mention)
        self.span(m, start, end)
        self.add(m, self.NIF.anchorOf, self.literal(self.text(start, end)))
        self.add(m, self.KG.denotes, entity)

    def labels(self, node: URIRef, fa: str | None, en: str | None) -> None:
        if fa:
            self.add(node, self.RDFS.label, self.literal(fa, FA))
        if en:
            self.add(node, self.RDFS.label, self.literal(en, EN))

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
                self.add(iri, self.RDF.type, self.ORG.Organization)
                self.labels(iri, name, None)
        if key:
            self.publisher = self.org_iri(key)
            self.add(self.publisher, self.RDF.type, self.SCHEMA.NewsMediaOrganization)

    def build_article(self) -> None:
        a, meta = self.article, self.doc.metadata
        self.add(a, self.RDF.type, self.SCHEMA.NewsArticle)
        self.add(a, self.RDF.type, self.NIF.Context)
        self.add(a, self.DCTERMS.identifier, self.literal(self.doc.id))
        self.add(a, self.KG.charLength, self.index(len(self.doc.text)))
        if self.publisher is not None:
            self.add(a, self.DCTERMS.publisher, self.publisher)
        date = _iso_date(meta.date)
        if date is not None:
            from kg.text.dates import jalali_str  # (imports jdatetime: not for every user of this module)

            self.add(a, self.DCTERMS.date, self.typed(date.isoformat(), self.XSD.date))
            self.add(a, self.KG.jalaliDate, self.literal(jalali_str(date)))
        if meta.url:
            self.add(a, self.SCHEMA.url, self.typed(meta.url, self.XSD.anyURI))
        if meta.title:
            self.add(a, self.KG.title, self.literal(meta.title, FA))

    def build_org(self, org) -> None:
        iri = self.iris.org(org.key, org.gazetteer_id)
        self.add(iri, self.RDF.type, self.ORG.Organization)
        self.add(iri, self.RDF.type, getattr(self.SCHEMA, _ORG_CLASS.get(org.kind or "", "GovernmentOrganization")))
        self.labels(iri, org.name, org.en)
        if org.kind:
            self.add(iri, self.KG.kind, self.literal(org.kind))
        if org.parent and org.parent != org.key:
            self.add(iri, self.ORG.subOrganizationOf, self.org_iri(org.parent))
        if org.place and org.place in self.doc.places:
            self.add(iri, self.SCHEMA.location, self.place_iri(org.place))
        for s, e in org.spans:
            self.mention(s, e, iri)

    def build_place(self, place) -> None:
        iri = self.iris.place(place.key, place.gazetteer_id)
        self.add(iri, self.RDF.type, self.SCHEMA.Place)
        for cls in _PLACE_CLASS.get(place.kind or "", ()):
            self.add(iri, self.RDF.type, getattr(self.SCHEMA, cls))
        self.labels(iri, place.name, place.en)
        if place.kind:
            self.add(iri, self.KG.kind, self.literal(place.kind))
        if place.parent and place.parent in self.doc.places:
            self.add(iri, self.SCHEMA.containedInPlace, self.place_iri(place.parent))
        for s, e in place.spans:
            self.mention(s, e, iri)

    def build_person(self, person) -> None:
        iri = self.iris.person(person.key)
        self.add(iri, self.RDF.type, self.SCHEMA.Person)
        self.labels(iri, person.name, person.en)
        # the normalised name, so people met in different articles can be compared (kg.graph.identity)
        self.add(iri, self.KG.nameKey, self.literal(fold(person.name)))
        for h in person.honorifics:
            self.add(iri, self.KG.honorific, self.literal(h, FA))
        for s, e in person.spans:
            self.mention(s, e, iri)
        for post in person.posts:
            self.build_post(person, iri, post)

    def build_post(self, person, person_iri: URIRef, post) -> None:
        role_key = fold(post.role) or fold(post.title)
        if not role_key:
            return
        role = self.iris.role(role_key)
        self.add(role, self.RDF.type, self.ORG.Role)
        self.add(role, self.RDF.type, self.SKOS.Concept)
        self.add(role, self.SKOS.prefLabel, self.literal(post.role, FA))
        if post.role_en:
            self.add(role, self.SKOS.prefLabel, self.literal(post.role_en, EN))

        unit = self.org_iri(post.organization) if post.organization else None
        agency = self.org_iri(post.agency) if post.agency else unit
        p = self.iris.post(unit if unit is not None else person_iri, role_key)
        self.add(p, self.RDF.type, self.ORG.Post)
        self.add(p, self.RDFS.label, self.literal(post.title or post.role, FA))
        self.add(p, self.ORG.role, role)
        self.add(p, self.ORG.postIn, unit)
        self.add(p, self.ORG.heldBy, person_iri)
        self.add(person_iri, self.ORG.holds, p)

        m = self.iris.membership(self.doc.id, person.key, post.start, post.end)
        self.add(m, self.RDF.type, self.ORG.Membership)
        self.add(m, self.ORG.member, person_iri)
        self.add(m, self.ORG.organization, agency)
        self.add(m, self.ORG.role, role)
        self.add(m, self.KG.post, p)
        self.add(m, self.PROV.wasDerivedFrom, self.article)
        if (post.start, post.end) != (0, 0):  # (0, 0) = the stage did not record a span
            self.span(m, post.start, post.end)
            self.add(m, self.NIF.anchorOf, self.literal(self.text(post.start, post.end)))

    def build_statements(self) -> list[tuple[int, int, URIRef]]:
        out = []
        for st in self.doc.statements:
            iri = self.iris.statement(self.doc.id, st.start, st.end)
            self.add(iri, self.RDF.type, self.KG.Statement)
            self.span(iri, st.start, st.end)
            self.add(iri, self.PROV.wasDerivedFrom, self.article)
            self.attribute(iri, st.speaker, None)
            if st.cue_start is not None and st.cue_end is not None and st.cue_end > st.cue_start:
                self.add(iri, self.KG.cue, self.literal(self.text(st.cue_start, st.cue_end), FA))
                self.add(iri, self.KG.cueBegin, self.index(st.cue_start))
                self.add(iri, self.KG.cueEnd, self.index(st.cue_end))
            elif st.cue:
                self.add(iri, self.KG.cue, self.literal(st.cue, FA))
            out.append((st.start, st.end, iri))
        return out

    def attribute(self, node: URIRef, speaker: str | None, agency: URIRef | None,
                  attribution: URIRef | None = None) -> None:
        """Who stated it: the speaker (qualified with the agency they spoke for),
        or, with no speaker, the publisher in its own voice."""
        if speaker:
            person = self.iris.person(speaker)
            self.add(node, self.PROV.wasAttributedTo, person)
            if attribution is not None:
                self.add(node, self.PROV.qualifiedAttribution, attribution)
                self.add(attribution, self.RDF.type, self.PROV.Attribution)
                self.add(attribution, self.PROV.agent, person)
                self.add(attribution, self.KG.onBehalfOf, agency)
            return
        self.add(node, self.KG.reportedByPublisher, self.boolean(True))
        self.add(node, self.KG.reportedBy, self.publisher)
        if agency is not None:  # the reporter cites an agency without naming a person
            self.add(node, self.PROV.wasAttributedTo, agency)

    def build_claim(self, c: Claim, iri: URIRef, claim_iris: list[URIRef],
                    statements: list[tuple[int, int, URIRef]]) -> None:
        doc = self.doc
        self.add(iri, self.RDF.type, self.KG.StatisticalClaim)
        self.add(iri, self.KG.value, self.decimal(c.value))
        self.add(iri, self.KG.unit, self.literal(c.unit))
        unit = qudt_units().get(c.unit)
        if unit is not None:
            self.add(iri, self.QUDT.unit, self.vocab(unit))
        self.add(iri, self.KG.approximate, self.boolean(c.approximate))
        if c.lower is not None:
            self.add(iri, self.KG.lowerBound, self.decimal(c.lower))
        if c.upper is not None:
            self.add(iri, self.KG.upperBound, self.decimal(c.upper))
        if c.direction:
            self.add(iri, self.KG.direction, self.literal(c.direction))
        if c.measure:
            self.add(iri, self.KG.measure, self.literal(c.measure, FA))
        if c.period:
            self.add(iri, self.KG.period, self.literal(c.period, FA))
        for prop, value in ((self.KG.periodStart, c.period_start), (self.KG.periodEnd, c.period_end)):
            d = _iso_date(value)
            if d is not None:
                self.add(iri, prop, self.typed(d.isoformat(), self.XSD.date))
        if c.baseline:
            self.add(iri, self.KG.baseline, self.literal(c.baseline, FA))
        if c.place:
            self.add(iri, self.KG.place, self.place_iri(c.place))

        agency_key = c.agency
        if agency_key is None and c.speaker and c.speaker in doc.people:
            agency_key = doc.people[c.speaker].agency
        agency = self.org_iri(agency_key) if agency_key else None
        self.attribute(iri, c.speaker, agency, self.iris.attribution(doc.id, c.start, c.end))

        self.add(iri, self.PROV.wasDerivedFrom, self.article)
        self.span(iri, c.start, c.end)
        self.add(iri, self.NIF.anchorOf, self.literal(self.text(c.start, c.end)))
        self.add(iri, self.KG.sentence, self.literal(self.text(c.sentence_start, c.sentence_end), FA))
        self.add(iri, self.KG.sentenceBegin, self.index(c.sentence_start))
        self.add(iri, self.KG.sentenceEnd, self.index(c.sentence_end))

        self.add(iri, self.KG.isTotal, self.boolean(c.is_total))
        for i in c.total_of:
            if 0 <= i < len(claim_iris) and claim_iris[i] != iri:
                self.add(iri, self.KG.totalOf, claim_iris[i])
        if c.total_consistent is not None:
            self.add(iri, self.KG.totalConsistent, self.boolean(c.total_consistent))
        for s, e, st in statements:
            if s <= c.start and c.end <= e:
                self.add(iri, self.KG.inStatement, st)
                break
        for s, e in c.evidence:
            self.mention(s, e, iri)


_Builder._bind_vocabulary()


def document_graph(doc: Document, base_iri: str) -> Graph:
    """The RDF graph of one processed article (identifier = the article IRI)."""
    return _Builder(doc, base_iri).build()


def article_iri(doc: Document | str, base_iri: str) -> URIRef:
    """The article IRI (= named graph) of a document or document id."""
    return Iris(base_iri).article(doc if isinstance(doc, str) else doc.id)
