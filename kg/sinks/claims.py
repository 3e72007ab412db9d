"""The claims table: `claims.jsonl`, `claims.csv`, and `consistency.jsonl` for totals.

One row per claim, with the keys DESIGN.md promises (document, value, unit,
approximate, direction, measure, speaker, speaker_iri, agency, agency_iri,
sentence, start, end) plus period, place, bounds, totals and provenance.
The CSV is UTF-8 with a byte-order mark so spreadsheet programs open Persian
text correctly; the JSONL is plain UTF-8.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from kg.document import Document
from kg.graph.iris import Iris

COLUMNS = [
    "document", "claim_iri", "value", "unit", "approximate", "lower", "upper", "direction", "measure",
    "period", "period_start", "period_end", "baseline", "place", "speaker", "speaker_iri", "agency",
    "agency_iri", "reported_by", "publisher", "date", "url", "sentence", "start", "end",
    "is_total", "total_of", "total_consistent", "evidence",
]


class _TextIris(Iris):
    """The IRIs as plain text: rows only need their text (no rdflib URIRef per cell)."""

    __slots__ = ()

    def _iri(self, *segments: str) -> str:  # type: ignore[override]
        return self.base + "/".join(segments)


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def claim_rows(doc: Document, base_iri: str) -> Iterator[dict]:
    iris = _TextIris(base_iri)
    publisher = doc.organizations.get(doc.publisher) if doc.publisher else None
    claim_ids = [str(iris.claim(doc.id, c.start, c.end)) for c in doc.claims]
    for c, cid in zip(doc.claims, claim_ids):
        person = doc.people.get(c.speaker) if c.speaker else None
        agency = doc.organizations.get(c.agency) if c.agency else None
        place = doc.places.get(c.place) if c.place else None
        yield {
            "document": doc.id,
            "claim_iri": cid,
            "value": _number(c.value),
            "unit": c.unit,
            "approximate": c.approximate,
            "lower": None if c.lower is None else _number(c.lower),
            "upper": None if c.upper is None else _number(c.upper),
            "direction": c.direction,
            "measure": c.measure,
            "period": c.period,
            "period_start": c.period_start,
            "period_end": c.period_end,
            "baseline": c.baseline,
            "place": place.name if place else None,
            "speaker": person.name if person else None,
            "speaker_iri": str(iris.person(person.key)) if person else None,
            "agency": agency.name if agency else None,
            "agency_iri": str(iris.org(agency.key, agency.gazetteer_id)) if agency else None,
            "reported_by": None if person else (publisher.name if publisher else "publisher"),
            "publisher": publisher.name if publisher else doc.metadata.publisher,
            "date": doc.metadata.date,
            "url": doc.metadata.url,
            "sentence": doc.text[c.sentence_start:c.sentence_end],
            "start": c.start,
            "end": c.end,
            "is_total": c.is_total,
            "total_of": [claim_ids[i] for i in c.total_of],
            "total_consistent": c.total_consistent,
            "evidence": [[s, e] for s, e in c.evidence],
        }


def consistency_rows(doc: Document, base_iri: str) -> Iterator[dict]:
    """One row per total: its parts, their sum, and whether they add up."""
    iris = _TextIris(base_iri)
    for c in doc.claims:
        if not c.is_total:
            continue
        parts = [doc.claims[i] for i in c.total_of]
        yield {
            "document": doc.id,
            "claim_iri": str(iris.claim(doc.id, c.start, c.end)),
            "total": _number(c.value),
            "unit": c.unit,
            "parts": [_number(p.value) for p in parts],
            "parts_sum": _number(sum(p.value for p in parts)) if parts else None,
            "consistent": c.total_consistent,
            "sentence": doc.text[c.sentence_start:c.sentence_end],
        }


def csv_row(row: dict) -> dict:
    """A claims row as spreadsheet cells (lists as JSON, formulas defused, None as empty)."""
    return {k: csv_cell(v) for k, v in row.items()}


def csv_cell(v):
    if isinstance(v, list):
        return json.dumps(v, ensure_ascii=False) if v else ""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@"):
        return "'" + v  # a cell starting with = would run as a formula in a spreadsheet
    if v is None:
        return ""
    return v
