"""One person, one node, across articles — when the evidence agrees.

Within an article a person's key is their normalised name plus the agency they
speak for, so `محمد رضایی` of the Fars welfare office and `محمد رضایی` of the
Kerman police are two nodes. Across articles:

- a node with no post (the article named the person without a title) is the
  same person as the ONE node with that name that has a post: `owl:sameAs`;
- nodes with the same name and different agencies stay apart:
  `owl:differentFrom` for each pair when there are a few of them, one
  `owl:AllDifferent` (with `owl:members`) when there are more — pairs grow with
  the square of the namesakes (a common name in a national archive has hundreds);
- when a name has several posted nodes, a post-less node is left unlinked
  (the evidence does not say which one).

Every decision is recorded as a `kg:IdentityDecision` with its evidence, in a
named graph of its own, so it can be reviewed, dropped or recomputed.
"""

from __future__ import annotations

import hashlib
import itertools
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from kg.graph.namespaces import KG, ORG

MAX_PAIRWISE = 4  # namesakes kept apart pair by pair (6 pairs); more go into one owl:AllDifferent

PEOPLE_QUERY = """
SELECT ?person ?key ?agency WHERE {
  ?person kg:nameKey ?key .
  OPTIONAL { ?m org:member ?person ; org:organization ?agency . }
}
ORDER BY ?key ?person"""

Triple = tuple[URIRef, URIRef, URIRef | Literal]


@dataclass(frozen=True, slots=True)
class PersonNode:
    iri: str
    key: str
    agencies: frozenset[str]


def people_from_rows(rows: Iterable[tuple[str, str, str | None]]) -> list[PersonNode]:
    agencies: dict[tuple[str, str], set[str]] = defaultdict(set)
    for iri, key, agency in rows:
        bucket = agencies[(str(iri), str(key))]
        if agency:
            bucket.add(str(agency))
    return [PersonNode(iri, key, frozenset(a)) for (iri, key), a in sorted(agencies.items())]


def identity_graph_iri(base_iri: str) -> str:
    """The named graph of the identity decisions (recomputed at the end of every build)."""
    return base_iri + "graph/identity"


def decisions(key: str, nodes: list[PersonNode], base_iri: str) -> list[Triple]:
    """The identity decisions among the person nodes of one normalised name."""
    out: list[Triple] = []
    posted = [p for p in nodes if p.agencies]
    bare = [p for p in nodes if not p.agencies]
    if len(posted) == 1:
        for p in bare:
            out += _decide(base_iri, p.iri, posted[0].iri, OWL.sameAs,
                           "same normalised name; one article gives no post, the other the only post known for it")
    if len(posted) > MAX_PAIRWISE:
        # namesakes whose agencies share nothing with one another (a node that shares an
        # agency with an earlier one is left out: the evidence does not tell them apart)
        apart: list[PersonNode] = []
        for p in posted:
            if all(p.agencies.isdisjoint(q.agencies) for q in apart):
                apart.append(p)
        if len(apart) > 1:
            out += _all_different(base_iri, key, apart)
        return out
    for i, a in enumerate(posted):
        for b in posted[i + 1:]:
            if a.agencies.isdisjoint(b.agencies):
                out += _decide(base_iri, a.iri, b.iri, OWL.differentFrom, "same normalised name, different agencies")
    return out


def _all_different(base_iri: str, key: str, nodes: list[PersonNode]) -> list[Triple]:
    digest = hashlib.sha1(f"all-different {key}".encode()).hexdigest()[:16]
    d = URIRef(f"{base_iri}identity/{digest}")
    # the list cells are IRIs, not blank nodes, so the graph can be loaded in pieces and
    # replaced later like any other (blank nodes are renamed at every load)
    cells = [URIRef(f"{d}/members/{i}") for i in range(len(nodes))]
    out: list[Triple] = [(d, RDF.type, KG.IdentityDecision), (d, RDF.type, OWL.AllDifferent),
                         (d, OWL.members, cells[0]),
                         (d, KG.identityEvidence, Literal(f"same normalised name, {len(nodes)} different agencies"))]
    for i, (cell, p) in enumerate(zip(cells, nodes)):
        out.append((cell, RDF.first, URIRef(p.iri)))
        out.append((cell, RDF.rest, cells[i + 1] if i + 1 < len(cells) else RDF.nil))
    return out


def _decide(base_iri: str, a: str, b: str, relation: URIRef, why: str) -> list[Triple]:
    s, o = URIRef(a), URIRef(b)
    digest = hashlib.sha1(f"{a} {relation} {b}".encode()).hexdigest()[:16]
    d = URIRef(f"{base_iri}identity/{digest}")
    return [(s, relation, o), (d, RDF.type, KG.IdentityDecision), (d, KG.subject, s), (d, KG.object, o),
            (d, KG.identityEvidence, Literal(why))]


def identity_graph(people: Iterable[PersonNode], base_iri: str) -> Graph:
    """The cross-article identity decisions for these person nodes."""
    by_key: dict[str, list[PersonNode]] = defaultdict(list)
    for p in people:
        by_key[p.key].append(p)
    return _graph(base_iri, (t for key, nodes in sorted(by_key.items()) for t in decisions(key, nodes, base_iri)))


def _graph(base_iri: str, triples: Iterable[Triple]) -> Graph:
    g = Graph(identifier=URIRef(identity_graph_iri(base_iri)))
    g.bind("kg", KG)
    for t in triples:
        g.add(t)
    return g


def identity_from_graph(graph: Graph, base_iri: str) -> Graph:
    """Identity decisions for an rdflib graph (the union of article graphs)."""
    from kg.graph.namespaces import sparql_prologue

    rows = graph.query(sparql_prologue() + PEOPLE_QUERY)
    return identity_graph(people_from_rows((r[0], r[1], r[2]) for r in rows), base_iri)


def store_people(store: ox.Store) -> Iterator[tuple[str, str, str | None]]:
    """The rows of `PEOPLE_QUERY` from a store's default graph, in the same order.

    Read pattern by pattern and sorted on disk by SQLite rather than by the SPARQL
    engine, whose ORDER BY and OPTIONAL join hold every person of the corpus in
    memory, a share that grows with the corpus (at 100k articles the query peaked
    at 255 MB and 27 s, this read at 192 MB, mostly RocksDB's caches, and 20 s)."""
    default = ox.DefaultGraph()
    name_key, member, organization = (ox.NamedNode(str(t)) for t in (KG.nameKey, ORG.member, ORG.organization))

    def rows() -> Iterator[tuple[str, str, str | None]]:
        for person, _, key, _ in store.quads_for_pattern(None, name_key, None, default):
            found = False
            for m, _, _, _ in store.quads_for_pattern(None, member, person, default):
                for _, _, agency, _ in store.quads_for_pattern(m, organization, None, default):
                    found = True
                    yield key.value, person.value, agency.value
            if not found:
                yield key.value, person.value, None

    db = sqlite3.connect("")  # a private temporary database: spills to a file, not to memory
    try:
        db.execute("PRAGMA cache_size = -8192")  # KiB: the sort's memory
        db.execute("CREATE TABLE people (key TEXT, person TEXT, agency TEXT)")
        db.executemany("INSERT INTO people VALUES (?, ?, ?)", rows())
        for key, person, agency in db.execute("SELECT key, person, agency FROM people ORDER BY key, person"):
            yield person, key, agency
    finally:
        db.close()


def store_decisions(store: ox.Store, base_iri: str) -> Iterator[list[Triple]]:
    """Identity decisions of a pyoxigraph store, one name at a time: the people come
    sorted by name, so memory holds one name's namesakes, not every person of the corpus."""
    for key, group in itertools.groupby(store_people(store), key=lambda r: r[1]):
        out = decisions(key, people_from_rows(group), base_iri)
        if out:
            yield out


def identity_from_store(store, base_iri: str) -> Graph:
    """Identity decisions of an on-disk store (`kg.sinks.store.Store`), as an rdflib graph."""
    return _graph(base_iri, (t for triples in store_decisions(store.ox, base_iri) for t in triples))
