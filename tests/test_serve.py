"""`kg serve`: a real local SPARQL endpoint on 127.0.0.1, and its query page in chromium."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from servers import LOCAL, CHROMIUM, CHROMIUM_ARGS, EX, HOSTILE, RDFS_LABEL, kg_cli, kg_serve, need, playwright_sync_api, sample_nquads, triples_per_graph

SELECT_LABELS = f"SELECT DISTINCT ?l WHERE {{ ?s <{RDFS_LABEL}> ?l }} ORDER BY ?l"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    src = folder / "graph.nq"
    hostile = f'<{EX}person/x> <{RDFS_LABEL}> "{HOSTILE}"@fa <{EX}article/hostile> .\n'
    src.write_text(sample_nquads(2) + hostile, encoding="utf-8")
    proc = kg_cli("load", str(src), "--store", str(folder / "store"))
    assert proc.returncode == 0, proc.stderr
    return folder / "store"


def request(url, *, data=None, headers=None, method=None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with LOCAL.open(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_query_protocol(store):
    with kg_serve(str(store)) as (proc, base):
        assert base.startswith("http://127.0.0.1:")
        # GET, union of the article graphs as the default graph, JSON by default
        status, headers, body = request(base + "query?" + urllib.parse.urlencode({"query": SELECT_LABELS}))
        assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
        labels = [b["l"]["value"] for b in json.loads(body)["results"]["bindings"]]
        assert labels == sorted(["Morteza Heydari", "استانداری قم", "مرتضی حیدری", HOSTILE])

        # POST form and POST application/sparql-query; CSV by Accept
        count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{EX}article/test-0> {{ ?s ?p ?o }} }}"
        status, _h, body = request(base + "sparql", data=urllib.parse.urlencode({"query": count}).encode(),
                                   headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
        assert status == 200 and body.decode().split() == ["n", str(triples_per_graph())]
        status, _h, body = request(base + "query", data=b"ASK { ?s ?p ?o }", headers={"Content-Type": "application/sparql-query"})
        assert json.loads(body)["boolean"] is True

        # CONSTRUCT as Turtle; a named default graph narrows the query
        construct = f"CONSTRUCT {{ ?s <{RDFS_LABEL}> ?l }} WHERE {{ ?s <{RDFS_LABEL}> ?l }}"
        params = {"query": construct, "default-graph-uri": f"{EX}article/hostile"}
        status, headers, body = request(base + "query?" + urllib.parse.urlencode(params), headers={"Accept": "text/turtle"})
        assert status == 200 and headers["Content-Type"].startswith("text/turtle")
        assert "onerror" in body.decode() and "مرتضی" not in body.decode()

        # errors are one-line 4xx answers
        status, _h, body = request(base + "query?" + urllib.parse.urlencode({"query": "SELEC nonsense"}))
        assert status == 400 and body.decode().startswith("query syntax error")
        assert request(base + "query")[0] == 400
        assert request(base + "query?query=ASK%7B%7D", headers={"Accept": "image/png"})[0] == 406
        assert request(base + "nowhere")[0] == 404

        # read-only: no updates, no GSP writes, no CORS
        update = f'INSERT DATA {{ <{EX}a> <{EX}b> "c" }}'
        status, _h, _b = request(base + "update", data=update.encode(), headers={"Content-Type": "application/sparql-update"})
        assert status == 403
        assert request(base + "query", data=b"", method="PUT")[0] == 405
        assert request(base + "query", method="OPTIONS")[0] == 403

        # DNS rebinding: a page on another name resolving to 127.0.0.1 is refused
        assert request(base + "query?query=ASK%7B%7D", headers={"Host": "evil.example:80"})[0] == 421
    assert proc.returncode == 0  # stopped cleanly by SIGTERM


def test_query_page_headers(store):
    with kg_serve(str(store)) as (_proc, base):
        status, headers, body = request(base)
        assert status == 200 and b"<textarea" in body
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "connect-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_writable_accepts_only_same_origin_sparql_update(store, tmp_path):
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    update = f'INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{RDFS_LABEL}> "نو" }} }}'.encode()
    with kg_serve(str(copy), "--writable") as (_proc, base):
        form = urllib.parse.urlencode({"update": update.decode()}).encode()
        assert request(base + "update", data=form, headers={"Content-Type": "application/x-www-form-urlencoded"})[0] == 415
        cross = {"Content-Type": "application/sparql-update", "Origin": "http://evil.example"}
        assert request(base + "update", data=update, headers=cross)[0] == 403
        assert request(base + "update", data=update, headers={"Content-Type": "application/sparql-update"})[0] == 204
        status, _h, body = request(base + "query?" + urllib.parse.urlencode({"query": SELECT_LABELS}))
        assert "نو" in [b["l"]["value"] for b in json.loads(body)["results"]["bindings"]]


def test_serves_an_rdf_file_and_rejects_bad_input(tmp_path):
    src = tmp_path / "graph.nq"
    src.write_text(sample_nquads(1), encoding="utf-8")
    with kg_serve(str(src)) as (_proc, base):
        status, _h, body = request(base + "query?" + urllib.parse.urlencode({"query": SELECT_LABELS}))
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3
    missing = kg_cli("serve", str(tmp_path / "nope"))
    assert missing.returncode == 3 and missing.stderr.startswith("kg: error: ") and "Traceback" not in missing.stderr
    assert kg_cli("serve", str(src), "--port", "70000").returncode == 3


@pytest.mark.browser
def test_query_page_shows_hostile_results_as_text(store):
    need(CHROMIUM.exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = playwright_sync_api()
    with kg_serve(str(store)) as (_proc, base), sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000)
        try:
            page = browser.new_page()
            dialogs, errors, outside = [], [], []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
            page.goto(base, timeout=30_000)
            page.fill("#query", SELECT_LABELS)
            page.click("#run")
            page.wait_for_selector("#results td", timeout=30_000)
            cells = page.locator("#results td").all_inner_texts()
            assert any("</script><img src=x onerror=alert(1)><!--" in c for c in cells), cells
            assert page.locator("#results img").count() == 0
            page.fill("#query", "SELEC broken")
            page.click("#run")
            page.wait_for_selector("#status.error", timeout=30_000)
            assert "syntax error" in page.inner_text("#status")
        finally:
            browser.close()
    assert dialogs == [] and outside == []
    assert all("400" in e for e in errors), errors  # the failed query is the only console error
