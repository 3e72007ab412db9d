"""Cross-article identity: one person, one node, when name and agency agree."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import OWL, RDF

from conftest import BASE
from kg.graph.build import document_graph
from kg.graph.identity import identity_from_graph, identity_from_store
from kg.pipeline import Config, Pipeline
from kg.readers.text import document_from_text
from kg.sinks.rdf import merged
from kg.sinks.store import Store

ARTICLES = {
    "fars-1": "به گزارش ایرنا، محمد کریمی‌فر مدیرکل بهزیستی استان فارس گفت: ۱۲۰۰ خانوار تحت پوشش قرار گرفتند.",
    "fars-2": "به گزارش ایسنا، مدیرکل بهزیستی استان فارس، محمد کریمی‌فر اظهار کرد: ۳۰ درصد مددجویان شاغل شدند.",
    "kerman": "به گزارش مهر، محمد کریمی‌فر فرمانده انتظامی استان کرمان گفت: ۴۰ قاچاقچی دستگیر شدند.",
    "nopost": "به گزارش فارس، حسن طاهرخانی در جمع خبرنگاران گفت: ۵۰۰ تن گندم خریداری شد.",
    "posted": "به گزارش تسنیم، حسن طاهرخانی مدیرکل غله استان قزوین گفت: ۸۰۰ تن گندم خریداری شد.",
}


def _graphs():
    pipeline = Pipeline(Config(ner="rules"))
    out = []
    for doc_id, text in ARTICLES.items():
        doc = pipeline(document_from_text(doc_id, text, doc_id))
        out.append((doc, document_graph(doc, BASE)))
    return out



def test_same_name_same_agency_is_one_node_across_articles():
    docs = _graphs()
    keys = {d.id: {p.key for p in d.people.values()} for d, _ in docs}
    assert keys["fars-1"] == keys["fars-2"]
    assert keys["fars-1"] != keys["kerman"]  # namesakes in two provinces stay apart


def test_identity_decisions_link_and_separate():
    docs = _graphs()
    union = merged(g for _, g in docs)
    ident = identity_from_graph(union, BASE)
    same = list(ident.subject_objects(OWL.sameAs))
    different = list(ident.subject_objects(OWL.differentFrom))
    assert len(same) == 1 and "طاهرخانی" in str(same[0][0]) and "غله" in str(same[0][1])
    assert len(different) == 1 and {"کریمی" in str(x) for x in different[0]} == {True}
    # every decision says why
    assert len(list(ident.triples((None, None, None)))) > 2


def test_many_namesakes_give_one_all_different_not_every_pair():
    from rdflib.collection import Collection

    from kg.graph.identity import MAX_PAIRWISE, PersonNode, identity_graph

    n = 300  # a common name across a national archive: 44,850 pairs if kept apart pair by pair
    people = [PersonNode(f"{BASE}person/p{i}", "محمد رضایی", frozenset({f"{BASE}org/o{i}"})) for i in range(n)]
    people.append(PersonNode(f"{BASE}person/shared", "محمد رضایی", frozenset({f"{BASE}org/o0", f"{BASE}org/o1"})))
    g = identity_graph(people, BASE)
    assert not list(g.subject_objects(OWL.differentFrom))
    (decision, members), = g.subject_objects(OWL.members)
    assert (decision, RDF.type, OWL.AllDifferent) in g
    listed = {str(x) for x in Collection(g, members)}
    assert len(listed) == n and f"{BASE}person/shared" not in listed  # shares agencies: not told apart
    assert len(g) < 10 * n
    # a few namesakes are still kept apart pair by pair
    few = identity_graph(people[:MAX_PAIRWISE], BASE)
    assert len(list(few.subject_objects(OWL.differentFrom))) == MAX_PAIRWISE * (MAX_PAIRWISE - 1) // 2


def test_identity_from_the_store_matches(tmp_path):
    docs = _graphs()
    store = Store(tmp_path / "store")
    for _, g in docs:
        store.replace_graph(g.identifier, g)
    a = identity_from_store(store, BASE)
    b = identity_from_graph(merged(g for _, g in docs), BASE)
    assert set(a.subject_objects(OWL.sameAs)) == set(b.subject_objects(OWL.sameAs))
    assert set(a.subject_objects(OWL.differentFrom)) == set(b.subject_objects(OWL.differentFrom))


def test_store_people_are_the_people_query_rows_in_order(tmp_path):
    from rdflib import Graph, Literal
    from rdflib.namespace import ORG

    from kg.graph.identity import PEOPLE_QUERY, store_people
    from kg.graph.namespaces import KG, PREFIXES

    docs = _graphs()
    odd = Graph(identifier=URIRef(f"{BASE}article/odd"))
    p, m1, m2, bare = (URIRef(f"{BASE}x/{n}") for n in ("p", "m1", "m2", "m-no-org"))
    odd.add((p, KG.nameKey, Literal("الف ب")))
    for m, org in ((m1, "o1"), (m2, "o2")):  # two agencies: two rows
        odd.add((m, ORG.member, p))
        odd.add((m, ORG.organization, URIRef(f"{BASE}org/{org}")))
    q = URIRef(f"{BASE}x/q")  # a membership without an agency: one row, no agency
    odd.add((q, KG.nameKey, Literal("الف ب")))
    odd.add((bare, ORG.member, q))
    with Store(tmp_path / "store") as store:
        for g in [g for _, g in docs] + [odd]:
            store.replace_graph(g.identifier, g)
        expected = [(s["person"].value, s["key"].value, s["agency"].value if s["agency"] is not None else None)
                    for s in store.ox.query(PEOPLE_QUERY, prefixes=PREFIXES)]
        got = list(store_people(store.ox))
    assert got == expected
    assert (str(q), "الف ب", None) in got and sum(r[0] == str(p) for r in got) == 2


def test_kg_build_records_identity_decisions(tmp_path):
    import json
    import subprocess
    import sys

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": k, "text": v}, ensure_ascii=False) + "\n"
                              for k, v in ARTICLES.items()), encoding="utf-8")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "-o", str(out), "--quiet", "--no-html",
                        "--workers", "1"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, "-m", "kg", "query", str(out),
                        "SELECT ?a ?why WHERE { ?d kg:subject ?a ; kg:identityEvidence ?why }", "--format", "json"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    rows = rows.get("rows", rows) if isinstance(rows, dict) else rows
    assert len(rows) == 2, rows  # one sameAs (طاهرخانی), one differentFrom (the two کریمی‌فر)
