"""Persian numbers: digits, words, and their mixtures (kg.text.numbers)."""

from __future__ import annotations

import pytest

from kg.resources import load_table
from kg.text.normalize import normalize
from kg.text.numbers import find_numbers, parse_number

WHOLE = [
    # (phrase, value) — the whole phrase is one number
    ("۱۸ هزار و ۷۰۰", 18700),
    ("یک میلیون و 739 هزار و 4", 1739004),
    ("هفت هزار میلیارد", 7e12),
    ("دو میلیارد و هفتصد میلیون", 2.7e9),
    ("21 و 2 دهم", 21.2),
    ("یک و نیم", 1.5),
    ("نیم", 0.5),
    ("یک سوم", 1 / 3),
    ("سه چهارم", 0.75),
    ("دو برابر", 2),
    ("صد", 100),
    ("یکصد", 100),
    ("هفتصد", 700),
    ("هفت صد", 700),
    ("هفت\u200cصد", 700),
    ("سیصد و بیست هزار", 320000),
    ("بیست و پنج", 25),
    ("دوازده", 12),
    ("هزار و سیصد", 1300),
    ("هزار", 1000),
    ("۲۳۰ هزار", 230000),
    ("2 هزار", 2000),
    ("1,250", 1250),
    ("1،250", 1250),
    ("۱٬۲۵۰٬۰۰۰", 1250000),
    ("3.5", 3.5),
    ("۳٫۵ میلیون", 3.5e6),
    ("26/3", 26.3),
    ("یک و نیم میلیون", 1.5e6),
    ("دو میلیون و نیم", 2.5e6),
    ("500 میلیارد", 5e11),
    ("صد و 20", 120),
    ("چهارصد و پنج", 405),
    ("بیست و پنج صدم", 0.25),
    ("یک هزار و یک صدم", 1000.01),
    ("سه و چهارده هزار و یکصد و پنجاه و نه صد هزارم", 3.14159),
    ("هشتصد و شصت و دو دهم", 860.2),
    ("صفر", 0),
    ("سومین", 3),
    ("بیست و یکم", 21),
    ("12ام", 12),
    ("دویستمین", 200),
    ("پونصد", 500),
    ("ده هزار", 10000),
    ("هزار و ۸۵۰ میلیارد", 1.85e12),  # a larger scale after "و" multiplies what precedes
    ("سه هزار و دویست میلیارد", 3.2e12),
]


@pytest.mark.parametrize("phrase,value", WHOLE)
def test_parse_number(phrase, value):
    got = parse_number(phrase)
    assert got == pytest.approx(value)


NOT_ONE_NUMBER = [
    "5 نفر و 12 نفر",
    "10 و 20",
    "1403/05/24",
    "پایان پیام/ 268",
    "هیچ وقت",
    "سه شنبه",
    "صدها",
    "میلیون ها",
    "",
    "سلام",
]


@pytest.mark.parametrize("phrase", NOT_ONE_NUMBER)
def test_not_one_number(phrase):
    assert parse_number(phrase) is None


def _found(text: str) -> list[tuple[str, float]]:
    t = normalize(text).text
    return [(n.text, n.value) for n in find_numbers(t)]


FIND = [
    ("۵ نفر و ۱۲ نفر", [("5", 5), ("12", 12)]),
    ("بین 10 و 20 درصد", [("10", 10), ("20", 20)]),
    ("در تاریخ 1403/05/24 اعلام شد", [("1403", 1403), ("05", 5), ("24", 24)]),
    ("پایان پیام/ 268", [("268", 268)]),
    ("رشد 20درصدی", [("20", 20)]),
    ("در 8استان کشور", [("8", 8)]),
    ("هیچ کدام از اتباع", [("هیچ کدام", 0)]),
    ("هیچ موردی گزارش نشد", [("هیچ", 0)]),
    ("به هیچ وجه", []),
    ("هیچ\u200cیک از آنها", [("هیچ\u200cیک", 0)]),
    ("سه شنبه گذشته 3 نفر", [("3", 3)]),
    ("صدها نفر و میلیون ها تومان", []),
    ("۲۷ مرداد ۱۴۰۴", [("27", 27), ("1404", 1404)]),
    ("رقم 10،20 و 30", [("10", 10), ("20", 20), ("30", 30)]),
    ("سومین مرحله از 12 مرحله", [("سومین", 3), ("12", 12)]),
    ("قیمت 1.250.000 ریال", [("1.250.000", 1250000)]),
    ("سال 1404.", [("1404", 1404)]),
    # number words written joined to their scale
    ("یکهزار و ۸۰ میلیارد ریال", [("یکهزار و 80 میلیارد", 1_080_000_000_000)]),
    ("یک‌هزار و ۲۵۰ نفر", [("یک‌هزار و 250", 1250)]),
    ("پانصدهزار تومان", [("پانصدهزار", 500_000)]),
    ("سه‌میلیون نفر", [("سه‌میلیون", 3_000_000)]),
    ("یکهزارم ثانیه", []),
    # a compound ordinal is one ordinal, not 20 and an ordinal
    ("بیست و یکمین مرحله", [("بیست و یکمین", 21)]),
    # zero counts a counted noun, not an effort, a rule or a promise
    ("هیچ بیماری اعزام نشد", [("هیچ", 0)]),
    ("هیچ پرونده‌ای معطل نماند", [("هیچ", 0)]),
    ("هیچ تلاشی دریغ نمی‌کنیم", []),
    ("هیچ کشاورزی نباید معطل بماند", []),
    ("هیچ تماسی بی‌پاسخ نمی‌ماند", []),
]


@pytest.mark.parametrize("text,expected", FIND)
def test_find_numbers(text, expected):
    assert _found(text) == [(t, pytest.approx(v)) for t, v in expected]


def test_ordinal_and_multiplier_kinds():
    t = normalize("دومین بار درآمد دو برابر شد").text
    kinds = [(n.text, n.kind) for n in find_numbers(t)]
    assert kinds == [("دومین", "ordinal"), ("دو برابر", "multiplier")]
    mult = find_numbers(t)[1]
    assert t[mult.start : mult.multiplier_end].endswith("برابر")


def test_scale_of_one_group_number():
    t = normalize("۷ هزار و ۱۸ هزار و ۵۰۰").text
    first, second = find_numbers(t)
    assert first.scale == 1000 and first.value == 7000
    assert second.scale == 1


def test_is_word_flag():
    t = normalize("۲۳۰ هزار و بیست و ۱۲۰").text
    spans = find_numbers(t)
    assert all(n.is_word for n in spans[:1])
    assert not find_numbers("120")[0].is_word


@pytest.mark.parametrize("name", ["numbers", "ordinals"])
def test_lexicons_load(name):
    rows = load_table(name)
    assert rows and all(float(r["value"]) >= 0 for r in rows)
