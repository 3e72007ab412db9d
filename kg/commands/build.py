"""`kg build INPUT... -o DIR`: articles in, graph + claims table + HTML out."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from kg.errors import EXIT_PARTIAL
from kg.pipeline import DEFAULT_BASE_IRI, Config

DEFAULT_OUTPUT = "output"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="extract officials, agencies, places and claims; write graph, claims table and HTML",
        description="Read Persian news articles (.txt, .jsonl[.gz], .html, or folders of them) and write "
        "DIR/graph.ttl, DIR/claims.jsonl, DIR/claims.csv, DIR/consistency.jsonl and DIR/graph.html.",
    )
    p.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="article files, corpora or folders")
    p.add_argument("-o", "--output", type=Path, default=Path(DEFAULT_OUTPUT), help="output folder (default: output)")
    p.add_argument("--ner", choices=["auto", "rules", "stanza", "combined"], default="auto",
                   help="NER backend (default: auto = combined when a Stanza Persian model is installed, else rules)")
    p.add_argument("--stanza-dir", type=Path, help="Stanza resources folder (default: Stanza's own)")
    p.add_argument("--stanza-ner-model", type=Path, help="a Stanza NER model file (.pt) to use")
    p.add_argument("--base-iri", default=DEFAULT_BASE_IRI, help=f"base of the graph's IRIs (default: {DEFAULT_BASE_IRI})")
    p.add_argument("--format", dest="formats", default="turtle",
                   help="comma-separated RDF formats to write: turtle, nt, nquads, trig, json-ld (default: turtle)")
    p.add_argument("--store", type=Path, help="also load the triples into an on-disk store (pyoxigraph) in this folder")
    p.add_argument("--no-html", action="store_true", help="skip graph.html")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.graph.build import document_graph
    from kg.graph.iris import check_base
    from kg.pipeline import Pipeline
    from kg.progress import Progress
    from kg.readers import ReadError, read_documents
    from kg.sinks.claims import ClaimsWriter
    from kg.sinks.rdf import atomic_writer, write_outputs

    base = check_base(args.base_iri)
    config = Config(ner=args.ner, base_iri=base, stanza_dir=args.stanza_dir, stanza_ner_model=args.stanza_ner_model)
    pipeline = Pipeline(config)
    out: Path = args.output
    read_errors: list[ReadError] = []
    failures: list[dict] = []
    graphs = []
    stats = {"articles": 0, "claims": 0, "people": set(), "organizations": set()}
    progress = Progress(quiet=args.quiet)
    t0 = time.monotonic()
    with atomic_writer(out / "claims.jsonl", "w") as jf, atomic_writer(out / "claims.csv", "w") as cf, \
            atomic_writer(out / "consistency.jsonl", "w") as consf:
        cf.write("\ufeff")  # BOM: spreadsheet programs then read the CSV as UTF-8
        writer = ClaimsWriter(jf, cf, consf)
        for doc in read_documents(list(args.inputs), read_errors):
            try:
                pipeline(doc)
                graphs.append(document_graph(doc, base))
            except Exception as exc:  # one bad article must not stop a corpus run
                if getattr(args, "debug", False):
                    raise
                failures.append({"document": doc.id, "source": doc.metadata.source,
                                 "reason": f"{type(exc).__name__}: {exc}"})
                progress.update(failed=1)
                continue
            stats["claims"] += writer.write(doc, base)
            stats["articles"] += 1
            stats["people"].update(doc.people)
            stats["organizations"].update(doc.organizations)
            progress.update()
    progress.close()
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    write_outputs(graphs, out, formats)
    if args.store:
        from kg.sinks.store import Store

        store = Store(args.store)
        for g in graphs:
            store.replace_graph(g.identifier, g)
    if not args.no_html:
        from kg.graph.nxview import to_networkx
        from kg.sinks.html import write_html
        from kg.sinks.rdf import merged

        write_html(to_networkx(merged(graphs)), out / "graph.html")
    errors = [{"source": e.source, "line": e.line, "reason": e.reason} for e in read_errors] + failures
    err_path = out / "errors.jsonl"
    if errors:
        with atomic_writer(err_path, "w") as ef:
            for e in errors:
                ef.write(json.dumps(e, ensure_ascii=False) + "\n")
    elif err_path.exists():
        err_path.unlink()  # a stale errors file from an earlier run would mislead
    if not args.quiet:
        dt = time.monotonic() - t0
        print(f"kg: {stats['articles']} articles, {stats['claims']} claims, {len(stats['people'])} people, "
              f"{len(stats['organizations'])} organisations, {len(errors)} errors in {dt:.1f}s -> {out}/",
              flush=True)
    if errors:
        return EXIT_PARTIAL
    return 0
