"""Serialisations round-trip, one named graph per article, atomic writes."""

from __future__ import annotations

import json

import pytest
from graph_doc import BASE, seed_like_document
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.errors import KgError
from kg.graph.build import document_graph
from kg.sinks import rdf
from test_graph_build import reporter_document


@pytest.fixture(scope="module")
def graphs():
    return [document_graph(seed_like_document(), BASE), document_graph(reporter_document(), BASE)]


def named(ds: Dataset) -> dict:
    return {g.identifier: g for g in ds.graphs() if len(g)}


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
def test_triple_formats_round_trip(tmp_path, graphs, fmt):
    out = rdf.write_outputs(graphs, tmp_path, [fmt])
    back = Graph().parse(out[fmt], format=rdf.FORMATS[fmt][0])
    assert isomorphic(back, rdf.merged(graphs))


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_quad_formats_keep_one_graph_per_article(tmp_path, graphs, fmt):
    out = rdf.write_outputs(graphs, tmp_path, [fmt])
    ds = Dataset()
    ds.parse(out[fmt], format=fmt)
    back = named(ds)
    assert set(back) == {g.identifier for g in graphs}
    for g in graphs:
        assert isomorphic(back[g.identifier], g)


def test_write_outputs_names_files_and_leaves_no_temp_files(tmp_path, graphs):
    out = rdf.write_outputs(graphs, tmp_path / "new", ["ttl", "nt", "nq", "trig", "jsonld"])
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == [
        "graph.jsonld", "graph.nq", "graph.nt", "graph.trig", "graph.ttl"]
    assert set(out) == {"turtle", "nt", "nquads", "trig", "json-ld"}


def test_jsonld_uses_the_shipped_context(tmp_path, graphs):
    path = rdf.write_graph(graphs[0], tmp_path / "g.jsonld")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["@context"]["kg"] == "https://kg.example.org/ontology#"
    assert "مرتضی حیدری" in path.read_text(encoding="utf-8")  # UTF-8, not \u escapes


def test_write_graph_of_a_plain_graph_as_quads_uses_its_identifier(tmp_path, graphs):
    path = rdf.write_graph(graphs[0], tmp_path / "one.nq")
    ds = Dataset()
    ds.parse(path, format="nquads")
    assert set(named(ds)) == {graphs[0].identifier}


def test_failed_write_keeps_the_old_file(tmp_path, graphs, monkeypatch):
    path = tmp_path / "graph.ttl"
    path.write_text("old", encoding="utf-8")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Graph, "serialize", boom)
    with pytest.raises(RuntimeError):
        rdf.write_graph(graphs[0], path, "turtle")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_unknown_format_and_extension_are_clear_errors(tmp_path, graphs):
    with pytest.raises(KgError, match="unknown RDF format"):
        rdf.write_outputs(graphs, tmp_path, ["rdfxml"])
    with pytest.raises(KgError, match="cannot tell the RDF format"):
        rdf.write_graph(graphs[0], tmp_path / "g.txt")


def test_unwritable_destination_is_a_clear_error(tmp_path, graphs):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(KgError, match="cannot write"):
        rdf.write_graph(graphs[0], blocker / "g.ttl")
