"""Claims on the hand-written gold set (tests/data/articles/gen-*): recall, precision, speakers.

The floors are the acceptance bar of the claims issue; the per-article test
shows which article regressed.
"""

from __future__ import annotations

import pytest

from conftest import FRESH, FRESH2, FRESH3, FRESH4, FRESH5, FRESH6, FRESH7, FRESH8, HELDOUT, gold_articles, load_gold
from kg.evaluate import ClaimReport, measure_overlaps, score_claims

ARTICLES = [p for p in gold_articles() if p.name.startswith("gen-")]
SECOND_SET = gold_articles(HELDOUT)


def test_gold_set_is_big_enough():
    assert len(ARTICLES) >= 15


@pytest.fixture(scope="module")
def report(process) -> ClaimReport:
    total = ClaimReport()
    for path in ARTICLES:
        total.add(score_claims(process(path), load_gold(path)))
    return total


def test_claim_recall_precision_and_speaker_accuracy(report):
    s = report.claims
    summary = (f"P={s.precision:.3f} R={s.recall:.3f} speaker={report.speaker_accuracy:.3f} "
               f"agency={report.agency_accuracy:.3f}\n" + "\n".join(report.misses[:60]))
    assert s.recall >= 0.9, summary
    assert s.precision >= 0.9, summary
    assert report.speaker_accuracy >= 0.95, summary


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_article_has_no_gross_failure(process, path):
    rep = score_claims(process(path), load_gold(path))
    # each article on its own: most claims found, and found claims mostly with the right speaker
    assert rep.claims.recall >= 0.6, rep.misses
    assert rep.speaker_accuracy >= 0.75, rep.misses


def test_measures_name_what_is_counted(process):
    """Gold measures are paraphrases: a found claim's measure shares a content word with the gold one."""
    hit = total = 0
    for path in ARTICLES:
        doc = process(path)
        for g in load_gold(path)["claims"]:
            same = [c for c in doc.claims if c.unit == g["unit"] and abs(c.value - g["value"]) <= 0.01 + 1e-6 * abs(g["value"])]
            if same:
                total += 1
                hit += any(measure_overlaps(c.measure, g["measure"]) for c in same)
    assert hit / total >= 0.8, f"{hit}/{total}"


def test_second_gold_set_in_other_styles(process):
    """Interviews, press releases with bullet lists, closed «» quotes followed by the reporter's
    background, alternating officials: written apart from the rules, same bar."""
    assert len(SECOND_SET) >= 12
    total = ClaimReport()
    for path in SECOND_SET:
        total.add(score_claims(process(path), load_gold(path)))
    s = total.claims
    summary = f"P={s.precision:.3f} R={s.recall:.3f} speaker={total.speaker_accuracy:.3f}\n" + "\n".join(total.misses)
    assert s.recall >= 0.9 and s.precision >= 0.9, summary
    assert total.speaker_accuracy >= 0.95, summary


@pytest.mark.parametrize("folder,min_precision,min_agency",
                         [(FRESH, 0.95, 0.95), (FRESH2, 0.95, 0.9), (FRESH3, 0.88, 0.95), (FRESH4, 0.92, 0.9),
                          (FRESH5, 0.92, 0.95), (FRESH6, 0.95, 0.8), (FRESH7, 0.95, 0.95), (FRESH8, 0.95, 0.9)],
                         ids=["fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8"])
def test_sets_written_without_the_code(process, folder, min_precision, min_agency):
    """12 articles each by annotators who had not read the rules. fresh: police, floods, ports, an
    interview in Arabic ی/ک, customs, utilities, an MP, welfare bullets, municipality, education,
    agriculture; scored before any change P 0.90, R 0.96, speaker 0.90, agency 0.84. fresh2:
    environment, railways, heritage, a prosecutor, oil, fire service, social security, a Q&A, a
    flood, fisheries; scored after the fixes to the first P 0.89, R 0.94, speaker 0.99, agency 0.78.
    fresh3: 9 long pages with leads, bylines, related headlines and tags; first run P 0.79, R 0.95,
    speaker 0.98, agency 0.93 (its precision is held lower: thresholds and restatements it has).
    fresh4: the seed's style, Arbaeen, traffic police, housing, air pollution, electricity, customs,
    education, metro; first run P 0.90, R 0.96, speaker 1.00, agency 0.60. fresh5: a Q&A press
    conference, namesakes, the judiciary, a seed-style session, sport, Hajj, an earthquake, a river;
    first run P 0.91, R 0.97, speaker 0.82, agency 0.73. fresh6 (6 articles): first run P 0.91,
    R 0.96, speaker 0.97, agency 0.79. fresh7 (6): first run P 0.96, R 0.98, speaker 0.98, agency 0.84.
    fresh8 (6): first run P 0.94, R 0.97, speaker 0.92, agency 0.79."""
    paths = gold_articles(folder)
    assert len(paths) >= 6
    total = ClaimReport()
    for path in paths:
        total.add(score_claims(process(path), load_gold(path)))
    s = total.claims
    summary = (f"P={s.precision:.3f} R={s.recall:.3f} speaker={total.speaker_accuracy:.3f} "
               f"agency={total.agency_accuracy:.3f}\n" + "\n".join(total.misses))
    assert s.recall >= 0.95 and s.precision >= min_precision, summary
    assert total.speaker_accuracy >= 0.95 and total.agency_accuracy >= min_agency, summary
