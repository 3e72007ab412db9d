"""`kg build INPUT... -o DIR`: articles in, graph + claims table + HTML out.

Runs as a corpus run (`kg.corpus`): streamed, in parallel (``--workers N``,
default all cores, or ``--executor dask --scheduler ADDRESS``), with flat
memory, and incremental — a rerun into the same DIR processes only new or
changed articles and picks up after an interrupted run.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.commands import add_ner_options
from kg.errors import EXIT_PARTIAL
from kg.pipeline import DEFAULT_BASE_IRI, Config

DEFAULT_OUTPUT = "output"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="extract officials, agencies, places and claims; write graph, claims table and HTML",
        description="Read Persian news articles (.txt, .jsonl[.gz], .html, or folders of them) and write "
        "DIR/graph.ttl, DIR/claims.jsonl, DIR/claims.csv, DIR/consistency.jsonl and DIR/graph.html "
        "(and DIR/errors.jsonl when some articles fail). The triples also go into an on-disk store "
        "(DIR/store, or --store), which `kg query` can use. Rerunning into the same DIR only processes "
        "new or changed articles; an interrupted run resumes where it stopped.",
    )
    p.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="article files, corpora or folders")
    p.add_argument("-o", "--output", type=Path, default=Path(DEFAULT_OUTPUT), help="output folder (default: output)")
    add_ner_options(p, default="auto")
    p.add_argument("--base-iri", default=DEFAULT_BASE_IRI, help=f"base of the graph's IRIs (default: {DEFAULT_BASE_IRI})")
    p.add_argument("--format", dest="formats", default="turtle",
                   help="comma-separated RDF formats to write: turtle, nt, nquads, trig, json-ld (default: turtle; "
                   "json-ld is built in memory, the others are streamed from the store)")
    p.add_argument("--store", type=Path, help="on-disk store (pyoxigraph) folder to fill (default: DIR/store)")
    p.add_argument("--no-html", action="store_true", help="skip graph.html")
    p.add_argument("--workers", type=int, metavar="N",
                   help="worker processes on this machine (default: all cores; 1 = in this process)")
    p.add_argument("--executor", choices=["processes", "dask"], default="processes",
                   help="where articles are processed: local processes (default) or a Dask cluster")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--quiet", action="store_true", help="no progress output and no summary line")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.corpus import CorpusRun, RunOptions
    from kg.errors import KgError
    from kg.graph.iris import check_base
    from kg.sinks.rdf import format_name

    if args.workers is not None and args.workers < 1:
        raise KgError("--workers must be at least 1")
    if args.scheduler and args.executor != "dask":
        raise KgError("--scheduler needs --executor dask")
    base = check_base(args.base_iri)
    formats = list(dict.fromkeys(format_name(f) for f in args.formats.split(",") if f.strip())) or ["turtle"]
    config = Config(ner=args.ner, base_iri=base, stanza_dir=args.stanza_dir, stanza_ner_model=args.stanza_ner_model)
    options = RunOptions(
        inputs=list(args.inputs), out=args.output, config=config, formats=formats, store=args.store,
        html=not args.no_html, workers=args.workers, executor=args.executor, scheduler=args.scheduler,
        quiet=args.quiet, debug=getattr(args, "debug", False),
    )
    summary = CorpusRun(options).run()
    if not args.quiet:
        print(summary.line(args.output), flush=True)
    return EXIT_PARTIAL if summary.errors else 0
