"""`kg load` against a real Virtuoso (Debian's virtuoso-opensource), digest auth on /sparql-graph-crud-auth.

The server gets a fresh database in a temp folder and loopback ports only; a
fresh database's dba password is `dba` (README.Debian).
"""

from __future__ import annotations

import pytest

from servers import RDFS_LABEL, counts_per_graph, graph_iris, kg_cli, sample_nquads, sparql_select, triples_per_graph, virtuoso_server

pytestmark = [pytest.mark.triplestore, pytest.mark.slow]

DBA = {"KG_ENDPOINT_USER": "dba", "KG_ENDPOINT_PASSWORD": "dba"}


def test_load_query_reload_into_virtuoso(tmp_path):
    src = tmp_path / "out" / "graph.nq"
    src.parent.mkdir()
    src.write_text(sample_nquads(2), encoding="utf-8")
    with virtuoso_server(tmp_path / "virtuoso") as server:
        endpoint = server.base + "/sparql-graph-crud-auth"
        query = server.base + "/sparql"
        expected = {iri: triples_per_graph() for iri in graph_iris(2)}

        first = kg_cli("load", str(src.parent), "--endpoint", endpoint, env=DBA)
        assert first.returncode == 0, first.stderr
        assert "loaded 2 graphs (76 triples)" in first.stdout
        assert counts_per_graph(query, graph_iris(2)) == expected

        labels = sparql_select(query, f"SELECT DISTINCT ?l WHERE {{ GRAPH ?g {{ ?s <{RDFS_LABEL}> ?l }} }}")
        assert sorted(r["l"] for r in labels) == ["Morteza Heydari", "استانداری قم", "مرتضی حیدری"]

        again = kg_cli("load", str(src), "--endpoint", endpoint, "--auth", "digest", "--jobs", "1", env=DBA)
        assert again.returncode == 0, again.stderr
        assert counts_per_graph(query, graph_iris(2)) == expected  # replaced, not doubled

        wrong = kg_cli("load", str(src), "--endpoint", endpoint, env={**DBA, "KG_ENDPOINT_PASSWORD": "not-dba"})
        assert wrong.returncode == 5
        assert wrong.stderr.strip() == f"kg: error: {endpoint} answered 401: the credentials were refused"
        anonymous = kg_cli("load", str(src), "--endpoint", endpoint)
        assert anonymous.returncode == 5 and "KG_ENDPOINT_USER" in anonymous.stderr
