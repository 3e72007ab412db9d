"""Helpers for the tests of the graph page, `kg load` and `kg serve`.

- real servers on 127.0.0.1 with a free port (Oxigraph from PyPI, Virtuoso from
  Debian), every wait bounded, every process stopped by the test that started it;
- hand-built sample data in the shapes the pipeline produces (a networkx view
  as `kg.graph.nxview.to_networkx` makes it, N-Quads with one named graph per
  article). The sentences are written for these tests.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest

IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
EX = "https://kg.example.org/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


# Loopback requests never go through a proxy from the environment.
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def playwright_sync_api():
    """playwright.sync_api; missing, it skips (fails in CI, where the test extras install it)."""
    if IN_CI:
        import playwright.sync_api

        return playwright.sync_api
    return pytest.importorskip("playwright.sync_api")


def need(condition: bool, reason: str) -> None:
    """Skip when a system tool is missing on a developer machine; fail in CI, where .ci installs it."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: .ci/install-system-deps.sh should have installed it)")
    pytest.skip(reason)


# --- processes ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process(proc: subprocess.Popen, timeout: float = 20.0) -> None:
    """Terminate, wait (bounded), then kill."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def wait_http(url: str, *, timeout: float, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    """Poll `url` until it answers with any HTTP status; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            pytest.fail(f"server exited with {proc.returncode} before answering {url}\n{tail}")
        try:
            with LOCAL.open(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError as exc:
            last = str(exc)
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {timeout} s ({last})")


def sparql_select(endpoint: str, query: str, *, timeout: float = 30) -> list[dict[str, str]]:
    """Rows of a SELECT query as {var: value} (GET, SPARQL JSON)."""
    url = endpoint + ("&" if "?" in endpoint else "?") + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with LOCAL.open(req, timeout=timeout) as resp:
        data = json.load(resp)
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


COUNT_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def counts_per_graph(endpoint: str, graphs: Iterator[str] | list[str]) -> dict[str, int]:
    wanted = set(graphs)
    return {r["g"]: int(r["n"]) for r in sparql_select(endpoint, COUNT_PER_GRAPH) if r["g"] in wanted}


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    base: str
    log: Path
    extra: dict = field(default_factory=dict)


def oxigraph_binary() -> str:
    exe = Path(sys.executable).with_name("oxigraph")
    return str(exe) if exe.exists() else (shutil.which("oxigraph") or "")


@contextmanager
def oxigraph_server(location: Path, port: int | None = None) -> Iterator[Server]:
    """`oxigraph serve` on 127.0.0.1 (GSP at /store, queries at /query)."""
    exe = oxigraph_binary()
    need(bool(exe), "the oxigraph server (pip install oxigraph) is not installed")
    port = port or free_port()
    log = location.parent / f"oxigraph-{port}.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
            stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    server = Server(proc, port, f"http://127.0.0.1:{port}", log)
    try:
        wait_http(server.base + "/query?query=ASK%7B%7D", timeout=30, proc=proc, log=log)
        yield server
    finally:
        stop_process(proc)


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 5
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 2000
MaxDirtyBuffers = 1200

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}/www
MaxClientConnections = 5
ServerThreads = 5
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 60
"""


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[Server]:
    """Debian's virtuoso-t with a fresh database in `folder`, loopback ports only.

    A fresh database has the user dba with password dba (see
    /usr/share/doc/virtuoso-opensource/README.Debian), who may write through
    the digest-protected /sparql-graph-crud-auth.
    """
    need(Path(VIRTUOSO).exists(), "virtuoso-t (Debian package virtuoso-opensource) is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "www").mkdir(exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(d=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "stdout.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)],
            cwd=folder, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Server(proc, http_port, f"http://127.0.0.1:{http_port}", folder / "virtuoso.log")
    try:
        wait_http(server.base + "/sparql?query=ASK%7B%7D", timeout=90, proc=proc, log=log)
        yield server
    finally:
        stop_process(proc, timeout=30)


# --- tiny fake endpoints ---------------------------------------------------------


@dataclass
class FakeEndpoint:
    url: str
    requests: list[dict] = field(default_factory=list)


@contextmanager
def fake_endpoint(
    answer: Callable[[int, dict], tuple[int, dict[str, str]]], *, tls: tuple[Path, Path] | None = None
) -> Iterator[FakeEndpoint]:
    """An http.server on 127.0.0.1 in a thread; `answer(n, request)` gives (status, headers) for the n-th PUT.

    With `tls` = (certificate, key) it speaks HTTPS.
    """
    record = FakeEndpoint("")

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_PUT(self):  # noqa: N802
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            req = {"path": self.path, "headers": dict(self.headers), "body": body}
            record.requests.append(req)
            status, headers = answer(len(record.requests), req)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    scheme = "http"
    if tls is not None:
        import ssl

        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(tls[0]), str(tls[1]))
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    record.url = f"{scheme}://127.0.0.1:{server.server_address[1]}/store"
    try:
        yield record
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def self_signed_cert(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 made with the openssl command."""
    exe = shutil.which("openssl")
    if not exe:
        pytest.skip("the openssl command is not installed")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [exe, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


# --- sample data -----------------------------------------------------------------

# Values, units and measures of sixteen statistics, as a seed-like article has them.
SEED_CLAIMS = [
    (230000, "person", "اتباع خارجی ساکن استان"),
    (120, "country", "کشورهای مبدأ اتباع"),
    (158000, "person", "اتباع دارای مجوز اقامت"),
    (18700, "person", "اتباع غیرمجاز اخراج‌شده"),
    (12973, "person", "اتباع غیرمجاز که خود رفتند"),
    (31673, "person", "مجموع اتباع غیرمجاز رفته"),
    (36, "MW", "ظرفیت نیروگاه خورشیدی"),
    (200, "MW", "کسری برق استان"),
    (2000, "MW", "مجوزهای برق خورشیدی"),
    (31, "percent", "سرقت‌های مهم"),
    (37, "percent", "سرقت‌های خرد"),
    (68, "percent", "شرارت"),
    (11, "percent", "قاچاق سوخت"),
    (10, "percent", "تصادفات درون‌شهری"),
    (10, "percent", "تصادفات برون‌شهری"),
    (0, "person", "بازداشت‌شدگان به جرم جاسوسی"),
]

HOSTILE = '</script><img src=x onerror=alert(1)><!-- \u2028&amp;'


def sample_nxgraph(*, hostile: bool = False) -> nx.MultiDiGraph:
    """A seed-like graph in the node/edge schema of kg.graph.nxview."""
    g = nx.MultiDiGraph()
    art = EX + "article/qom-1"
    g.add_node(art, type="article", label="نشست رسانه‌ای استانداری", label_en=None, title="۲۷ مرداد ۱۴۰۴")
    g.add_node(EX + "org/abna", type="organization", label="خبرگزاری ابنا", label_en="ABNA", title="خبرگزاری")
    g.add_node(EX + "org/gov-qom", type="organization", label="استانداری قم", label_en="Qom Governorate", title="استانداری قم")
    g.add_node(EX + "org/gov-qom-deputy", type="organization", label="معاونت سیاسی و امنیتی استانداری قم",
               label_en="Political and Security Deputy", title="معاونت")
    g.add_node(EX + "org/atba", type="organization", label="اداره کل امور اتباع استان قم", label_en=None, title="اداره کل")
    g.add_node(EX + "place/qom", type="place", label="استان قم", label_en="Qom Province", title="استان")
    g.add_node(EX + "person/heydari", type="person", label="مرتضی حیدری", label_en="Morteza Heydari", title="مرتضی حیدری")
    g.add_node(EX + "person/zarei", type="person", label="علی اکبر زارعی", label_en="Ali Akbar Zarei", title="علی اکبر زارعی")
    g.add_node(EX + "post/heydari-1", type="post", label="سرپرست معاونت سیاسی و امنیتی", label_en="acting head", title="سمت")
    g.add_node(EX + "post/zarei-1", type="post", label="مدیر کل امور اتباع", label_en="director-general", title="سمت")
    g.add_edge(art, EX + "org/abna", label="published by")
    g.add_edge(EX + "org/gov-qom-deputy", EX + "org/gov-qom", label="part of")
    g.add_edge(EX + "org/gov-qom", EX + "place/qom", label="located in")
    g.add_edge(EX + "person/heydari", EX + "post/heydari-1", label="holds post")
    g.add_edge(EX + "post/heydari-1", EX + "org/gov-qom-deputy", label="post in")
    g.add_edge(EX + "person/zarei", EX + "post/zarei-1", label="holds post")
    g.add_edge(EX + "post/zarei-1", EX + "org/atba", label="post in")
    for i, (value, unit, measure) in enumerate(SEED_CLAIMS):
        claim = EX + f"claim/qom-1/{i}"
        speaker, agency = ("zarei", "atba") if i == 15 else ("heydari", "gov-qom")
        sentence = f"به گفته این مقام، {measure} به {value} رسیده است."
        if hostile and i == 0:
            measure = HOSTILE + measure
            sentence = HOSTILE + sentence
        g.add_node(claim, type="claim", label=f"{value} {unit}", label_en=None, title=sentence,
                   value=value, unit=unit, measure=measure)
        g.add_edge(EX + f"person/{speaker}", claim, label="stated")
        g.add_edge(claim, EX + f"org/{agency}", label="on behalf of")
        g.add_edge(claim, art, label="derived from")
        g.add_edge(claim, EX + "place/qom", label="about")
    if hostile:
        g.add_node(EX + "person/x", type="person", label=HOSTILE, label_en=HOSTILE, title=HOSTILE)
        g.add_edge(EX + "person/x", EX + "claim/qom-1/0", label=HOSTILE)
    return g


def big_nxgraph(n_nodes: int = 2000, seed: int = 1) -> nx.MultiDiGraph:
    """About `n_nodes` nodes: articles, people, agencies, posts and many claims."""
    import random

    rnd = random.Random(seed)
    g = nx.MultiDiGraph()
    n_articles, n_people, n_orgs = n_nodes // 20, n_nodes // 20, n_nodes // 40
    for a in range(n_articles):
        g.add_node(f"a{a}", type="article", label=f"خبر {a}", label_en=None, title=f"خبر شماره {a}")
    for o in range(n_orgs):
        g.add_node(f"o{o}", type="organization", label=f"اداره کل شماره {o}", label_en=f"Office {o}", title="اداره")
        if o:
            g.add_edge(f"o{o}", f"o{rnd.randrange(o)}", label="part of")
    for p in range(n_people):
        g.add_node(f"p{p}", type="person", label=f"مقام شماره {p}", label_en=f"Official {p}", title="مقام")
        g.add_node(f"s{p}", type="post", label="مدیر کل", label_en="director-general", title="سمت")
        g.add_edge(f"p{p}", f"s{p}", label="holds post")
        g.add_edge(f"s{p}", f"o{rnd.randrange(n_orgs)}", label="post in")
    c = 0
    while g.number_of_nodes() < n_nodes:
        p = rnd.randrange(n_people)
        g.add_node(f"c{c}", type="claim", label=str(c), label_en=None, title=f"جمله آمار {c}",
                   value=rnd.randrange(1, 10**6), unit=rnd.choice(["person", "percent", "MW"]), measure="شاخص نمونه")
        g.add_edge(f"p{p}", f"c{c}", label="stated")
        g.add_edge(f"c{c}", f"a{rnd.randrange(n_articles)}", label="derived from")
        c += 1
    return g


def sample_nquads(n_articles: int = 2, *, claims_per_article: int = 8) -> str:
    """N-Quads with one named graph per article (the article IRI), shared people across articles."""
    lines: list[str] = []
    for a in range(n_articles):
        art = f"<{EX}article/test-{a}>"
        graph = art
        person = f"<{EX}person/%D9%85%D8%B1%D8%AA%D8%B6%DB%8C>"
        lines.append(f'{art} <http://purl.org/dc/terms/date> "2025-08-{(a % 28) + 1:02d}"^^<http://www.w3.org/2001/XMLSchema#date> {graph} .')
        lines.append(f'{person} <{RDFS_LABEL}> "مرتضی حیدری"@fa {graph} .')
        lines.append(f'{person} <{RDFS_LABEL}> "Morteza Heydari"@en {graph} .')
        lines.append(f'<{EX}org/gov-qom> <{RDFS_LABEL}> "استانداری قم"@fa {graph} .')
        for c in range(claims_per_article):
            claim = f"<{EX}claim/test-{a}/{c}>"
            lines.append(f'{claim} <{EX}value> "{(c + 1) * 1000}"^^<http://www.w3.org/2001/XMLSchema#decimal> {graph} .')
            lines.append(f'{claim} <{EX}sentence> "جمله \\"آزمایشی\\" شماره {c} با ۲۳۰ هزار نفر\\n<b>&amp;</b>"@fa {graph} .')
            lines.append(f"{claim} <http://www.w3.org/ns/prov#wasAttributedTo> {person} {graph} .")
            lines.append(f"{claim} <http://www.w3.org/ns/prov#wasDerivedFrom> {art} {graph} .")
        # a blank node: PUT replaces it too, so reloading must not duplicate it
        lines.append(f"{art} <{EX}span> _:s{a} {graph} .")
        lines.append(f'_:s{a} <{EX}start> "{a}"^^<http://www.w3.org/2001/XMLSchema#integer> {graph} .')
    return "\n".join(lines) + "\n"


def graph_iris(n_articles: int) -> list[str]:
    return [f"{EX}article/test-{a}" for a in range(n_articles)]


def triples_per_graph(claims_per_article: int = 8) -> int:
    return 4 + 4 * claims_per_article + 2


def kg_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python -m kg ARGS` from the repository root (a real process: exit code, stdout, stderr)."""
    root = Path(__file__).resolve().parent.parent
    # no credentials from the developer's environment or ~/.netrc
    full_env = {**os.environ, "PYTHONPATH": str(root), "NETRC": str(root / "tests" / "no-such-netrc")}
    for key in ("KG_ENDPOINT_USER", "KG_ENDPOINT_PASSWORD"):
        full_env.pop(key, None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], cwd=root, env=full_env, capture_output=True, text=True, timeout=timeout
    )



@contextmanager
def kg_serve(*args: str, timeout: float = 30) -> Iterator[tuple[subprocess.Popen, str]]:
    """`python -m kg serve ARGS --port 0` as a process; yields it and its base URL."""
    import re
    import selectors

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", *args, "--port", "0"],
        cwd=root, env={**os.environ, "PYTHONPATH": str(root)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
    )
    try:
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout=timeout):
            pytest.fail(f"kg serve printed nothing within {timeout} s")
        line = proc.stdout.readline()
        sel.close()
        m = re.search(r"query page (http://\S+/)", line)
        if not m:
            proc.kill()
            pytest.fail(f"kg serve did not start: {line!r} {proc.stderr.read()[-2000:]!r}")
        yield proc, m.group(1)
    finally:
        stop_process(proc)
