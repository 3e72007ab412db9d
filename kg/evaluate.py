"""Score extraction against hand-made gold files (the seed's `.gold.json` format).

Claims: a predicted claim matches a gold claim with the same value and unit
(one-to-one, in text order); then speaker and agency are compared by
normalised name. Entities: people, organisations and places are compared as
sets of normalised names per document. Used by the tests (with floors) and by
`kg evaluate` for anyone who annotates their own articles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kg.document import Document
from kg.text.normalize import fold


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass(slots=True)
class ClaimReport:
    claims: Score = field(default_factory=Score)
    speaker_right: int = 0
    agency_right: int = 0
    matched: int = 0
    misses: list[str] = field(default_factory=list)  # human-readable, for debugging

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.matched if self.matched else 1.0

    @property
    def agency_accuracy(self) -> float:
        return self.agency_right / self.matched if self.matched else 1.0

    def add(self, other: "ClaimReport") -> None:
        self.claims.add(other.claims)
        self.speaker_right += other.speaker_right
        self.agency_right += other.agency_right
        self.matched += other.matched
        self.misses += other.misses


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b)) or (abs(b) < 100 and abs(round(a, 2) - round(b, 2)) < 0.01)


def _name(s: str | None) -> str:
    return fold(s) if s else ""


def score_claims(doc: Document, gold: dict) -> ClaimReport:
    rep = ClaimReport()
    predicted = []
    for c in doc.claims:
        person = doc.people.get(c.speaker) if c.speaker else None
        agency = doc.organizations.get(c.agency) if c.agency else None
        predicted.append((c, person.name if person else None, agency.name if agency else None))
    used: set[int] = set()
    for g in gold.get("claims", []):
        # the same value and unit; among several, the one by the gold speaker
        candidates = [i for i, (c, _, _) in enumerate(predicted)
                      if i not in used and c.unit == g["unit"] and _same_value(c.value, float(g["value"]))]
        hit = next((i for i in candidates if _name(predicted[i][1]) == _name(g.get("speaker"))),
                   candidates[0] if candidates else None)
        if hit is None:
            rep.claims.fn += 1
            rep.misses.append(f"{doc.id}: missed {g['value']} {g['unit']} ({g.get('measure')})")
            continue
        used.add(hit)
        rep.claims.tp += 1
        rep.matched += 1
        c, speaker, agency = predicted[hit]
        if _name(speaker) == _name(g.get("speaker")):
            rep.speaker_right += 1
        else:
            rep.misses.append(f"{doc.id}: {g['value']} {g['unit']} speaker {speaker!r}, gold {g.get('speaker')!r}")
        if _agency_key(agency) == _agency_key(g.get("agency")):
            rep.agency_right += 1
        else:
            rep.misses.append(f"{doc.id}: {g['value']} {g['unit']} agency {agency!r}, gold {g.get('agency')!r}")
    for i, (c, speaker, _) in enumerate(predicted):
        if i not in used:
            rep.claims.fp += 1
            rep.misses.append(f"{doc.id}: extra {c.value:g} {c.unit} ({c.measure}) by {speaker}")
    return rep


def _agency_key(name: str | None) -> str:
    """Names of one body compare equal: "دادسرای … مرکز استان زنجان" is "دادسرای … زنجان"."""
    if not name:
        return ""
    from kg.entities.gazetteer import shared_gazetteer

    gaz = shared_gazetteer()
    hits = gaz.organizations.lookup(name)
    if hits:  # an alias of a national body ("شرکت توانیر")
        return _name(hits[0].fa)
    name = name.replace("فرمانداری شهرستان ", "فرمانداری ").replace("بخشداری بخش ", "بخشداری ")
    name = name.replace("دادگستری کل ", "دادگستری ")  # "دادگستری کل استان همدان" is "دادگستری استان همدان"
    words = name.split()
    # "سازمان آب و برق استان خوزستان" is "سازمان آب و برق خوزستان"
    words = [w for i, w in enumerate(words)
             if not (w == "استان" and 0 < i < len(words) - 1 and words[i - 1] != "مرکز"
                     and any(e.kind == "province" for e in gaz.places.lookup(" ".join(words[i + 1:]))))]
    for i in range(len(words) - 2):
        if words[i] == "مرکز" and words[i + 1] == "استان":
            hit = gaz.places.lookup(" ".join(words[i + 2:]))
            capital = gaz.province_capitals.get(hit[0].id) if hit else None
            if capital is not None:
                words = words[:i] + [capital.fa]
            break
    return _name(" ".join(words))


def _canonical_org(name: str) -> str:
    """Gazetteer names stand for their aliases ("گمرک ایران" = "گمرک جمهوری اسلامی ایران")."""
    from kg.entities.gazetteer import shared_gazetteer

    gaz = shared_gazetteer()
    hits = gaz.organizations.lookup(name) or gaz.news_agencies.lookup(name)
    return _name(hits[0].fa) if hits else _agency_key(name)


def _canonical_place(name: str) -> str:
    from kg.entities.gazetteer import shared_gazetteer

    for prefix in ("استان ", "شهرستان ", "شهر "):
        name = name.removeprefix(prefix).strip()
    hits = shared_gazetteer().places.lookup(name)
    return _name(hits[0].fa if hits else name)


def score_entities(doc: Document, gold: dict) -> dict[str, Score]:
    """Per-type set comparison of normalised names: PER, ORG, LOC."""
    out: dict[str, Score] = {}
    pred = {
        "PER": {_name(p.name) for p in doc.people.values()},
        "ORG": {_canonical_org(o.name) for o in doc.organizations.values()},
        # places the article names (a city's province is added for the hierarchy, without a span)
        "LOC": {_canonical_place(p.name) for p in doc.places.values() if p.spans},
    }
    want = {
        "PER": {_name(p["name"]) for p in gold.get("people", [])},
        "ORG": {_canonical_org(o["name"]) for o in gold.get("organizations", [])},
        "LOC": {_canonical_place(p["name"]) for p in gold.get("places", [])},
    }
    for t in pred:
        s = Score()
        s.tp = len(pred[t] & want[t])
        s.fp = len(pred[t] - want[t])
        s.fn = len(want[t] - pred[t])
        out[t] = s
    return out


def measure_overlaps(predicted: str | None, gold: str | None) -> bool:
    """Do two measure phrases share a content word? (Gold measures are paraphrases.)"""
    from kg.claims.extract import content_words

    return bool(content_words(predicted) & content_words(gold))
