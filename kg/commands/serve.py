"""`kg serve STORE`: a local SPARQL endpoint and query page on the embedded store.

See kg.sinks.server for what it serves and why it is built on http.server.
"""

from __future__ import annotations

import argparse
import signal
import sys

from kg.errors import InputError


class _Stop(BaseException):
    """SIGTERM. A BaseException, like KeyboardInterrupt: socketserver swallows
    Exceptions raised while it hands a request to a thread, and would keep serving."""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "serve",
        help="serve the embedded store as a local SPARQL endpoint with a query page",
        description="Serve STORE (an embedded store folder, or an RDF file loaded into memory) as a SPARQL 1.1 "
        "endpoint at /query, with a query page at /. Read-only and bound to 127.0.0.1 unless told otherwise.",
    )
    p.add_argument("store", help="embedded store folder (kg load --store DIR) or an .nq/.trig/.ttl/.nt file")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7879, help="port (default 7879; 0 picks a free one)")
    p.add_argument("--writable", action="store_true",
                   help="accept SPARQL Update at /update (application/sparql-update bodies only)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.sinks.server import SparqlServer, open_store

    if not 0 <= args.port <= 65535:
        raise InputError("--port must be between 0 and 65535")
    store = open_store(args.store, writable=args.writable)
    server = SparqlServer(store, args.host, args.port, writable=args.writable)
    if not server.loopback:
        print(f"kg serve: warning: listening on {args.host}: anyone who can reach it can query"
              + (" and change" if args.writable else "") + " the store", file=sys.stderr)

    def stop(_signum, _frame):
        raise _Stop

    previous = signal.signal(signal.SIGTERM, stop)
    # The first stdout line is the address (scripts and tests read it).
    print(f"kg serve: SPARQL endpoint {server.url}query, query page {server.url}"
          f" ({'writable' if args.writable else 'read-only'}); Ctrl-C stops", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except (_Stop, KeyboardInterrupt):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
        if args.writable:
            store.flush()
    print("kg serve: stopped", file=sys.stderr)
    return 0
