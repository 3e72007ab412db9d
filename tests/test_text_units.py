"""Units after numbers (kg.text.units)."""

from __future__ import annotations

import pytest

from kg.resources import load_table
from kg.text.normalize import normalize
from kg.text.units import counted_noun_after, unit_after, unit_codes


def _unit(text: str) -> tuple[str, str, str] | None:
    """Unit after the first number in ``text``: (code, surface, suffix)."""
    t = normalize(text).text
    pos = t.index("#")
    t = t.replace("#", "", 1)
    u = unit_after(t, pos)
    return (u.code, u.text, u.suffix) if u else None


CASES = [
    ("36# مگاوات", ("MW", "مگاوات", "")),
    ("36# مگاواتی", ("MW", "مگاواتی", "ی")),
    ("31# درصد", ("percent", "درصد", "")),
    ("31# درصدی", ("percent", "درصدی", "ی")),
    ("20#درصدی", ("percent", "درصدی", "ی")),
    ("20#%", ("percent", "%", "")),
    ("20#٪", ("percent", "٪", "")),
    ("5# کیلووات ساعت", ("kWh", "کیلووات ساعت", "")),
    ("5# مگاوات ساعت برق", ("MWh", "مگاوات ساعت", "")),
    ("10# کیلومتر", ("km", "کیلومتر", "")),
    ("10# متر مربع", ("square_meter", "متر مربع", "")),
    ("10# مترمکعب", ("cubic_meter", "مترمکعب", "")),
    ("500 میلیارد# ریال", ("rial", "ریال", "")),
    ("3# میلیون تومان", None),  # the scale is part of the number, not a unit
    ("3 میلیون# تومان", ("toman", "تومان", "")),
    ("500# تن گندم", ("ton", "تن", "")),
    ("هزار# تن از زائران", ("person", "تن", "")),
    ("50# تن از دانش‌آموزان", ("person", "تن", "")),
    ("12# روزه", ("day", "روزه", "ه")),
    ("چهار# ماهه", ("month", "ماهه", "ه")),
    ("10# ساله", ("year", "ساله", "ه")),
    ("24# ساعته", ("hour", "ساعته", "ه")),
    ("120# کشور", ("country", "کشور", "")),
    ("هیچ# موردی", ("count", "موردی", "ی")),
    ("5# نفر", ("person", "نفر", "")),
    ("200# هکتار", ("hectare", "هکتار", "")),
    ("10# مترو", None),  # not متر
    ("10# تنها", None),  # not تن
    ("10# نفرات", None),
    ("10# دلار", ("dollar", "دلار", "")),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_unit_after(text, expected):
    assert _unit(text) == expected


NOUNS = [
    ("120# کشور", "country", "کشور"),
    ("5 هزار# دانش‌آموز", "person", "دانش‌آموز"),
    ("300# زائر", "person", "زائر"),
    ("40# خانوار", "household", "خانوار"),
    ("12# روستا", "village", "روستا"),
    ("8# استان", "count", "استان"),
    ("8#استان", "count", "استان"),
    ("200# دانش آموزان", "person", "دانش آموزان"),
    ("هیچ# کشوری", "country", "کشوری"),
]


@pytest.mark.parametrize("text,code,surface", NOUNS)
def test_counted_noun_after(text, code, surface):
    t = normalize(text).text
    pos = t.index("#")
    u = counted_noun_after(t.replace("#", "", 1), pos)
    assert u is not None and (u.code, u.text) == (code, surface)


@pytest.mark.parametrize("text", ["10# کشورداری", "10# مدارس", "10# کسب", "10# برابر"])
def test_no_counted_noun(text):
    t = normalize(text).text
    pos = t.index("#")
    assert counted_noun_after(t.replace("#", "", 1), pos) is None


def test_counted_noun_after_az():
    t = normalize("هیچ کدام از اتباع خارجی").text
    u = counted_noun_after(t, len("هیچ کدام"), after_az=True)
    assert u is not None and u.code == "person" and u.text == "اتباع"
    assert counted_noun_after(t, len("هیچ کدام")) is None


def test_unit_codes_cover_the_documented_list():
    documented = {"person", "percent", "MW", "kW", "GW", "MWh", "kWh", "ton", "kg", "gram", "hectare", "km",
                  "meter", "square_meter", "cubic_meter", "liter", "barrel", "rial", "toman", "dollar", "euro",
                  "country", "household", "village", "count", "year", "month", "day", "hour"}
    assert documented <= unit_codes()


@pytest.mark.parametrize("name", ["units", "counted_nouns"])
def test_unit_lexicons_load(name):
    rows = load_table(name)
    col = "code" if name == "units" else "unit"
    assert rows and all(r["fa"] and r[col] for r in rows)
