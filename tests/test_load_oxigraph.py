"""`kg load` against a real Oxigraph server, the embedded store, and endpoints that fail.

Oxigraph (`oxigraph serve` from PyPI) runs on 127.0.0.1 with a free port; the
failure cases use a tiny http.server in a thread.
"""

from __future__ import annotations

import base64
import signal
import time

import pyoxigraph as ox
import pytest

from kg.errors import InputError, RemoteError
from kg.sinks import gsp
from servers import (
    EX,
    RDFS_LABEL,
    counts_per_graph,
    fake_endpoint,
    graph_iris,
    kg_cli,
    oxigraph_server,
    sample_nquads,
    self_signed_cert,
    sparql_select,
    triples_per_graph,
)

PASSWORD = "s3cret-Ä-پسورد"


@pytest.fixture
def two_articles(tmp_path):
    path = tmp_path / "graph.nq"
    path.write_text(sample_nquads(2), encoding="utf-8")
    return path


def one_line_error(proc) -> str:
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


# --- Oxigraph ---------------------------------------------------------------------


@pytest.mark.triplestore
def test_load_query_reload_into_oxigraph(tmp_path, two_articles):
    with oxigraph_server(tmp_path / "db") as server:
        endpoint = server.base + "/store"
        first = kg_cli("load", str(two_articles), "--endpoint", endpoint)
        assert first.returncode == 0, first.stderr
        assert "loaded 2 graphs (76 triples)" in first.stdout
        expected = {iri: triples_per_graph() for iri in graph_iris(2)}
        assert counts_per_graph(server.base + "/query", graph_iris(2)) == expected

        # Persian text, quotes, markup and newlines come back exactly
        labels = sparql_select(
            server.base + "/query",
            f"SELECT DISTINCT ?l WHERE {{ GRAPH ?g {{ ?s <{RDFS_LABEL}> ?l }} }} ORDER BY ?l",
        )
        assert [r["l"] for r in labels] == ["Morteza Heydari", "استانداری قم", "مرتضی حیدری"]
        sentences = sparql_select(server.base + "/query", f"SELECT ?t WHERE {{ GRAPH ?g {{ <{EX}claim/test-1/3> <{EX}sentence> ?t }} }}")
        assert sentences == [{"t": 'جمله "آزمایشی" شماره 3 با ۲۳۰ هزار نفر\n<b>&amp;</b>'}]

        # a reload (from the build folder this time) replaces: nothing doubles, blank nodes included
        again = kg_cli("load", str(two_articles.parent), "--endpoint", endpoint, "--jobs", "1")
        assert again.returncode == 0, again.stderr
        assert counts_per_graph(server.base + "/query", graph_iris(2)) == expected


@pytest.mark.triplestore
def test_reload_of_a_changed_article_replaces_its_graph(tmp_path):
    src = tmp_path / "a.nq"
    src.write_text(sample_nquads(2, claims_per_article=8), encoding="utf-8")
    with oxigraph_server(tmp_path / "db") as server:
        assert kg_cli("load", str(src), "--endpoint", server.base + "/store").returncode == 0
        src.write_text(sample_nquads(2, claims_per_article=3), encoding="utf-8")
        assert kg_cli("load", str(src), "--endpoint", server.base + "/store").returncode == 0
        assert counts_per_graph(server.base + "/query", graph_iris(2)) == {
            iri: triples_per_graph(3) for iri in graph_iris(2)
        }


@pytest.mark.triplestore
def test_server_stopped_mid_load_then_rerun(tmp_path):
    n = 60
    src = tmp_path / "many.nq"
    src.write_text(sample_nquads(n, claims_per_article=2), encoding="utf-8")
    graphs = gsp.read_graphs(src)
    expected = {iri: triples_per_graph(2) for iri in graph_iris(n)}
    location = tmp_path / "db"

    with oxigraph_server(location) as server:
        client = gsp.GspClient(server.base + "/store", attempts=2, backoff=0.05, timeout=5)

        def crash_after_20(report, _total):
            if report.graphs == 20 and server.proc.poll() is None:
                server.proc.send_signal(signal.SIGKILL)  # a crash, not a clean shutdown
                server.proc.wait(timeout=10)

        with pytest.raises(RemoteError, match="giving up on graph .* after 2 attempts"):
            client.load(graphs, jobs=2, progress=crash_after_20)

    with oxigraph_server(location) as server:
        loaded = counts_per_graph(server.base + "/query", graph_iris(n))
        assert 20 <= len(loaded) < n
        assert all(loaded[iri] == expected[iri] for iri in loaded)  # each PUT was all or nothing
        report = gsp.GspClient(server.base + "/store").load(graphs, jobs=3)
        assert report.graphs == n and report.retries == 0
        assert counts_per_graph(server.base + "/query", graph_iris(n)) == expected


# --- failing endpoints -----------------------------------------------------------


def test_retries_server_errors_then_succeeds(two_articles):
    def answer(i, _req):
        return (500, {}) if i <= 2 else (204, {})

    with fake_endpoint(answer) as fake:
        proc = kg_cli("load", str(two_articles), "--endpoint", fake.url, "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    assert len(fake.requests) == 4  # 500, 500, 204 for the first graph; 204 for the second
    first = fake.requests[0]
    assert first["path"].startswith("/store?graph=https%3A%2F%2Fkg.example.org%2Farticle%2Ftest-0")
    assert first["headers"]["Content-Type"].startswith("application/n-triples")
    assert all(r["body"] == first["body"] for r in fake.requests[:3])  # the retried body is the same
    assert len(ox.Dataset(ox.parse(first["body"], format=ox.RdfFormat.N_TRIPLES))) == triples_per_graph()


def test_gives_up_with_one_line_and_exit_code_after_bounded_retries(two_articles):
    with fake_endpoint(lambda i, r: (500, {})) as fake:
        start = time.monotonic()
        proc = kg_cli("load", str(two_articles), "--endpoint", fake.url, "--retries", "2", "--jobs", "1")
        took = time.monotonic() - start
    assert proc.returncode == 5
    line = one_line_error(proc)
    assert "giving up on graph https://kg.example.org/article/test-0 after 3 attempts (HTTP 500)" in line
    assert len(fake.requests) == 3
    assert took < 30


def test_backoff_doubles_and_respects_retry_after(two_articles):
    waits: list[float] = []
    statuses = iter([503, 429, 500, 204])

    def answer(i, _req):
        status = next(statuses)
        return status, ({"Retry-After": "3"} if status == 429 else {})

    with fake_endpoint(answer) as fake:
        client = gsp.GspClient(fake.url, backoff=0.5, sleep=waits.append)
        report = gsp.LoadReport()
        client.put(graph_iris(1)[0], b"", report)
    assert report.retries == 3 and report.requests == 4
    assert 0.375 <= waits[0] <= 0.625  # 0.5 s with jitter
    assert 3 * 0.75 <= waits[1] <= 3 * 1.25  # Retry-After wins over 1 s
    assert 1.5 <= waits[2] <= 2.5  # 2 s


def test_client_errors_are_not_retried(two_articles):
    with fake_endpoint(lambda i, r: (400, {})) as fake:
        proc = kg_cli("load", str(two_articles), "--endpoint", fake.url, "--jobs", "1")
    assert proc.returncode == 5 and "answered 400" in one_line_error(proc)
    assert len(fake.requests) == 1


def test_unreachable_endpoint(two_articles):
    from servers import free_port

    proc = kg_cli("load", str(two_articles), "--endpoint", f"http://127.0.0.1:{free_port()}/store", "--retries", "1")
    assert proc.returncode == 5
    assert "Connection refused" in one_line_error(proc) or "connect" in proc.stderr.lower()


def basic_only(user: str, password: str):
    token = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def answer(_i, req):
        if req["headers"].get("Authorization") == token:
            return 204, {}
        return 401, {"WWW-Authenticate": 'Basic realm="kg"'}

    return answer


def test_basic_auth_from_environment_and_password_never_printed(two_articles):
    with fake_endpoint(basic_only("editor", PASSWORD)) as fake:
        proc = kg_cli("load", str(two_articles), "--endpoint", fake.url, "--jobs", "1",
                      env={"KG_ENDPOINT_USER": "editor", "KG_ENDPOINT_PASSWORD": PASSWORD})
    assert proc.returncode == 0, proc.stderr
    assert PASSWORD not in proc.stdout + proc.stderr
    # one challenge, then the scheme is known and sent up front
    assert [r["headers"].get("Authorization") is not None for r in fake.requests] == [False, True, True]


def test_credentials_from_a_netrc_file(tmp_path, two_articles):
    rc = tmp_path / "netrc"
    rc.write_text(f"machine 127.0.0.1 login editor password {PASSWORD}\n")
    rc.chmod(0o600)
    with fake_endpoint(basic_only("editor", PASSWORD)) as fake:
        proc = kg_cli("load", str(two_articles), "--endpoint", fake.url, "--netrc", str(rc))
    assert proc.returncode == 0, proc.stderr
    assert PASSWORD not in proc.stdout + proc.stderr


def test_missing_or_wrong_credentials(two_articles):
    with fake_endpoint(basic_only("editor", PASSWORD)) as fake:
        none = kg_cli("load", str(two_articles), "--endpoint", fake.url)
        wrong = kg_cli("load", str(two_articles), "--endpoint", fake.url,
                       env={"KG_ENDPOINT_USER": "editor", "KG_ENDPOINT_PASSWORD": "nope-" + PASSWORD})
    assert none.returncode == 5 and "KG_ENDPOINT_USER" in one_line_error(none)
    assert wrong.returncode == 5 and "credentials were refused" in one_line_error(wrong)
    assert PASSWORD not in wrong.stdout + wrong.stderr


def test_credentials_in_the_url_are_refused_without_echo(two_articles):
    proc = kg_cli("load", str(two_articles), "--endpoint", f"http://editor:{PASSWORD}@127.0.0.1:9/store")
    assert proc.returncode == 3
    assert PASSWORD not in one_line_error(proc)


def test_credentials_repr_hides_the_password(monkeypatch):
    monkeypatch.setenv("KG_ENDPOINT_USER", "u")
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", PASSWORD)
    creds = gsp.find_credentials("http://127.0.0.1/store")
    assert creds is not None and creds.password == PASSWORD
    assert PASSWORD not in repr(creds) and PASSWORD not in str(creds)
    monkeypatch.delenv("KG_ENDPOINT_PASSWORD")
    with pytest.raises(InputError, match="set both"):
        gsp.find_credentials("http://127.0.0.1/store")


def test_tls_is_verified_unless_insecure(tmp_path, two_articles):
    cert, key = self_signed_cert(tmp_path)
    with fake_endpoint(lambda i, r: (204, {}), tls=(cert, key)) as fake:
        strict = kg_cli("load", str(two_articles), "--endpoint", fake.url, "--retries", "0")
        insecure = kg_cli("load", str(two_articles), "--endpoint", fake.url, "--insecure")
        pinned = kg_cli("load", str(two_articles), "--endpoint", fake.url, "--ca-bundle", str(cert))
    assert strict.returncode == 5 and "TLS error" in one_line_error(strict)
    assert insecure.returncode == 0 and "warning: TLS certificate verification is off" in insecure.stderr
    assert pinned.returncode == 0, pinned.stderr
    assert len(fake.requests) == 4  # none from the strict run


# --- sources and the embedded store ---------------------------------------------


def test_embedded_store_load_and_reload(tmp_path, two_articles):
    store_dir = tmp_path / "not-yet" / "store"  # created, parents included
    for _ in range(2):
        proc = kg_cli("load", str(two_articles), "--store", str(store_dir))
        assert proc.returncode == 0, proc.stderr
    store = ox.Store.read_only(str(store_dir))
    counts = {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g)) for g in store.named_graphs()}
    assert counts == {iri: triples_per_graph() for iri in graph_iris(2)}
    del store


def test_bad_sources(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "graph.nq" in one_line_error(kg_cli("load", str(empty), "--store", str(tmp_path / "s")))
    bad = tmp_path / "bad.nq"
    bad.write_text("<a> <b> .\n")
    proc = kg_cli("load", str(bad), "--store", str(tmp_path / "s"))
    assert proc.returncode == 3 and "not valid" in one_line_error(proc)
    loose = tmp_path / "loose.nt"
    loose.write_text(f'<{EX}a> <{RDFS_LABEL}> "الف" .\n', encoding="utf-8")
    proc = kg_cli("load", str(loose), "--store", str(tmp_path / "s"))
    assert proc.returncode == 3 and "--default-graph" in one_line_error(proc)
    ok = kg_cli("load", str(loose), "--store", str(tmp_path / "s"), "--default-graph", f"{EX}extra")
    assert ok.returncode == 0 and "loaded 1 graphs (1 triples)" in ok.stdout
    assert kg_cli("load", str(tmp_path / "missing.nq"), "--store", str(tmp_path / "s")).returncode == 3
    assert kg_cli("load", str(loose), "--endpoint", "ftp://127.0.0.1/x", "--default-graph", f"{EX}x").returncode == 3


def test_progress_lines_go_to_stderr(two_articles):
    with fake_endpoint(lambda i, r: (201, {})) as fake:
        proc = kg_cli("load", str(two_articles), "--endpoint", fake.url)
    assert proc.stdout.count("\n") == 1  # the summary only
    assert proc.stderr.splitlines()[-1] == "kg load: 2/2 graphs, 76 triples"
    quiet = kg_cli("load", str(two_articles), "--store", str(two_articles.parent / "s"), "-q")
    assert quiet.stderr == ""


def test_loopback_endpoints_ignore_proxy_settings(two_articles):
    dead_proxy = {"HTTP_PROXY": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9", "NO_PROXY": "", "no_proxy": ""}
    with fake_endpoint(lambda i, r: (204, {})) as fake:
        proc = kg_cli("load", str(two_articles), "--endpoint", fake.url, "--retries", "0", env=dead_proxy)
    assert proc.returncode == 0, proc.stderr
    assert len(fake.requests) == 2
