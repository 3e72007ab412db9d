"""Units after numbers: ``۳۶ مگاوات``, ``۳۱ درصدی``, ``۲۰%``, ``۱۲۰ کشور``.

The unit words and their canonical codes come from ``kg/resources/units.tsv``;
nouns counted without a unit word (``۵ هزار دانش‌آموز`` -> person) from
``counted_nouns.tsv``. Works on normalised text; offsets are normalised.

A unit must follow the number directly (spaces and ZWNJ only): scale words
(هزار, میلیون) are part of the number already. An adjectival suffix is
allowed and reported (``درصدی``, ``مگاواتی``, ``روزه``, ``ساله``): it tells
the quantities stage that ``۱۲ روزه`` modifies a noun (a duration).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.resources import load_table, split_multi
from kg.text.lexmatch import PhraseMatcher

# Adjectival/indefinite suffixes a unit may carry (درصدی, روزه, ساله‌ای), then a word boundary.
# adjectival (روزه, درصدی) or possessive ("۵ نفرشان": five of them) endings after a unit word
_UNIT_SUFFIX = re.compile(r"(ه[ \u200c]?ای|ه|\u200c?ای|ی|شان|مان|ش)?(?![\w\u200c])")
# Plural and indefinite suffixes of counted nouns (دانش‌آموزان, زائران, کشورها, موردی).
_NOUN_SUFFIX = re.compile(r"([ \u200c]?ها(?:ی)?|ان|یان|ی|\u200c?ای)?(?![\w\u200c])")  # ‌ای: "هیچ جان‌باخته‌ای"
_GAP = re.compile(r"[ \u200c]{0,3}")
_AZ = re.compile(r"[ \u200c]+از[ \u200c]+")  # "تن از" / "هیچ کدام از"


@dataclass(slots=True)
class UnitMatch:
    code: str  # canonical unit code (units.tsv / counted_nouns.tsv)
    start: int
    end: int
    text: str
    suffix: str = ""  # adjectival suffix: "ی" (درصدی), "ه" (روزه), ...
    kind: str = ""  # units.tsv kind (people, ratio, power, time, ...) or "noun" for counted nouns
    noun: bool = False  # True when the "unit" is a counted noun (کشور, دانش‌آموز)
    factor: float = 1.0  # one of the word in the code's unit ("همت": 10^12 toman)


@dataclass(slots=True)
class _UnitLexicon:
    units: PhraseMatcher[tuple[str, str, float]]  # (code, kind, factor)
    nouns: PhraseMatcher[str]  # code
    symbols: dict[str, str]
    ton_code: str | None  # the code of the ambiguous تن (ton vs. people)


@lru_cache(maxsize=1)
def _lexicon() -> _UnitLexicon:
    unit_rows = load_table("units")
    entries = []
    symbols: dict[str, str] = {}
    for row in unit_rows:
        for fa in split_multi(row["fa"]):
            if not any(c.isalpha() for c in fa):  # "%", "٪": signs, glued to the digits
                symbols[fa] = row["code"]
            else:
                entries.append((fa, (row["code"], row["kind"], float(row.get("factor") or 1))))
    nouns = [(fa, row["unit"]) for row in load_table("counted_nouns") for fa in split_multi(row["fa"])]
    return _UnitLexicon(
        units=PhraseMatcher(entries, boundary=False),
        nouns=PhraseMatcher(nouns, boundary=False),
        symbols=symbols,
        ton_code="ton" if any(r["code"] == "ton" for r in unit_rows) else None,
    )


def _skip_gap(text: str, pos: int) -> int:
    m = _GAP.match(text, pos)
    return m.end() if m else pos


def unit_after(text: str, pos: int) -> UnitMatch | None:
    """The unit word (or sign) right after a number ending at ``pos``, if any.

    ``تن`` is a ton unless people follow (``هزار تن از زائران``, ``۵۰ تن از``):
    then it counts persons.
    """
    lex = _lexicon()
    if pos < len(text) and text[pos] in lex.symbols:
        return UnitMatch(lex.symbols[text[pos]], pos, pos + 1, text[pos], kind="ratio")
    p = _skip_gap(text, pos)
    if p < len(text) and text[p] in lex.symbols and p - pos <= 1:
        return UnitMatch(lex.symbols[text[p]], p, p + 1, text[p], kind="ratio")
    m = lex.units.match_at(text, p)
    if m is None:
        return None
    suf = _UNIT_SUFFIX.match(text, m.end)
    if suf is None:
        return None  # "متر" in "مترو", "تن" in "تنها"
    code, kind, factor = m.payloads[0]
    end = suf.end()
    if code == lex.ton_code and _people_follow(text, end, lex):
        code, kind = "person", "people"
    return UnitMatch(code, m.start, end, text[m.start : end], suf.group(), kind, factor=factor)


def counted_noun_after(text: str, pos: int, *, after_az: bool = False) -> UnitMatch | None:
    """A counted noun right after ``pos`` (``۱۲۰ کشور``); with ``after_az`` also after ``از``
    (``هیچ کدام از اتباع``)."""
    lex = _lexicon()
    p = pos
    if after_az:
        az = _AZ.match(text, pos)
        if az is None:
            return None
        p = az.end()
    else:
        p = _skip_gap(text, pos)
    m = lex.nouns.match_at(text, p)
    if m is None:
        return None
    suf = _NOUN_SUFFIX.match(text, m.end)
    if suf is None:
        return None
    end = suf.end()
    return UnitMatch(m.payloads[0], m.start, end, text[m.start : end], suf.group(), "noun", True)


def _people_follow(text: str, pos: int, lex: _UnitLexicon) -> bool:
    if _AZ.match(text, pos):
        return True  # "۵۰ تن از ..." counts members of a group
    m = counted_noun_after(text, pos)
    return m is not None and m.code == "person"


def unit_codes() -> frozenset[str]:
    """Every canonical unit code (units.tsv and counted_nouns.tsv)."""
    return frozenset(r["code"] for r in load_table("units")) | frozenset(
        r["unit"] for r in load_table("counted_nouns")
    )
