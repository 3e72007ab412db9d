"""Dates, clock times and periods (kg.text.dates)."""

from __future__ import annotations

from datetime import date

import pytest

from kg.resources import load_table
from kg.text.dates import find_dates, find_periods, jalali_to_gregorian, parse_pub_stamp
from kg.text.normalize import normalize

REF = date(2025, 8, 18)  # Monday 27 Mordad 1404


def _dates(text: str, ref: date | None = REF) -> list[tuple[str, str, str | None]]:
    t = normalize(text).text
    return [(d.text, d.kind, (d.date.isoformat() if d.date else d.time)) for d in find_dates(t, ref)]


DATES = [
    ("۲۷ مرداد ۱۴۰۴", [("27 مرداد 1404", "date", "2025-08-18")]),
    ("دوشنبه ۲۷ مرداد ۱۴۰۴", [("دوشنبه 27 مرداد 1404", "date", "2025-08-18")]),
    ("دوشنبه، ۲۷ مرداد ماه ۱۴۰۴", [("دوشنبه، 27 مرداد ماه 1404", "date", "2025-08-18")]),
    ("1403/05/24", [("1403/05/24", "date", "2024-08-14")]),
    ("1403-05-24", [("1403-05-24", "date", "2024-08-14")]),
    ("24/05/1403", [("24/05/1403", "date", "2024-08-14")]),
    ("31-06-1401", [("31-06-1401", "date", "2022-09-22")]),
    ("2025-08-18", [("2025-08-18", "date", "2025-08-18")]),
    ("۲۴ خرداد ماه", [("24 خرداد ماه", "date", "2025-06-14")]),
    ("۱۰ اسفند", [("10 اسفند", "date", "2025-02-28")]),  # six months on would be the future: last year
    ("اول مهر ۱۴۰۳", [("اول مهر 1403", "date", "2024-09-22")]),
    ("بیست و پنجم بهمن 1402", [("بیست و پنجم بهمن 1402", "date", "2024-02-14")]),
    ("۱۸ اوت ۲۰۲۵", [("18 اوت 2025", "date", "2025-08-18")]),
    ("1 محرم 1447", [("1 محرم 1447", "date", None)]),  # lunar Hijri: found, not converted
    ("امروز", [("امروز", "relative", "2025-08-18")]),
    ("دیروز", [("دیروز", "relative", "2025-08-17")]),
    ("فردا", [("فردا", "relative", "2025-08-19")]),
    ("روز شنبه", [("شنبه", "weekday", "2025-08-16")]),
    ("سه شنبه", [("سه شنبه", "weekday", "2025-08-12")]),
    ("ساعت 10", [("ساعت 10", "time", "10:00")]),
    ("ساعت ۱۰ صبح", [("ساعت 10 صبح", "time", "10:00")]),
    ("ساعت ۸ شب", [("ساعت 8 شب", "time", "20:00")]),
    ("ساعت 8:30 عصر", [("ساعت 8:30 عصر", "time", "20:30")]),
    ("13:39", [("13:39", "time", "13:39")]),
    ("10 می شود", []),  # a verb, not May
    ("1403/13/40", []),  # no such date
    ("30 اسفند 1404", []),  # 1404 is not a leap year
    ("30 اسفند 1403", [("30 اسفند 1403", "date", "2025-03-20")]),
    ("3.5 درصد", []),
]


@pytest.mark.parametrize("text,expected", DATES)
def test_find_dates(text, expected):
    assert _dates(text) == expected


def test_dates_without_reference_stay_unresolved():
    assert _dates("دیروز", None) == [("دیروز", "relative", None)]
    assert _dates("۲۴ خرداد", None) == [("24 خرداد", "date", None)]


def _periods(text: str, ref: date | None = REF):
    t = normalize(text).text
    return [
        (p.text, p.period.kind, p.period.start_jalali, p.period.end_jalali,
         (p.period.baseline.start_jalali, p.period.baseline.end_jalali) if p.period.baseline else None)
        for p in find_periods(t, ref)
    ]


PERIODS = [
    ("سال جاری", [("سال جاری", "year", "1404-01-01", "1404-12-29", None)]),
    ("امسال", [("امسال", "year", "1404-01-01", "1404-12-29", None)]),
    ("سال گذشته", [("سال گذشته", "year", "1403-01-01", "1403-12-30", None)]),
    ("در سال ۱۴۰۴", [("سال 1404", "year", "1404-01-01", "1404-12-29", None)]),
    ("در سال 1402", [("سال 1402", "year", "1402-01-01", "1402-12-29", None)]),
    ("سال 2024", [("سال 2024", "year", "1402-10-11", "1403-10-11", None)]),
    ("شش ماهه نخست امسال", [("شش ماهه نخست امسال", "months_from_start", "1404-01-01", "1404-06-31", None)]),
    ("سه ماهه اول سال 1403", [("سه ماهه اول سال 1403", "months_from_start", "1403-01-01", "1403-03-31", None)]),
    ("نیمه دوم سال", [("نیمه دوم سال", "months_to_end", "1404-07-01", "1404-12-29", None)]),
    ("از ابتدای سال جاری", [("از ابتدای سال جاری", "year_to_date", "1404-01-01", "1404-05-27", None)]),
    ("ماه گذشته", [("ماه گذشته", "month", "1404-04-01", "1404-04-31", None)]),
    ("مرداد ماه", [("مرداد ماه", "month", "1404-05-01", "1404-05-31", None)]),
    ("مرداد 1403", [("مرداد 1403", "month", "1403-05-01", "1403-05-31", None)]),
    ("تیر ماه سال گذشته", [("تیر ماه سال گذشته", "month", "1403-04-01", "1403-04-31", None)]),
    ("هفته گذشته", [("هفته گذشته", "week", "1404-05-18", "1404-05-24", None)]),
    ("تیر", []),  # a bare month name (also "arrow") is not a period
    (
        "در چهار ماهه ابتدای سال جاری نسبت به سال گذشته",
        [
            ("چهار ماهه ابتدای سال جاری", "months_from_start", "1404-01-01", "1404-04-31", ("1403-01-01", "1403-04-31")),
            ("نسبت به سال گذشته", "baseline", "1403-01-01", "1403-04-31", None),
        ],
    ),
    (
        "شش ماهه نخست امسال نسبت به مدت مشابه سال قبل",
        [
            ("شش ماهه نخست امسال", "months_from_start", "1404-01-01", "1404-06-31", ("1403-01-01", "1403-06-31")),
            ("نسبت به مدت مشابه سال قبل", "baseline", "1403-01-01", "1403-06-31", None),
        ],
    ),
    ("نسبت به سال گذشته", [("نسبت به سال گذشته", "baseline", "1403-01-01", "1403-12-30", None)]),
]


@pytest.mark.parametrize("text,expected", PERIODS)
def test_find_periods(text, expected):
    assert _periods(text) == expected


def test_baseline_not_attached_across_sentences():
    spans = _periods("در سال جاری رشد داشتیم. نسبت به سال گذشته")
    assert spans[0][4] is None


def test_absolute_periods_need_no_reference():
    assert _periods("سال ۱۴۰۴", None) == [("سال 1404", "year", "1404-01-01", "1404-12-29", None)]
    assert _periods("سال جاری", None) == []


@pytest.mark.parametrize(
    "jalali,gregorian",
    [((1404, 5, 27), date(2025, 8, 18)), ((1403, 1, 1), date(2024, 3, 20)), ((1403, 12, 30), date(2025, 3, 20)),
     ((1401, 6, 31), date(2022, 9, 22))],
)
def test_jalali_to_gregorian(jalali, gregorian):
    assert jalali_to_gregorian(*jalali) == gregorian


STAMPS = [
    ("تاریخ انتشار: 13:39 - 31-06-1401", date(2022, 9, 22)),
    ("۱۴۰۱/۰۶/۳۱ - ۱۳:۳۹", date(2022, 9, 22)),
    ("13:39 | 1401/06/31", date(2022, 9, 22)),
    ("تاریخ انتشار: ۲۷ مرداد ۱۴۰۴", date(2025, 8, 18)),
    ("کد خبر: 859101", None),
    ("در سال 1401 رشد کرد", None),
]


@pytest.mark.parametrize("text,expected", STAMPS)
def test_parse_pub_stamp(text, expected):
    assert parse_pub_stamp(text) == expected


@pytest.mark.parametrize("name", ["months", "weekdays", "periods"])
def test_date_lexicons_load(name):
    assert load_table(name)
