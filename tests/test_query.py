"""SPARQL: the competency queries' exact answers, safe parameters, `kg query`."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from graph_doc import BASE, seed_like_document

from kg.cli import main
from kg.errors import KgError
from kg.graph.build import document_graph
from kg.query import run_query, run_rdflib
from kg.query.named import named_queries
from kg.query.output import display_width, render
from kg.query.sources import resolve
from kg.sinks import rdf
from kg.sinks.store import Store
from test_graph_build import reporter_document

HEYDARI = "مرتضی حیدری"
HOSTILE = '" } ; DROP ALL #'


@pytest.fixture(scope="module")
def graphs():
    return [document_graph(seed_like_document(), BASE), document_graph(reporter_document(), BASE)]


@pytest.fixture(scope="module")
def out(tmp_path_factory, graphs):
    d = tmp_path_factory.mktemp("build")
    rdf.write_outputs(graphs, d, ["turtle", "nquads", "json-ld"])
    return d


@pytest.fixture(scope="module")
def store(tmp_path_factory, out):
    d = tmp_path_factory.mktemp("store") / "st"
    with Store(d) as st:
        st.bulk_load(out / "graph.nq")
    return d


def answers(source, name, **params):
    return run_query(source, name=name, params=params).dicts()


# -- competency questions: exact answers -------------------------------------

def test_q1_claims_by_person(out):
    rows = answers(out, "claims-by-person", person=HEYDARI)
    assert len(rows) == 15
    values = [r["value"] for r in rows]
    assert values == [230000, 120, 158000, 18700, 12973, 31673, 36, 200, 2000, 31, 37, 68, 11, 10, 10]
    assert [r["unit"] for r in rows[:3]] == ["person", "country", "person"]
    assert "۲۳۰ هزار نفر" in rows[0]["sentence"]
    assert answers(out, "claims-by-person", person="Morteza Heydari") == rows
    assert len(answers(out, "claims-by-person", person="علی اکبر زارعی")) == 1


def test_q2_officials_of_org_includes_sub_units(out):
    rows = answers(out, "officials-of-org", org="استانداری قم")
    assert [(r["name"], r["claims"]) for r in rows] == [(HEYDARI, 15)]
    rows = answers(out, "officials-of-org", org="اداره کل امور اتباع و مهاجرین خارجی استان قم")
    assert [(r["name"], r["claims"]) for r in rows] == [("علی اکبر زارعی", 1)]
    # the deputy alone: nobody spoke on its behalf
    assert answers(out, "officials-of-org", org="معاونت سیاسی و امنیتی استانداری قم") == []


def test_q3_foreign_nationals_ordered_by_date(out):
    rows = answers(out, "foreign-nationals-claims")
    assert [r["value"] for r in rows] == [230000, 120, 158000, 18700, 12973, 31673, 0]
    assert all("اتباع" in r["measure"] for r in rows)
    assert rows[0]["speakerName"] == HEYDARI and rows[0]["agencyName"] == "استانداری قم"
    assert rows[-1]["speakerName"] == "علی اکبر زارعی"
    assert all(str(r["date"]) == "2025-08-18" for r in rows)
    assert [r["value"] for r in answers(out, "foreign-nationals-claims", term="مصرف")] == [12]


# The plain form of posts-by-person (one OPTIONAL per part): the shipped query is rewritten for
# oxigraph's planner and must answer exactly this, also when parts are missing.
PLAIN_POSTS_BY_PERSON = """
SELECT DISTINCT ?person ?personName ?post ?postLabel ?roleLabel ?unitName ?agencyName ?article ?start ?end
WHERE {
  ?membership a org:Membership ; org:member ?person ; org:role ?role ; prov:wasDerivedFrom ?article .
  OPTIONAL { ?person rdfs:label ?personName FILTER (lang(?personName) = "fa") }
  OPTIONAL { ?role skos:prefLabel ?roleLabel FILTER (lang(?roleLabel) = "fa") }
  OPTIONAL {
    ?membership kg:post ?post .
    OPTIONAL { ?post rdfs:label ?postLabel }
    OPTIONAL { ?post org:postIn ?unit . ?unit rdfs:label ?unitName FILTER (lang(?unitName) = "fa") }
  }
  OPTIONAL { ?membership org:organization ?agency . ?agency rdfs:label ?agencyName FILTER (lang(?agencyName) = "fa") }
  OPTIONAL { ?membership nif:beginIndex ?start ; nif:endIndex ?end }
}
ORDER BY ?personName ?article ?start
"""


def test_q4_posts_by_person(out):
    rows = answers(out, "posts-by-person")
    got = {(r["personName"], r["roleLabel"], r["unitName"], r["agencyName"]) for r in rows}
    assert got == {
        (HEYDARI, "سرپرست", "معاونت سیاسی و امنیتی استانداری قم", "استانداری قم"),
        ("علی اکبر زارعی", "مدیر کل", "اداره کل امور اتباع و مهاجرین خارجی استان قم",
         "اداره کل امور اتباع و مهاجرین خارجی استان قم"),
    }
    assert all(r["article"].endswith("/article/abna-2025-08-18-qom") for r in rows)
    assert _same_rows(run_query(out, name="posts-by-person"), run_query(out, PLAIN_POSTS_BY_PERSON))


def _same_rows(a, b) -> bool:
    return a.vars == b.vars and sorted(a.rows, key=repr) == sorted(b.rows, key=repr)


MEMBERSHIPS_WITH_GAPS = """
@prefix : <https://kg.example.org/t/> .
:full a org:Membership ; org:member :p1 ; org:role :r1 ; prov:wasDerivedFrom :a1 ; kg:post :post1 ;
    org:organization :ag1 ; nif:beginIndex 3 ; nif:endIndex 9 .
:p1 rdfs:label "مرتضی حیدری"@fa, "Morteza Heydari"@en .
:r1 skos:prefLabel "سرپرست"@fa, "acting head"@en .
:post1 rdfs:label "سرپرست معاونت"@fa, "acting deputy"@en ; org:postIn :u1, :u2 .
:u1 rdfs:label "معاونت سیاسی"@fa, "political deputy"@en .
:u2 rdfs:label "political office"@en .
:ag1 rdfs:label "استانداری قم"@fa .
# no post, no agency, no span; a role and a person without labels
:bare a org:Membership ; org:member :p2 ; org:role :r2 ; prov:wasDerivedFrom :a2 .
# a post without label or unit, an agency with an English label only, a begin without an end
:half a org:Membership ; org:member :p1 ; org:role :r1 ; prov:wasDerivedFrom :a3 ; kg:post :post2 ;
    org:organization :ag2 ; nif:beginIndex 5 .
:ag2 rdfs:label "Ministry"@en .
# an end without a begin; a post in a unit with no label; two begins for one end
:odd a org:Membership ; org:member :p3 ; org:role :r1 ; prov:wasDerivedFrom :a1 ; kg:post :post3 ;
    nif:endIndex 20 .
:p3 rdfs:label "علی"@fa .
:post3 org:postIn :u3 .
:twice a org:Membership ; org:member :p3 ; org:role :r1 ; prov:wasDerivedFrom :a2 ;
    nif:beginIndex 1, 2 ; nif:endIndex 7 .
# not a membership: no role
:norole a org:Membership ; org:member :p1 ; prov:wasDerivedFrom :a1 .
"""


def test_q4_posts_by_person_answers_the_plain_form_when_parts_are_missing(tmp_path):
    from rdflib import Graph

    from kg.graph.namespaces import sparql_prologue

    graph = Graph().parse(data=sparql_prologue() + MEMBERSHIPS_WITH_GAPS, format="turtle")
    path = tmp_path / "gaps.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    shipped = named_queries()["posts-by-person"].text
    plain = run_query(path, PLAIN_POSTS_BY_PERSON)
    assert len(plain.rows) == len(set(plain.rows)) == 7
    got = {(r["article"][-2:], r["personName"], r["post"] and r["post"][-5:], r["postLabel"], r["roleLabel"],
            r["unitName"], r["agencyName"], r["start"], r["end"]) for r in plain.dicts()}
    assert ("a2", None, None, None, None, None, None, None, None) in got  # the bare membership
    assert ("a3", "مرتضی حیدری", "post2", None, "سرپرست", None, None, None, None) in got
    assert ("a1", "علی", "post3", None, "سرپرست", None, None, None, None) in got
    assert {(s, e) for a, n, *_, s, e in got if a == "a2" and n == "علی"} == {(1, 7), (2, 7)}
    for result in (run_query(path, shipped), run_rdflib(graph, shipped), run_rdflib(graph, PLAIN_POSTS_BY_PERSON)):
        assert _same_rows(result, plain)


def test_q5_totals_add_up(out):
    (row,) = answers(out, "totals")
    assert (row["value"], row["parts"], row["sumOfParts"], row["addsUp"], row["consistent"]) == (
        31673, 2, 18700 + 12973, True, True)


def test_q6_publisher_officials(out):
    rows = answers(out, "publisher-officials")
    got = [(r["publisherName"], r["officialName"], r["articles"], r["claims"]) for r in rows]
    assert got == [
        ("خبرگزاری بین\u200cالمللی اهل\u200cبیت (ع)", HEYDARI, 1, 15),
        ("خبرگزاری بین\u200cالمللی اهل\u200cبیت (ع)", "علی اکبر زارعی", 1, 1),
        ("خبرگزاری نمونه", "رضا کریمی", 1, 0),  # quoted, but stated no statistic
    ]


@pytest.mark.parametrize("province", ["قم", "استان قم", "استان  قم"])
def test_q7_percent_changes_by_province(out, province):
    rows = answers(out, "percent-changes", province=province)
    got = sorted((r["direction"], r["measure"], r["value"]) for r in rows)
    assert got == sorted([
        ("decrease", "سرقت\u200cهای مهم", 31), ("decrease", "سرقت\u200cهای خرد", 37), ("decrease", "شرارت", 68),
        ("decrease", "قاچاق سوخت", 11), ("decrease", "تصادفات درون\u200cشهری", 10),
        ("increase", "تصادفات برون\u200cشهری", 10)])
    assert answers(out, "percent-changes", province="تهران") == []


PARAMS = {"claims-by-person": {"person": HEYDARI}, "officials-of-org": {"org": "استانداری قم"},
          "percent-changes": {"province": "قم"}}


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_source_kind_and_both_engines_agree(name, out, store, graphs):
    params = PARAMS.get(name, {})
    expected = answers(out / "graph.nq", name, **params)
    assert expected, name
    assert answers(out / "graph.ttl", name, **params) == expected
    assert answers(out / "graph.jsonld", name, **params) == expected
    assert answers(out, name, **params) == expected  # a build folder: one file per stem
    assert answers(store, name, **params) == expected
    assert run_rdflib(rdf.dataset(graphs), named_queries()[name].text, params).dicts() == expected


# -- safety --------------------------------------------------------------------

@pytest.mark.parametrize("name,param", [("claims-by-person", "person"), ("officials-of-org", "org"),
                                        ("percent-changes", "province"), ("foreign-nationals-claims", "term")])
def test_hostile_parameter_is_only_a_value(name, param, store, graphs):
    assert answers(store, name, **{param: HOSTILE}) == []
    assert run_rdflib(rdf.merged(graphs), named_queries()[name].text, {param: HOSTILE}).rows == []
    assert len(run_query(store, "SELECT * WHERE { ?s ?p ?o }").rows) == sum(len(g) for g in graphs)


def test_update_is_refused(out):
    with pytest.raises(KgError, match="bad SPARQL query"):
        run_query(out, "DROP ALL")


def test_build_folder_reads_one_serialisation_per_stem(out):
    src = resolve(out)
    assert [p.name for p, _ in src.files] == ["graph.nq"]
    n = run_query(out, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").dicts()[0]["n"]
    assert n == run_query(out / "graph.ttl", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").dicts()[0]["n"]


# -- command line --------------------------------------------------------------

def kg(capsys, *argv):
    code = main([*map(str, argv)])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_cli_table_is_aligned_with_persian_text(capsys, out):
    code, text, _ = kg(capsys, "query", out, "--name", "publisher-officials", "--width", "0")
    assert code == 0
    lines = text.splitlines()
    assert lines[-1] == "(3 rows)"
    header, rule, *rows = lines[:-1]
    assert HEYDARI in text and "\u200c" in text  # Persian cells with ZWNJ
    columns = {tuple(_bar_positions(line, "|")) for line in [header, *rows]}
    assert columns == {tuple(_bar_positions(rule, "+"))}  # every | at the same display column


def _bar_positions(line, bar):
    pos, out = 0, []
    for ch in line:
        if ch == bar:
            out.append(pos)
        pos += display_width(ch)
    return out


def test_cli_csv_and_json(capsys, out):
    code, text, _ = kg(capsys, "query", out, "--name", "totals", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert code == 0 and rows[0]["value"] == "31673" and rows[0]["addsUp"] == "true"
    code, text, _ = kg(capsys, "query", out, "--name", "claims-by-person", "-p", f"person={HEYDARI}",
                       "--format", "json")
    data = json.loads(text)
    assert code == 0 and len(data) == 15 and data[0]["value"] == 230000 and data[0]["approximate"] is True


def test_cli_query_file_and_output(capsys, tmp_path, out):
    q = tmp_path / "q.rq"
    q.write_text("SELECT ?u (COUNT(?c) AS ?n) WHERE { ?c kg:unit ?u } GROUP BY ?u ORDER BY ?u", encoding="utf-8")
    code, _, _ = kg(capsys, "query", out, "--file", q, "--format", "json", "-o", tmp_path / "r.json")
    assert code == 0
    got = {r["u"]: r["n"] for r in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))}
    assert got == {"MW": 3, "country": 1, "percent": 8, "person": 6}


def test_cli_ask_and_construct(capsys, out):
    assert kg(capsys, "query", out, "ASK { ?c kg:totalOf ?p }")[1] == "true\n"
    code, text, _ = kg(capsys, "query", out, "CONSTRUCT { ?c kg:value ?v } WHERE { ?c kg:isTotal true ; kg:value ?v }")
    assert code == 0 and "kg:value 31673" in text


@pytest.mark.parametrize("argv,code,message", [
    (["SELECT * WHERE { ?s ?p }"], 3, "bad SPARQL query: error at 1:"),
    (["--name", "nope"], 2, "no named query 'nope'"),
    (["--name", "claims-by-person"], 2, "needs --param person="),
    (["--name", "claims-by-person", "-p", "persn=x"], 2, "has no parameter 'persn'"),
    (["SELECT ?s WHERE { ?s ?p ?o }", "-p", "x=1"], 2, "no variable ?x"),
    (["SELECT ?s WHERE { ?s ?p ?x }", "-p", "x=1"], 2, "list its variable in the SELECT clause"),
    (["SELECT ?s WHERE { ?s ?p ?o }", "-p", "novalue"], 2, "bad --param"),
    ([], 2, "give exactly one of"),
    (["ASK {}", "--name", "totals"], 2, "give exactly one of"),
])
def test_cli_errors_are_one_line(capsys, out, argv, code, message):
    got, text, err = kg(capsys, "query", out, *argv)
    assert got == code and text == ""
    assert err.startswith("kg: error: ") and message in err and err.count("\n") == 1


def test_cli_bad_sources(capsys, tmp_path):
    assert kg(capsys, "query", tmp_path / "missing.ttl", "ASK {}")[0] == 3
    (tmp_path / "broken.ttl").write_text("<a> <b> .", encoding="utf-8")
    code, _, err = kg(capsys, "query", tmp_path / "broken.ttl", "ASK {}")
    assert code == 3 and "cannot parse" in err and err.count("\n") == 1
    (tmp_path / "empty").mkdir()
    assert "no graph files" in kg(capsys, "query", tmp_path / "empty", "ASK {}")[2]


def test_cli_list(capsys):
    code, text, _ = kg(capsys, "query", "--list")
    assert code == 0 and "claims-by-person:" in text and "--param person=" in text


def test_render_cuts_long_cells_by_display_width():
    from kg.query.engine import QueryResult
    from rdflib import Literal

    res = QueryResult("select", vars=["x"], rows=[(Literal("نشست\u200cهای رسانه\u200cای " * 5),), (Literal(Decimal("2.50")),)])
    text = render(res, "table", width=12)
    assert max(display_width(line) for line in text.splitlines()[:-1]) <= 12
    assert "…" in text


# -- the real pipeline on the seed article -------------------------------------

@pytest.fixture(scope="module")
def seed_build(tmp_path_factory):
    from graph_doc import SEED

    from kg.pipeline import Config, Pipeline
    from kg.readers import read_documents

    pipeline = Pipeline(Config(ner="rules"))
    graphs = [document_graph(pipeline(doc), BASE) for doc in read_documents([SEED])]
    d = tmp_path_factory.mktemp("seed")
    rdf.write_outputs(graphs, d, ["nquads"])
    return d


def test_competency_answers_on_the_seed_pipeline_output(seed_build):
    from kg.graph.shacl import validate
    from kg.query.sources import load_graph

    assert validate(load_graph(resolve(seed_build))).conforms
    q1 = answers(seed_build, "claims-by-person", person=HEYDARI)
    assert [r["value"] for r in q1] == [230000, 120, 158000, 18700, 12973, 31673, 36, 200, 2000, 31, 37, 68, 11, 10, 10]
    assert [(r["name"], r["claims"]) for r in answers(seed_build, "officials-of-org", org="استانداری قم")] == [
        (HEYDARI, 15)]
    q3 = answers(seed_build, "foreign-nationals-claims")
    assert sorted(r["value"] for r in q3) == sorted([230000, 120, 158000, 18700, 12973, 31673, 0])
    assert {(r["personName"], r["unitName"]) for r in answers(seed_build, "posts-by-person")} == {
        (HEYDARI, "معاونت سیاسی و امنیتی استانداری قم"),
        ("علی اکبر زارعی", "اداره کل امور اتباع و مهاجرین خارجی استان قم")}
    assert _same_rows(run_query(seed_build, name="posts-by-person"), run_query(seed_build, PLAIN_POSTS_BY_PERSON))
    (total,) = answers(seed_build, "totals")
    assert (total["value"], total["sumOfParts"], total["addsUp"]) == (31673, 31673, True)
    assert [(r["officialName"], r["claims"]) for r in answers(seed_build, "publisher-officials")] == [
        (HEYDARI, 15), ("علی اکبر زارعی", 1)]
    changes = answers(seed_build, "percent-changes", province="قم")
    assert sorted((r["direction"], r["value"]) for r in changes) == [
        ("decrease", 10), ("decrease", 11), ("decrease", 31), ("decrease", 37), ("decrease", 68), ("increase", 10)]
