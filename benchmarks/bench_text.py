"""Throughput of the text layer alone: normalize + segment + quantities.

Runs the three stages on the bundled articles (tests/data/articles/*.txt),
repeated until at least ``--mb`` megabytes of text have gone through, and
prints a table of MB/s and articles/s per stage and in total.

    python benchmarks/bench_text.py [--mb 10] [--profile]

``--profile`` runs pyinstrument over the whole loop and prints its report.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.document import Document, Metadata  # noqa: E402
from kg.pipeline import Config, Context  # noqa: E402
from kg.text.normalize import normalize  # noqa: E402
from kg.text.quantities import quantities  # noqa: E402
from kg.text.segment import segment  # noqa: E402


def load_articles() -> list[tuple[str, str]]:
    paths = sorted((ROOT / "tests" / "data" / "articles").glob("*.txt"))
    if not paths:
        raise SystemExit("no articles in tests/data/articles")
    return [(p.stem, p.read_text(encoding="utf-8")) for p in paths]


def run(articles: list[tuple[str, str]], target_bytes: int) -> dict[str, float]:
    ctx = Context(Config())
    timing = {"normalize": 0.0, "segment": 0.0, "quantities": 0.0, "cpu": 0.0}
    done_bytes = 0
    n_docs = 0
    n_quantities = 0
    today = date(2025, 8, 18).isoformat()
    while done_bytes < target_bytes:
        for doc_id, text in articles:
            doc = Document(id=doc_id, text=text, metadata=Metadata(date=today))
            c0 = time.process_time()
            t0 = time.perf_counter()
            doc.norm = normalize(doc.text)
            t1 = time.perf_counter()
            segment(doc, ctx)
            t2 = time.perf_counter()
            quantities(doc, ctx)
            t3 = time.perf_counter()
            timing["cpu"] += time.process_time() - c0
            timing["normalize"] += t1 - t0
            timing["segment"] += t2 - t1
            timing["quantities"] += t3 - t2
            done_bytes += len(text.encode("utf-8"))
            n_docs += 1
            n_quantities += len(doc.quantities)
    timing["bytes"] = done_bytes
    timing["docs"] = n_docs
    timing["quantities_found"] = n_quantities
    return timing


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0, help="megabytes of text to process (default 10)")
    ap.add_argument("--profile", action="store_true", help="profile with pyinstrument")
    args = ap.parse_args(argv)
    articles = load_articles()
    target = int(args.mb * 1_000_000)
    run(articles, 1)  # warm up: compile lexicons once
    if args.profile:
        from pyinstrument import Profiler

        prof = Profiler()
        prof.start()
        t = run(articles, target)
        prof.stop()
        print(prof.output_text(unicode=True, color=False))
    else:
        t = run(articles, target)
    mb = t["bytes"] / 1_000_000
    total = t["normalize"] + t["segment"] + t["quantities"]
    print(f"{len(articles)} article(s) repeated to {mb:.1f} MB, {int(t['docs'])} documents, "
          f"{int(t['quantities_found'])} quantities")
    print(f"{'stage':<12}{'seconds':>10}{'MB/s':>10}{'articles/s':>12}")
    for name in ("normalize", "segment", "quantities"):
        s = t[name]
        print(f"{name:<12}{s:>10.2f}{mb / s:>10.2f}{t['docs'] / s:>12.1f}")
    print(f"{'total':<12}{total:>10.2f}{mb / total:>10.2f}{t['docs'] / total:>12.1f}")
    # CPU time is steadier than wall time on a machine shared with other jobs.
    cpu = t["cpu"]
    print(f"{'total (CPU)':<12}{cpu:>10.2f}{mb / cpu:>10.2f}{t['docs'] / cpu:>12.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
