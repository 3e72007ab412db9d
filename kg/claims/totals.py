"""Totals: `در مجموع ۳۱ هزار و ۶۷۳ نفر` and the parts it sums.

A claim marked as a total looks back at the statistics stated just before it
by the same speaker in the same unit; the closest set of them that adds up
becomes its parts (18,700 + 12,973 = 31,673). When none adds up, the nearby
candidates are linked anyway and the total is flagged inconsistent, so a
fact-checker sees the mismatch (`consistency.jsonl` and the graph).
"""

from __future__ import annotations

from itertools import combinations

from kg.document import Claim, Document

MAX_PARTS = 6
REL_TOL_APPROX = 0.02  # parts stated "about" may be rounded


def _adds_up(total: Claim, parts: list[Claim]) -> bool:
    s = sum(p.value for p in parts)
    if any(p.approximate for p in parts) or total.approximate:
        return abs(s - total.value) <= REL_TOL_APPROX * max(abs(total.value), 1)
    return abs(s - total.value) < 1e-6 * max(abs(total.value), 1)


def link_totals(claims: list[Claim], doc: Document) -> None:
    for ti, total in enumerate(claims):
        if not total.is_total:
            continue
        cands = [i for i in range(ti - 1, -1, -1)
                 if claims[i].unit == total.unit and claims[i].speaker == total.speaker
                 and not claims[i].is_total and claims[i].direction == total.direction
                 and claims[i].value < total.value][:MAX_PARTS]
        found: tuple[int, ...] | None = None
        for k in range(2, len(cands) + 1):
            # fewest parts first, then the closest ones
            for combo in combinations(cands, k):
                if _adds_up(total, [claims[i] for i in combo]):
                    found = combo
                    break
            if found:
                break
        if found:
            total.total_of = sorted(found)
            total.total_consistent = True
        elif len(cands) >= 2:
            para = doc.sentence_at(total.start)
            near = [i for i in cands if para is None or
                    (doc.sentence_at(claims[i].start) or para).paragraph == para.paragraph]
            if len(near) >= 2:
                total.total_of = sorted(near)
                total.total_consistent = False
