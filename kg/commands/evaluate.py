"""`kg evaluate ARTICLE...`: score the extraction against hand-made gold files.

For annotators and for anyone changing the rules: every article `X.txt` with a
`X.gold.json` beside it (the seed's format, see tests/data/heldout) is run
through the pipeline and scored by `kg.evaluate`: claims (precision, recall,
speaker and agency accuracy) and entities (people, organisations, places).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kg.commands import add_ner_options
from kg.errors import EXIT_ERROR, InputError

GOLD_SUFFIX = ".gold.json"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "evaluate",
        help="score claims and entities against hand-made gold files (X.gold.json beside X.txt)",
        description="Run the pipeline on articles that have a gold file beside them (X.txt and X.gold.json; "
        "a folder means every such pair in it) and print, per article and in total, claim precision and "
        "recall, speaker and agency accuracy, and entity precision and recall. --misses lists what went wrong.",
    )
    p.add_argument("inputs", nargs="+", type=Path, metavar="ARTICLE", help="article files or folders")
    add_ner_options(p, default="rules")
    p.add_argument("--misses", action="store_true", help="list every missed, extra or misattributed claim")
    p.add_argument("--format", choices=["table", "json"], default="table", help="output format (default: table)")
    p.add_argument("--fail-under", type=float, metavar="F1",
                   help="exit 1 when the claims' F1 over all articles is below this (0-1)")
    p.set_defaults(func=run)


def gold_pairs(inputs: list[Path]) -> list[tuple[Path, Path]]:
    """(article, gold file) for every article given or found in a folder that has a gold file beside it."""
    pairs: list[tuple[Path, Path]] = []
    for path in inputs:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.txt") if _gold(p).is_file())
            if not found:
                raise InputError(f"{path}: no article with a {GOLD_SUFFIX} file beside it")
            pairs += [(p, _gold(p)) for p in found]
        elif path.is_file():
            if not _gold(path).is_file():
                raise InputError(f"{path}: no gold file {_gold(path).name} beside it")
            pairs.append((path, _gold(path)))
        else:
            raise InputError(f"{path}: no such file or folder")
    return pairs


def _gold(article: Path) -> Path:
    return article.with_name(article.stem + GOLD_SUFFIX)


def _load_gold(path: Path) -> dict:
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable gold file ({exc})") from None
    if not isinstance(gold, dict) or not isinstance(gold.get("claims", []), list):
        raise InputError(f"{path}: a gold file is a JSON object with a 'claims' list")
    for i, claim in enumerate(gold.get("claims", [])):
        if not isinstance(claim, dict) or "value" not in claim or "unit" not in claim:
            raise InputError(f"{path}: claim {i + 1} needs a 'value' and a 'unit'")
    return gold


def run(args: argparse.Namespace) -> int:
    from kg.evaluate import ClaimReport, Score, score_claims, score_entities
    from kg.pipeline import Config, Pipeline
    from kg.readers import ReadError, read_documents

    pairs = gold_pairs(args.inputs)
    golds = [_load_gold(g) for _, g in pairs]
    pipeline = Pipeline(Config(ner=args.ner, stanza_dir=args.stanza_dir, stanza_ner_model=args.stanza_ner_model))
    total, entities = ClaimReport(), {t: Score() for t in ("PER", "ORG", "LOC")}
    rows = []
    for (article, _), gold in zip(pairs, golds):
        errors: list[ReadError] = []
        docs = list(read_documents([article], errors))
        if errors or len(docs) != 1:
            reason = errors[0].reason if errors else "expected one article"
            raise InputError(f"{article}: {reason}")
        doc = pipeline(docs[0])
        rep = score_claims(doc, gold)
        ents = score_entities(doc, gold)
        total.add(rep)
        for t, s in ents.items():
            entities[t].add(s)
        rows.append((article.name, rep, ents))

    if args.format == "json":
        print(json.dumps({"articles": [_json(name, rep, ents) for name, rep, ents in rows],
                          "total": _json("total", total, entities)}, ensure_ascii=False, indent=1))
    else:
        print("| article | claims | P | R | F1 | speaker | agency | PER F1 | ORG F1 | LOC F1 |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, rep, ents in [*rows, ("**total**", total, entities)]:
            c = rep.claims
            print(f"| {name} | {c.tp + c.fn} | {c.precision:.2f} | {c.recall:.2f} | {c.f1:.2f} | "
                  f"{rep.speaker_accuracy:.2f} | {rep.agency_accuracy:.2f} | "
                  f"{ents['PER'].f1:.2f} | {ents['ORG'].f1:.2f} | {ents['LOC'].f1:.2f} |")
        if args.misses and total.misses:
            print()
            for line in total.misses:
                print(f"- {line}")
    if args.fail_under is not None and total.claims.f1 < args.fail_under:
        print(f"kg: claims F1 {total.claims.f1:.3f} is below {args.fail_under}", file=sys.stderr)
        return EXIT_ERROR
    return 0


def _json(name: str, rep, ents) -> dict:
    def score(s) -> dict:
        return {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": round(s.precision, 4),
                "recall": round(s.recall, 4), "f1": round(s.f1, 4)}

    return {"article": name, "claims": score(rep.claims), "speaker_accuracy": round(rep.speaker_accuracy, 4),
            "agency_accuracy": round(rep.agency_accuracy, 4), "entities": {t: score(s) for t, s in ents.items()},
            "misses": rep.misses}
