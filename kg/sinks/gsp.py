"""Loading a dataset into a triplestore with the SPARQL 1.1 Graph Store HTTP Protocol.

One named graph per article: each graph is sent with ``PUT URL?graph=IRI``,
which replaces the graph, so loading the same articles again replaces them
instead of adding duplicates, and a load that stopped half-way is repaired by
running it again. Works with any GSP endpoint (Oxigraph ``/store``, Fuseki
``/DATASET/data``, GraphDB ``/repositories/REPO/rdf-graphs/service``,
Virtuoso ``/sparql-graph-crud-auth``).

Requests that fail with a 5xx, 408 or 429 status, a timeout or a broken
connection are retried with exponential backoff, a bounded number of times.
Credentials come from the environment or a netrc file and are never printed;
basic or digest authentication is chosen from the server's challenge. TLS
certificates are verified unless the caller explicitly opts out.
"""

from __future__ import annotations

import netrc
import os
import random
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox

from kg.errors import InputError, RemoteError
from kg.safety import is_loopback_host

ENV_USER = "KG_ENDPOINT_USER"
ENV_PASSWORD = "KG_ENDPOINT_PASSWORD"
CONTENT_TYPE = "application/n-triples"
RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})

_FORMATS = {
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ttl": ox.RdfFormat.TURTLE,
}
_FOLDER_FILES = ("graph.nq", "graph.trig")  # what `kg build -o DIR` writes


# --- source -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NamedGraph:
    iri: str
    triples: tuple[ox.Triple, ...]

    def ntriples(self) -> bytes:
        return ox.serialize(self.triples, format=ox.RdfFormat.N_TRIPLES) or b""


def source_file(source: str | os.PathLike[str]) -> Path:
    """The dataset file of SOURCE: the file itself, or graph.nq/graph.trig in a build folder."""
    path = Path(source)
    if path.is_dir():
        for name in _FOLDER_FILES:
            if (path / name).is_file():
                return path / name
        raise InputError(
            f"{path} has neither {' nor '.join(_FOLDER_FILES)}: build with `kg build ... --format turtle,nquads`"
            " (one named graph per article)"
        )
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.suffix.lower() not in _FORMATS:
        raise InputError(f"{path}: unknown RDF format (expected {', '.join(sorted(_FORMATS))})")
    return path


def read_graphs(source: str | os.PathLike[str], *, default_graph: str | None = None) -> list[NamedGraph]:
    """The named graphs of an N-Quads/TriG file (or N-Triples/Turtle with `default_graph`).

    Triples outside any named graph go to `default_graph`; without one they are
    an error, because replacing a store's default graph would wipe data that
    other loads put there.
    """
    folder = Path(source)
    if folder.is_dir() and not any((folder / n).is_file() for n in _FOLDER_FILES) and (folder / "store").is_dir():
        return _graphs_from_store(folder / "store")  # a `kg build` folder: its store has every article's graph
    path = source_file(source)
    fmt = _FORMATS[path.suffix.lower()]
    graphs: dict[str, list[ox.Triple]] = {}
    loose = 0
    try:
        with path.open("rb") as fh:
            for quad in ox.parse(fh, format=fmt, base_iri=path.resolve().as_uri()):
                if isinstance(quad.graph_name, ox.DefaultGraph):
                    if default_graph is None:
                        loose += 1
                        continue
                    name = default_graph
                elif isinstance(quad.graph_name, ox.NamedNode):
                    name = quad.graph_name.value
                else:
                    raise InputError(f"{path}: graph names must be IRIs, found a blank node")
                graphs.setdefault(name, []).append(quad.triple)
    except SyntaxError as exc:
        raise InputError(f"{path}: not valid {fmt.name}: {_one_line(str(exc))}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc
    if loose:
        raise InputError(
            f"{path} has {loose} triples outside named graphs; pass --default-graph IRI to load them into a named graph"
        )
    if not graphs:
        raise InputError(f"{path} holds no triples")
    return [NamedGraph(iri, tuple(triples)) for iri, triples in graphs.items()]


def _graphs_from_store(directory: Path) -> list[NamedGraph]:
    """The article graphs of an on-disk kg store (the default graph is their union: not sent)."""
    try:
        store = ox.Store.read_only(str(directory))
    except OSError as exc:
        raise InputError(f"{directory}: cannot open the store: {_one_line(str(exc))}") from exc
    graphs: dict[str, list[ox.Triple]] = {}
    for name in store.named_graphs():
        if isinstance(name, ox.NamedNode):
            graphs[name.value] = [q.triple for q in store.quads_for_pattern(None, None, None, name)]
    if not graphs:
        raise InputError(f"{directory} holds no article graphs")
    return [NamedGraph(iri, tuple(triples)) for iri, triples in sorted(graphs.items())]


# --- credentials ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Credentials:
    user: str
    password: str = field(repr=False)

    def __repr__(self) -> str:  # never show the password, even in a debugger or log
        return f"Credentials(user={self.user!r}, password=***)"


def find_credentials(url: str, *, netrc_file: str | os.PathLike[str] | None = None) -> Credentials | None:
    """Credentials for `url`: KG_ENDPOINT_USER/KG_ENDPOINT_PASSWORD, else a netrc entry for its host."""
    user, password = os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD)
    if user or password:
        if not (user and password is not None):
            raise InputError(f"set both {ENV_USER} and {ENV_PASSWORD}, or neither")
        return Credentials(user, password)
    host = urlsplit(url).hostname or ""
    path = Path(netrc_file) if netrc_file else Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        if netrc_file:
            raise InputError(f"{path}: no such netrc file")
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        # the parser's message can quote the file's lines; say only where
        lineno = getattr(exc, "lineno", None)
        raise InputError(f"{path}: unreadable netrc file" + (f" (line {lineno})" if lineno else "")) from None
    if entry is None:
        return None
    login, _account, password = entry
    return Credentials(login or "", password or "")


def display_url(url: str) -> str:
    """`url` without credentials or query, for messages."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def check_endpoint(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"endpoint must be an http:// or https:// URL, got {display_url(url) or url[:40]!r}")
    if parts.username or parts.password:
        # URLs end up in shell history, process lists and logs
        raise InputError(f"do not put credentials in the endpoint URL; use {ENV_USER}/{ENV_PASSWORD} or a netrc file")


# --- client ---------------------------------------------------------------------


@dataclass(slots=True)
class LoadReport:
    graphs: int = 0
    triples: int = 0
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0


@dataclass(slots=True)
class GspClient:
    """PUTs named graphs to one Graph Store Protocol endpoint."""

    endpoint: str
    credentials: Credentials | None = None
    auth: str = "auto"  # auto | basic | digest
    verify: bool | str = True  # False only with --insecure; a path = CA bundle
    timeout: float = 60.0
    attempts: int = 5  # tries per graph, the first included
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    max_backoff: float = 20.0
    sleep: Callable[[float], None] = time.sleep
    _scheme: str | None = field(default=None, init=False)
    _local: threading.local = field(default_factory=threading.local, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _proxies: dict | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        check_endpoint(self.endpoint)
        if self.auth not in ("auto", "basic", "digest"):
            raise InputError(f"unknown auth scheme {self.auth!r} (auto, basic or digest)")
        if self.auth != "auto":
            self._scheme = self.auth
        # A store on this machine is never reached through an HTTP(S)_PROXY from the environment.
        host = urlsplit(self.endpoint).hostname or ""
        self._proxies = {"http": None, "https": None} if is_loopback_host(host) else None

    # One requests.Session per thread: sessions keep connections alive but are
    # not documented as thread-safe.
    def _session(self):
        import requests

        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = "kg-load"
            self._local.session = session
        return session

    def _auth_object(self):
        from requests.auth import HTTPBasicAuth, HTTPDigestAuth

        if self.credentials is None or self._scheme is None:
            return None
        key = f"auth_{self._scheme}"
        obj = getattr(self._local, key, None)
        if obj is None:
            if self._scheme == "digest":
                obj = HTTPDigestAuth(self.credentials.user, self.credentials.password)
            else:  # RFC 7617: UTF-8 (requests would encode str as Latin-1 and fail on Persian)
                obj = HTTPBasicAuth(self.credentials.user.encode("utf-8"), self.credentials.password.encode("utf-8"))
            setattr(self._local, key, obj)
        return obj

    def _choose_scheme(self, challenge: str) -> bool:
        """Pick basic or digest from a WWW-Authenticate header; False if neither is offered."""
        offered = challenge.lower()
        with self._lock:
            if "digest" in offered:
                self._scheme = "digest"
            elif "basic" in offered:
                self._scheme = "basic"
            else:
                return False
        return True

    def put_graph(self, graph: NamedGraph, report: LoadReport | None = None) -> None:
        body = graph.ntriples()
        self.put(graph.iri, body, report)

    def put(self, iri: str, body: bytes, report: LoadReport | None = None) -> None:
        """Replace graph `iri` with `body` (N-Triples), retrying transient failures."""
        import requests

        where = display_url(self.endpoint)
        last = ""
        for attempt in range(1, self.attempts + 1):
            delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
            try:
                response = self._send(iri, body, report)
            except requests.exceptions.SSLError as exc:
                raise RemoteError(f"{where}: TLS error ({_reason(exc)}); use --insecure only for a server you trust") from None
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                last = _reason(exc)
            except requests.exceptions.RequestException as exc:
                raise RemoteError(f"{where}: {_reason(exc)}") from None
            else:
                status = response.status_code
                if status < 300:
                    return
                if status in (401, 403):
                    if self.credentials is None:
                        raise RemoteError(
                            f"{where} answered {status}: it needs credentials; set {ENV_USER} and {ENV_PASSWORD}"
                            f" or add a netrc entry for {urlsplit(self.endpoint).hostname}"
                        )
                    raise RemoteError(f"{where} answered {status}: the credentials were refused")
                if status not in RETRY_STATUS:
                    raise RemoteError(f"{where} answered {status} for graph {iri}: {_snippet(response)}")
                last = f"HTTP {status}"
                retry_after = _retry_after(response)
                if retry_after is not None:
                    delay = min(self.max_backoff, max(delay, retry_after))
            if attempt < self.attempts:
                if report is not None:
                    with self._lock:
                        report.retries += 1
                # jitter spreads the retries of parallel workers apart
                self.sleep(delay * (0.75 + 0.5 * random.random()))
        raise RemoteError(f"{where}: giving up on graph {iri} after {self.attempts} attempts ({last})")

    def _send(self, iri: str, body: bytes, report: LoadReport | None):
        session = self._session()

        def once():
            if report is not None:
                with self._lock:
                    report.requests += 1
            return session.put(
                self.endpoint,
                params={"graph": iri},
                data=body,
                headers={"Content-Type": f"{CONTENT_TYPE}; charset=utf-8"},
                auth=self._auth_object(),
                timeout=(min(10.0, self.timeout), self.timeout),
                # per request: a session-level False loses to REQUESTS_CA_BUNDLE in requests
                verify=self.verify,
                proxies=self._proxies,
            )

        sent_with = self._scheme  # None: this request went without credentials
        response = once()
        if response.status_code == 401 and self.credentials is not None and sent_with is None:
            # the challenge tells which scheme to use (another thread may have learnt it already)
            if self._scheme is not None or self._choose_scheme(response.headers.get("WWW-Authenticate", "")):
                response.close()
                response = once()
        return response

    def load(
        self,
        graphs: Iterable[NamedGraph],
        *,
        jobs: int = 2,
        progress: Callable[[LoadReport, int], None] | None = None,
        total: int | None = None,
    ) -> LoadReport:
        """PUT every graph, at most `jobs` at a time; stops at the first graph that fails for good."""
        report = LoadReport()
        start = time.monotonic()
        graphs = list(graphs)
        total = len(graphs) if total is None else total
        jobs = max(1, jobs)
        pending: dict[Future, NamedGraph] = {}
        it: Iterator[NamedGraph] = iter(graphs)
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="kg-load") as pool:
            try:
                while True:
                    while len(pending) < jobs:
                        graph = next(it, None)
                        if graph is None:
                            break
                        pending[pool.submit(self.put_graph, graph, report)] = graph
                    if not pending:
                        break
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        graph = pending.pop(fut)
                        fut.result()  # raises the RemoteError of a failed graph
                        report.graphs += 1
                        report.triples += len(graph.triples)
                        if progress is not None:
                            progress(report, total)
            except BaseException:
                for fut in pending:
                    fut.cancel()
                raise
            finally:
                report.seconds = time.monotonic() - start
        return report


# --- embedded store -----------------------------------------------------------


def load_into_store(graphs: Iterable[NamedGraph], directory: str | os.PathLike[str]) -> LoadReport:
    """Replace each named graph in the embedded store at `directory` (see kg.sinks.store)."""
    from kg.sinks.store import Store

    report = LoadReport()
    start = time.monotonic()
    try:
        Path(directory).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the store folder {directory}: {exc.strerror or exc}") from None
    with Store(directory) as store:
        for graph in graphs:
            store.replace_graph(graph.iri, graph.ntriples())  # replace, so a reload does not duplicate
            report.graphs += 1
            report.triples += len(graph.triples)
    report.seconds = time.monotonic() - start
    return report


# --- helpers --------------------------------------------------------------------


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _snippet(response) -> str:
    try:
        text = response.text
    except Exception:  # noqa: BLE001 — an undecodable body is still an error to report
        text = ""
    return _one_line(text, 160) or response.reason or "no details"


def _reason(exc: Exception) -> str:
    # requests' messages nest the whole urllib3 chain; keep the innermost cause
    inner: BaseException = exc
    while inner.__context__ is not None and inner.__context__ is not inner:
        inner = inner.__context__
    name = type(inner).__name__ if inner is not exc else type(exc).__name__
    text = str(inner) or str(exc)
    return _one_line(f"{name}: {text}", 160)


def _retry_after(response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def progress_printer(stream=None) -> Callable[[LoadReport, int], None]:
    """A progress callback: rewrites one line on a terminal, prints every ~2 s otherwise."""
    out = stream or sys.stderr
    tty = getattr(out, "isatty", lambda: False)()
    state = {"last": time.monotonic()}

    def show(report: LoadReport, total: int) -> None:
        now = time.monotonic()
        final = report.graphs >= total
        if not final and now - state["last"] < (0.2 if tty else 2.0):
            return
        state["last"] = now
        line = f"kg load: {report.graphs}/{total} graphs, {report.triples} triples"
        if tty:
            out.write("\r" + line + ("\n" if final else ""))
        else:
            out.write(line + "\n")
        out.flush()

    return show


__all__ = [
    "Credentials",
    "GspClient",
    "LoadReport",
    "NamedGraph",
    "display_url",
    "find_credentials",
    "load_into_store",
    "progress_printer",
    "read_graphs",
    "source_file",
]
