"""`kg serve`: a local SPARQL endpoint with a query page, on the embedded store.

A small ``http.server`` that runs pyoxigraph queries, rather than a wrapper
around the ``oxigraph`` server binary: pyoxigraph is a core dependency while
the binary is an optional (test) one, and owning the server lets it open the
store read-only, serve our own query page, and refuse what a local endpoint
must refuse.

- ``GET/POST /query`` (also ``/sparql``) speaks the SPARQL 1.1 Protocol:
  ``query=`` as a URL or form parameter or an ``application/sparql-query``
  body; results as SPARQL JSON (default), XML, CSV or TSV, graphs as Turtle or
  N-Triples, by ``Accept`` header or ``format=``.
- Queries see the union of all named graphs as their default graph (every
  article is its own named graph) unless ``default-graph-uri`` is given.
- ``POST /update`` exists only with ``writable=True`` and only accepts an
  ``application/sparql-update`` body from a same-origin page or a non-browser
  client: a web page elsewhere cannot send that without a CORS preflight,
  which this server never approves.
- Bound to 127.0.0.1 by default; when bound to loopback the ``Host`` header
  must name a loopback host (guards against DNS rebinding).
- ``GET /`` is the query page: a textarea and a results table, filled in with
  ``textContent`` only, under a Content-Security-Policy without inline code.
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from kg.errors import InputError, KgError
from kg.safety import is_loopback_host

MAX_BODY = 1 << 20  # a query or update larger than 1 MiB is refused
_RDF_FILES = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE}

_RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_SHORT = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
}


def open_store(location: str | os.PathLike[str], *, writable: bool = False) -> ox.Store:
    """The store to serve: an embedded store folder, or an RDF file loaded into memory."""
    path = Path(location)
    if path.is_file():
        fmt = _RDF_FILES.get(path.suffix.lower())
        if fmt is None:
            raise InputError(f"{path}: not a store folder nor an RDF file ({', '.join(sorted(_RDF_FILES))})")
        store = ox.Store()
        try:
            store.bulk_load(path=str(path), format=fmt)
        except (SyntaxError, OSError, ValueError) as exc:
            raise InputError(f"{path}: cannot load: {' '.join(str(exc).split())[:200]}") from None
        return store
    from kg.sinks.store import Store, is_store_dir

    if not path.is_dir():
        raise InputError(f"{path}: no such store folder")
    if not is_store_dir(path):
        raise InputError(f"{path} is not a store folder: fill one with kg load SOURCE --store {path}")
    return Store(path, read_only=not writable).ox


@lru_cache(maxsize=1)
def _page() -> tuple[bytes, str]:
    assets = resources.files("kg.sinks").joinpath("assets")
    page = assets.joinpath("query.html").read_text(encoding="utf-8")
    script = assets.joinpath("query.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    body = page.replace("/*KG_QUERY_JS*/", script)
    csp = (
        f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
        "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return body.encode("utf-8"), csp


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: bytes
    content_type: str


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, store: ox.Store, host: str = "127.0.0.1", port: int = 0, *, writable: bool = False):
        self.store = store
        self.writable = writable
        self.loopback = is_loopback_host(host)
        self._write_lock = threading.Lock()
        try:
            super().__init__((host, port), _Handler)
        except OSError as exc:
            raise KgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}/"

    # --- SPARQL -------------------------------------------------------------

    def run_query(self, query: str, accept: str, default_graphs: list[str], named_graphs: list[str]) -> _Answer:
        kwargs: dict = {}
        try:
            if default_graphs:
                kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            else:
                kwargs["use_default_graph_as_union"] = True
            if named_graphs:
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        except ValueError as exc:
            return _text(HTTPStatus.BAD_REQUEST, f"bad graph IRI: {exc}")
        try:
            result = self.store.query(query, **kwargs)
        except SyntaxError as exc:
            return _text(HTTPStatus.BAD_REQUEST, f"query syntax error: {exc}")
        except (OSError, ValueError, RuntimeError) as exc:
            return _text(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {exc}")
        if isinstance(result, ox.QueryTriples):
            mime = _negotiate(accept, _GRAPH_TYPES, "text/turtle")
            if mime is None:
                return _text(HTTPStatus.NOT_ACCEPTABLE, "graph results are available as " + ", ".join(_GRAPH_TYPES))
            return _Answer(200, result.serialize(format=_GRAPH_TYPES[mime]) or b"", f"{mime}; charset=utf-8")
        mime = _negotiate(accept, _RESULT_TYPES, "application/sparql-results+json")
        if mime is None:
            return _text(HTTPStatus.NOT_ACCEPTABLE, "results are available as " + ", ".join(_RESULT_TYPES))
        if isinstance(result, ox.QueryBoolean) and _RESULT_TYPES[mime] in (ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV):
            return _text(HTTPStatus.OK, "true" if bool(result) else "false")
        return _Answer(200, result.serialize(format=_RESULT_TYPES[mime]) or b"", f"{mime}; charset=utf-8")

    def run_update(self, update: str) -> _Answer:
        try:
            with self._write_lock:
                self.store.update(update)
        except SyntaxError as exc:
            return _text(HTTPStatus.BAD_REQUEST, f"update syntax error: {exc}")
        except (OSError, ValueError, RuntimeError) as exc:
            return _text(HTTPStatus.INTERNAL_SERVER_ERROR, f"update failed: {exc}")
        return _Answer(204, b"", "text/plain; charset=utf-8")


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "kg-serve"
    sys_version = ""

    def log_message(self, format: str, *args) -> None:  # noqa: A002 — quiet; errors go to the client
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_OPTIONS(self) -> None:  # noqa: N802 — no CORS: every preflight is refused
        self._send(_text(HTTPStatus.FORBIDDEN, "cross-origin requests are not allowed"))

    def do_PUT(self) -> None:  # noqa: N802
        self._send(_text(HTTPStatus.METHOD_NOT_ALLOWED, "use POST /update (with --writable) to change the store"))

    do_DELETE = do_PUT

    def _dispatch(self, method: str) -> None:
        if not self._host_ok():
            self._send(_text(HTTPStatus.MISDIRECTED_REQUEST, "unexpected Host header"))
            return
        parts = urlsplit(self.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        if parts.path in ("/", "/index.html") and method in ("GET", "HEAD"):
            body, csp = _page()
            self._send(_Answer(200, body, "text/html; charset=utf-8"), csp=csp, head=method == "HEAD")
        elif parts.path in ("/query", "/sparql"):
            self._query(method, params)
        elif parts.path == "/update":
            self._update(method)
        else:
            self._send(_text(HTTPStatus.NOT_FOUND, "not found: try / (query page) or /query"))

    def _query(self, method: str, params: dict[str, list[str]]) -> None:
        if method == "POST":
            ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            body = self._body()
            if body is None:
                return
            if ctype == "application/sparql-query":
                params.setdefault("query", []).append(body.decode("utf-8", "replace"))
            elif ctype == "application/x-www-form-urlencoded":
                for key, values in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            else:
                self._send(_text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/sparql-query or a form"))
                return
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._send(_text(HTTPStatus.BAD_REQUEST, "give exactly one non-empty query parameter"))
            return
        accept = self.headers.get("Accept", "")
        fmt = (params.get("format") or [""])[0].lower()
        if fmt:
            accept = _SHORT.get(fmt, fmt)
        answer = self.server.run_query(
            queries[0], accept, params.get("default-graph-uri", []), params.get("named-graph-uri", [])
        )
        self._send(answer, head=method == "HEAD")

    def _update(self, method: str) -> None:
        if not self.server.writable:
            self._send(_text(HTTPStatus.FORBIDDEN, "this endpoint is read-only (start kg serve with --writable)"))
            return
        if method != "POST":
            self._send(_text(HTTPStatus.METHOD_NOT_ALLOWED, "POST an application/sparql-update body"))
            return
        origin = self.headers.get("Origin")
        if origin is not None and origin.rstrip("/") != self.server.url.rstrip("/"):
            self._send(_text(HTTPStatus.FORBIDDEN, "cross-origin updates are not allowed"))
            return
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if ctype != "application/sparql-update":
            self._send(_text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send the update as application/sparql-update"))
            return
        body = self._body()
        if body is not None:
            self._send(self.server.run_update(body.decode("utf-8", "replace")))

    def _body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self._send(_text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body must be 0..{MAX_BODY} bytes"))
            return None
        return self.rfile.read(length)

    def _host_ok(self) -> bool:
        if not self.server.loopback:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):
            name = host[1 : host.find("]")] if "]" in host else host
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return name in ("localhost", "") or is_loopback_host(name)

    def _send(self, answer: _Answer, *, csp: str | None = None, head: bool = False) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", csp or "default-src 'none'; frame-ancestors 'none'")
        self.end_headers()
        if not head:
            self.wfile.write(answer.body)


def _text(status: int, message: str) -> _Answer:
    return _Answer(int(status), (" ".join(message.split()) + "\n").encode("utf-8"), "text/plain; charset=utf-8")


def _negotiate(accept: str, offered: dict, default: str) -> str | None:
    """The first offered media type the Accept header names (q-values in order), else the default."""
    if not accept.strip():
        return default
    ranked: list[tuple[float, int, str]] = []
    for i, item in enumerate(accept.split(",")):
        bits = [b.strip() for b in item.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, bits[0].lower()))
    for neg_q, _i, mime in sorted(ranked):
        if neg_q == 0:
            continue
        if mime in offered:
            return mime
        if mime in ("*/*", "application/*", "text/*"):
            return default
    return None


__all__ = ["SparqlServer", "open_store"]
