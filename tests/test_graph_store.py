"""The embedded on-disk store (pyoxigraph)."""

from __future__ import annotations

import pytest
from graph_doc import BASE, seed_like_document
from rdflib import Graph

from kg.errors import KgError
from kg.graph.build import document_graph
from kg.graph.iris import Iris
from kg.sinks import rdf
from kg.sinks.store import Store, is_store_dir
from test_graph_build import reporter_document

IRIS = Iris(BASE)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def count(st: Store) -> int:
    return int(st.query(COUNT).rows[0][0])


@pytest.fixture(scope="module")
def graphs():
    return [document_graph(seed_like_document(), BASE), document_graph(reporter_document(), BASE)]


def test_replace_graph_is_idempotent(tmp_path, graphs):
    with Store(tmp_path / "st") as st:
        for _ in range(3):
            for g in graphs:
                st.replace_graph(str(g.identifier), g)
        assert count(st) == sum(len(g) for g in graphs)
        assert st.named_graphs() == sorted(str(g.identifier) for g in graphs)
        # a changed article replaces its old triples
        smaller = document_graph(reporter_document(), BASE)
        for t in list(smaller.triples((None, None, None)))[:5]:
            smaller.remove(t)
        st.replace_graph(str(smaller.identifier), smaller)
        assert count(st) == len(graphs[0]) + len(smaller)


def test_persists_and_reopens_read_only(tmp_path, graphs):
    path = tmp_path / "st"
    with Store(path) as st:
        st.add_document_quads(graphs[0], str(graphs[0].identifier))
    assert is_store_dir(path)
    with Store(path, read_only=True) as st:
        assert count(st) == len(graphs[0])


def test_bulk_load_nquads_and_bound_query(tmp_path, graphs):
    out = rdf.write_outputs(graphs, tmp_path / "out", ["nquads"])
    with Store(tmp_path / "st") as st:
        st.bulk_load(out["nquads"])
        assert count(st) == sum(len(g) for g in graphs)
        q = ("SELECT ?c ?who WHERE { ?c a kg:StatisticalClaim ; prov:wasAttributedTo ?p . "
             "?p rdfs:label ?l FILTER(str(?l) = ?who) }")
        res = st.query(q, {"who": "مرتضی حیدری"})
        assert len(res.rows) == 15 and res.vars == ["c"]
        assert st.query(q, {"who": '" } ; DROP ALL #'}).rows == []
        assert count(st) == sum(len(g) for g in graphs)


def test_export_round_trips(tmp_path, graphs):
    with Store(tmp_path / "st") as st:
        for g in graphs:
            st.replace_graph(str(g.identifier), g)
        st.export(tmp_path / "dump.trig")
        st.export(tmp_path / "dump.ttl")
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(tmp_path / "dump.trig", format="trig")
    assert {g.identifier for g in ds.graphs() if len(g)} == {g.identifier for g in graphs}
    # oxigraph keeps values, not spellings (36.0 -> 36, nonNegativeInteger -> integer): same size, same nodes
    back = Graph().parse(tmp_path / "dump.ttl", format="turtle")
    union = rdf.merged(graphs)
    assert len(back) == len(union)
    assert set(back.subjects()) == set(union.subjects())


def test_not_a_store_is_a_clear_error(tmp_path):
    (tmp_path / "x.txt").write_text("hello")
    with pytest.raises(KgError, match="not a kg store"):
        Store(tmp_path)
    with pytest.raises(KgError, match="not a kg store"):
        Store(tmp_path / "nothing", read_only=True)
    with pytest.raises(KgError, match="no such file"):
        Store(tmp_path / "st").bulk_load(tmp_path / "missing.nq")


def test_bad_data_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.nq"
    bad.write_text("<a> <b> .\n")
    with Store(tmp_path / "st") as st, pytest.raises(KgError, match="cannot load"):
        st.bulk_load(bad)


@pytest.mark.parametrize("chunk", [20_000, 7])  # 7: graphs are dropped over many small steps
def test_default_graph_is_the_set_union_of_the_articles(tmp_path, monkeypatch, chunk):
    """A person named in many articles must not multiply query rows."""
    monkeypatch.setattr("kg.sinks.store.DROP_CHUNK", chunk)
    docs = []
    for i in range(3):
        d = seed_like_document()
        d.id = f"article-{i}"
        docs.append(d)
    labels = "SELECT ?l WHERE { ?p a schema:Person ; rdfs:label ?l }"
    said = "SELECT ?who ?c WHERE { ?c a kg:StatisticalClaim ; prov:wasAttributedTo ?p . ?p rdfs:label ?l FILTER(str(?l) = ?who) }"
    with Store(tmp_path / "st") as st:
        for d in docs:
            st.replace_graph(str(IRIS.article(d.id)), document_graph(d, BASE))
        assert len(st.query(labels).rows) == 4  # two people, fa + en, once each
        assert len(st.query(said, {"who": "مرتضی حیدری"}).rows) == 45
        # article-0 no longer names the second official: his triples stay while other articles have them
        zarei = next(k for k, p in docs[0].people.items() if "زارعی" in p.name)
        del docs[0].people[zarei]
        docs[0].claims = [c for c in docs[0].claims if c.speaker != zarei]
        st.replace_graph(str(IRIS.article(docs[0].id)), document_graph(docs[0], BASE))
        assert len(st.query(said, {"who": "علی اکبر زارعی"}).rows) == 2
        assert len(st.query(labels).rows) == 4
        for d in docs[1:]:
            st.replace_graph(str(IRIS.article(d.id)), Graph())
        assert len(st.query(labels).rows) == 2  # gone from every article, so gone from the union
        st.export(tmp_path / "dump.nq")
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(tmp_path / "dump.nq", format="nquads")
    assert len(ds.default_graph) == 0  # exports hold the article graphs only
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == {str(IRIS.article("article-0"))}


def test_bulk_load_then_replace_keeps_the_union(tmp_path, graphs):
    out = rdf.write_outputs(graphs, tmp_path / "out", ["nquads"])
    with Store(tmp_path / "st") as st:
        st.bulk_load(out["nquads"])
        st.bulk_load(out["nquads"])  # loading twice changes nothing
        assert len(st.query("SELECT * WHERE { ?s ?p ?o }").rows) == len(rdf.merged(graphs))
        st.replace_graph(str(graphs[1].identifier), graphs[1])
        assert len(st.query("SELECT * WHERE { ?s ?p ?o }").rows) == len(rdf.merged(graphs))


def test_reopen_keeps_the_data_and_stays_writable(tmp_path, graphs):
    with Store(tmp_path / "st") as st:
        st.replace_graph(str(graphs[0].identifier), graphs[0])
        st.reopen()  # closes RocksDB (its lock too) and opens it again
        assert count(st) == len(graphs[0])
        st.replace_graph(str(graphs[1].identifier), graphs[1])
        assert count(st) == sum(len(g) for g in graphs)
    with Store(tmp_path / "st", read_only=True) as st:
        st.reopen()
        assert st.read_only and count(st) == sum(len(g) for g in graphs)


def test_open_table_files_are_bounded_and_the_file_limit_restored(tmp_path, graphs):
    import resource

    from kg.sinks.store import OPEN_TABLES

    before = resource.getrlimit(resource.RLIMIT_NOFILE)
    with Store(tmp_path / "st", open_tables=OPEN_TABLES) as st:
        st.replace_graph(str(graphs[0].identifier), graphs[0])
        assert resource.getrlimit(resource.RLIMIT_NOFILE) == before  # only while RocksDB opens
        # what RocksDB was configured with, as it records it in the store folder
        options = max((tmp_path / "st").glob("OPTIONS-*"), key=lambda p: int(p.name.split("-")[1]))
        limits = {int(line.split("=")[1]) for line in options.read_text().splitlines()
                  if line.strip().startswith("max_open_files=")}
    if before[0] > OPEN_TABLES + 48:
        assert limits == {OPEN_TABLES}
    with Store(tmp_path / "st", read_only=True) as st:  # by default, oxigraph's own
        assert count(st) == len(graphs[0])
        st.reopen(open_tables=OPEN_TABLES)
        assert count(st) == len(graphs[0])
    assert resource.getrlimit(resource.RLIMIT_NOFILE) == before


def test_open_table_limit_leaves_room_for_the_files_already_open(tmp_path, graphs):
    import os
    import resource

    held = [open(os.devnull) for _ in range(150)]  # more than the lowered limit would allow
    try:
        with Store(tmp_path / "st", open_tables=64) as st:
            st.replace_graph(str(graphs[0].identifier), graphs[0])
            assert count(st) == len(graphs[0])
            held.append(open(os.devnull))  # and the process may open more afterwards
    finally:
        for fh in held:
            fh.close()
    assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] > 200
