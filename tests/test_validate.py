"""`kg validate`: SHACL conformance reported readably, with an exit code."""

from __future__ import annotations

import pytest
from graph_doc import BASE, seed_like_document
from rdflib import Literal
from rdflib.namespace import RDFS, XSD

from kg.cli import main
from kg.graph.build import document_graph
from kg.graph.namespaces import KG, NIF
from kg.sinks import rdf
from kg.sinks.store import Store
from test_graph_build import reporter_document


def kg(capsys, *argv):
    code = main([*map(str, argv)])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


@pytest.fixture(scope="module")
def graphs():
    return [document_graph(seed_like_document(), BASE), document_graph(reporter_document(), BASE)]


@pytest.mark.parametrize("fmt", ["turtle", "nt", "nquads", "trig", "json-ld"])
def test_every_output_format_conforms(capsys, tmp_path, graphs, fmt):
    path = rdf.write_outputs(graphs, tmp_path, [fmt])[fmt]
    code, text, err = kg(capsys, "validate", path)
    assert code == 0, text
    assert "conforms" in text and err == ""


def test_build_folder_and_store_conform(capsys, tmp_path, graphs):
    rdf.write_outputs(graphs, tmp_path / "out", ["turtle", "nquads"])
    assert kg(capsys, "validate", tmp_path / "out")[0] == 0
    with Store(tmp_path / "st") as st:
        st.bulk_load(tmp_path / "out" / "graph.nq")
    assert kg(capsys, "validate", tmp_path / "st")[0] == 0  # integers come back as xsd:integer: accepted


def test_violations_are_listed_readably(capsys, tmp_path, graphs):
    g = rdf.merged(graphs)
    claim = next(g.subjects(KG.unit, Literal("MW")))
    g.remove((claim, KG.unit, None))
    g.set((claim, NIF.beginIndex, Literal(-4, datatype=XSD.integer)))
    person = next(g.subjects(RDFS.label, Literal("رضا کریمی", lang="fa")))
    g.remove((person, RDFS.label, None))
    path = rdf.write_graph(g, tmp_path / "bad.ttl")
    code, text, err = kg(capsys, "validate", path)
    assert code == 1
    lines = text.splitlines()
    assert any(line.startswith(f"Violation: <{claim}> kg:unit: a claim needs exactly one kg:unit code")
               for line in lines)
    assert any(f"<{claim}> nif:beginIndex" in line and "non-negative" in line for line in lines)
    assert any(f"<{person}> rdfs:label: a person needs a Persian label" in line for line in lines)
    assert "does not conform" in err and err.count("\n") == 1


def test_max_limits_the_listing(capsys, tmp_path, graphs):
    g = rdf.merged(graphs)
    for c in list(g.subjects(KG.unit, None)):
        g.remove((c, KG.unit, None))
    path = rdf.write_graph(g, tmp_path / "bad.ttl")
    code, text, _ = kg(capsys, "validate", path, "--max", "3")
    assert code == 1
    assert len(text.splitlines()) == 4 and "more (use --max 0" in text


def test_bad_inputs_are_one_line_errors(capsys, tmp_path):
    code, _, err = kg(capsys, "validate", tmp_path / "missing.ttl")
    assert code == 3 and err.startswith("kg: error: no such file")
    (tmp_path / "bad.ttl").write_text("@prefix : <x> .\n:a :b", encoding="utf-8")
    code, _, err = kg(capsys, "validate", tmp_path / "bad.ttl")
    assert code == 3 and "cannot parse" in err and err.count("\n") == 1
    (tmp_path / "notes.txt").write_text("hi", encoding="utf-8")
    assert kg(capsys, "validate", tmp_path / "notes.txt")[0] == 3
