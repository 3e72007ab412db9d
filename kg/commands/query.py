"""`kg query SOURCE (QUERY | --file Q.rq | --name NAME) [--param k=v ...] [--format table|csv|json]`."""

from __future__ import annotations

import argparse
import sys

from kg.errors import KgError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "query",
        help="run SPARQL over a graph file, a folder of them, a kg build folder or a store",
        description="Run a SPARQL query. The ontology's prefixes (kg: schema: org: prov: nif: qudt: "
                    "dcterms: skos: rdfs: xsd: ...) are predeclared and the default graph is the union of "
                    "all articles' graphs. Parameters are bound by the engine, never pasted into the query.",
    )
    p.add_argument("source", nargs="?", help="graph file (.ttl .nt .nq .trig .jsonld), folder, or store folder")
    p.add_argument("query", nargs="?", help="SPARQL query text")
    p.add_argument("--file", "-f", metavar="Q.rq", help="read the query from a file")
    p.add_argument("--name", "-n", metavar="NAME", help="a named query shipped with kg (see --list)")
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE",
                   help="bind ?NAME to VALUE (a string; <https://...> for an IRI); repeatable")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    p.add_argument("--width", type=int, default=60, help="cut table cells to this many columns (0: never)")
    p.add_argument("--output", "-o", metavar="FILE", help="write the result to FILE instead of stdout")
    p.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    p.set_defaults(func=run)


def _list() -> str:
    from kg.query.named import named_queries

    lines = []
    for q in named_queries().values():
        lines.append(f"{q.name}: {q.description}")
        for prm in q.params:
            opt = " (optional)" if prm.optional else ""
            lines.append(f"    --param {prm.name}=...{opt}  {prm.description}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from kg.query import run_query
    from kg.query.engine import parse_params
    from kg.query.output import render

    if args.list:
        text = _list()
    else:
        if not args.source:
            raise KgError("kg query needs a SOURCE (graph file, folder or store) — or --list")
        params = parse_params(args.param)
        result = run_query(args.source, args.query, file=args.file, name=args.name, params=params)
        text = render(result, args.format, width=args.width)
    if args.output:
        from kg.sinks.rdf import atomic_writer

        with atomic_writer(args.output, "w") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 0
