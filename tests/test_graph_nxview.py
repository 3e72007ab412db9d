"""The networkx view (pyvis and Gephi read it) and GraphML/GEXF export."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest
from graph_doc import BASE, seed_like_document

from kg.graph.build import document_graph
from kg.graph.iris import Iris
from kg.graph.nxview import EDGE_LABELS, NODE_TYPES, to_networkx, write_gexf, write_graphml
from kg.sinks.rdf import dataset
from kg.text.normalize import fold

IRIS = Iris(BASE)


@pytest.fixture(scope="module")
def view():
    return to_networkx(document_graph(seed_like_document(), BASE))


def test_node_types_and_attributes(view):
    types = Counter(d["type"] for _, d in view.nodes(data=True))
    assert types == {"claim": 16, "organization": 5, "place": 3, "person": 2, "post": 2, "article": 1}
    for _, d in view.nodes(data=True):
        assert d["type"] in NODE_TYPES
        assert d["label"] and "title" in d and "label_en" in d
    h = view.nodes[str(IRIS.person(fold("مرتضی حیدری")))]
    assert (h["label"], h["label_en"]) == ("مرتضی حیدری", "Morteza Heydari")


def test_claim_nodes(view):
    doc = seed_like_document()
    total = view.nodes[str(IRIS.claim(doc.id, doc.claims[5].start, doc.claims[5].end))]
    assert (total["value"], total["unit"]) == (31673, "person")
    assert total["measure"] == "مجموع اتباع غیرمجاز که از استان قم رفتند"
    assert "31,673" in total["title"] and "۳۱ هزار و ۶۷۳" in total["title"]


def test_edges(view):
    labels = Counter(d["label"] for *_, d in view.edges(data=True))
    assert set(labels) <= set(EDGE_LABELS)
    assert labels["stated"] == labels["derived from"] == labels["on behalf of"] == labels["about"] == 16
    h = str(IRIS.person(fold("مرتضی حیدری")))
    stated = [b for _, b, d in view.out_edges(h, data=True) if d["label"] == "stated"]
    assert len(stated) == 15
    unit = str(IRIS.org(fold("معاونت سیاسی و امنیتی استانداری قم")))
    gov = str(IRIS.org(fold("استانداری قم")))
    assert view.has_edge(unit, gov, key="part of")
    post = next(b for _, b, d in view.out_edges(h, data=True) if d["label"] == "holds post")
    assert view.has_edge(post, unit, key="post in")
    article = str(IRIS.article(seed_like_document().id))
    assert view.has_edge(article, str(IRIS.org("x", "agency:abna")), key="published by")


def test_dataset_gives_the_same_view():
    g = document_graph(seed_like_document(), BASE)
    ds_view = to_networkx(dataset([g]))
    assert ds_view.number_of_nodes() == to_networkx(g).number_of_nodes()


@pytest.mark.parametrize("writer,reader", [(write_graphml, nx.read_graphml), (write_gexf, nx.read_gexf)])
def test_exports_read_back(tmp_path, view, writer, reader):
    path = tmp_path / "g.out"
    writer(view, path)
    back = reader(path)
    assert back.number_of_nodes() == view.number_of_nodes()
    assert back.number_of_edges() == view.number_of_edges()
    labels = {d.get("label") for _, d in back.nodes(data=True)}
    assert "مرتضی حیدری" in labels
