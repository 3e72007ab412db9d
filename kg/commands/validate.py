"""`kg validate GRAPH`: check a graph against the shipped SHACL shapes (ontology/shapes.ttl)."""

from __future__ import annotations

import argparse
import sys

from kg.errors import EXIT_ERROR


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "validate",
        help="check a graph against the SHACL shapes (exit 1 when it does not conform)",
        description="Validate a graph file, a folder of graph files, a kg build folder or a store with "
                    "pySHACL against ontology/shapes.ttl. Prints one line per violation: focus node, "
                    "property path, message. Exit code 0 when the graph conforms, 1 when it does not.",
    )
    p.add_argument("graph", help="graph file (.ttl .nt .nq .trig .jsonld), folder, or store folder")
    p.add_argument("--shapes", metavar="SHAPES.ttl", help="use these shapes instead of the shipped ones")
    p.add_argument("--max", type=int, default=50, metavar="N", help="print at most N violations (0: all)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.graph.shacl import validate
    from kg.query.sources import load_graph, resolve

    source = resolve(args.graph)
    graph = load_graph(source)
    report = validate(graph, args.shapes)
    if report.conforms:
        print(f"{args.graph}: conforms ({len(graph)} triples)")
        return 0
    shown = report.violations if args.max <= 0 else report.violations[: args.max]
    for v in shown:
        print(v.line())
    more = len(report.violations) - len(shown)
    if more > 0:
        print(f"... and {more} more (use --max 0 to see all)")
    print(f"kg: {args.graph} does not conform: {len(report.violations)} violation(s)", file=sys.stderr)
    return EXIT_ERROR
