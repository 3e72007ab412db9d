"""`kg load SOURCE --endpoint URL | --store DIR`: send a dataset to a triplestore.

SOURCE is an N-Quads or TriG file, or a `kg build` output folder (its
graph.nq or graph.trig). Each named graph (one per article) replaces the graph
of the same name, so loading again never duplicates. See kg.sinks.gsp and
docs/visualise-and-load.md.
"""

from __future__ import annotations

import argparse
import sys

from kg.errors import InputError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "load",
        help="load a dataset into a triplestore (SPARQL Graph Store Protocol) or the embedded store",
        description="Load one named graph per article into a SPARQL 1.1 Graph Store HTTP Protocol endpoint "
        "(PUT, so a reload replaces instead of duplicating) or into an embedded store folder. "
        "Credentials: KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD, or a netrc entry for the endpoint's host.",
    )
    p.add_argument("source", help="N-Quads/TriG file, or a `kg build` output folder")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--endpoint", metavar="URL", help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store")
    target.add_argument("--store", metavar="DIR", help="embedded store folder (created if missing)")
    p.add_argument("--default-graph", metavar="IRI", help="named graph for triples outside any named graph")
    p.add_argument("--auth", choices=("auto", "basic", "digest"), default="auto",
                   help="authentication scheme (default: whatever the server asks for)")
    p.add_argument("--netrc", metavar="FILE", help="netrc file with credentials (default: $NETRC or ~/.netrc)")
    p.add_argument("--insecure", action="store_true", help="do not verify TLS certificates (warns)")
    p.add_argument("--ca-bundle", metavar="FILE", help="CA certificates to verify the server with")
    p.add_argument("--jobs", type=int, default=2, metavar="N", help="graphs sent in parallel (default 2)")
    p.add_argument("--retries", type=int, default=4, metavar="N",
                   help="retries per graph on 5xx/timeouts/connection errors (default 4)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS", help="per request (default 60)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.sinks import gsp

    if args.jobs < 1 or args.jobs > 64:
        raise InputError("--jobs must be between 1 and 64")
    if args.retries < 0 or args.retries > 20:
        raise InputError("--retries must be between 0 and 20")
    if not args.timeout > 0:
        raise InputError("--timeout must be positive")
    if args.default_graph is not None:
        _check_iri(args.default_graph)

    graphs = gsp.read_graphs(args.source, default_graph=args.default_graph)
    progress = None if args.quiet else gsp.progress_printer(sys.stderr)

    if args.store:
        report = gsp.load_into_store(graphs, args.store)
        where = args.store
    else:
        gsp.check_endpoint(args.endpoint)
        verify: bool | str = True
        if args.insecure:
            verify = False
            print("kg load: warning: TLS certificate verification is off (--insecure)", file=sys.stderr)
            import urllib3

            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # warned once above
        elif args.ca_bundle:
            verify = args.ca_bundle
        client = gsp.GspClient(
            args.endpoint,
            credentials=gsp.find_credentials(args.endpoint, netrc_file=args.netrc),
            auth=args.auth,
            verify=verify,
            timeout=args.timeout,
            attempts=args.retries + 1,
        )
        report = client.load(graphs, jobs=args.jobs, progress=progress)
        where = gsp.display_url(args.endpoint)
    print(f"loaded {report.graphs} graphs ({report.triples} triples) into {where} in {report.seconds:.1f} s")
    return 0


def _check_iri(iri: str) -> None:
    import pyoxigraph as ox

    try:
        ox.NamedNode(iri)
    except ValueError:
        raise InputError(f"--default-graph is not a valid IRI: {iri[:80]!r}") from None
    if ":" not in iri:
        raise InputError(f"--default-graph must be an absolute IRI: {iri[:80]!r}")
