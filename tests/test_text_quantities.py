"""The quantities stage: every number, classified, with unit, hedges and direction."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kg.document import Document, Metadata
from kg.pipeline import Config, Context
from kg.resources import load_table
from kg.text.normalize import normalize
from kg.text.quantities import extract_quantities, quantities

REF = date(2025, 8, 18)
ARTICLES = Path(__file__).parent / "data" / "articles"


def _q(text: str, ref: date | None = REF) -> list[tuple]:
    t = normalize(text).text
    return [(q.kind, q.value, q.text, q.unit) for q in extract_quantities(t, ref)]


KINDS = [
    # (text, [(kind, value, span text, unit)])
    ("حدود ۲۳۰ هزار نفر اتباع", [("number", 230000, "230 هزار نفر", "person")]),
    ("از ۱۲۰ کشور", [("number", 120, "120 کشور", "country")]),
    ("۵ هزار دانش‌آموز", [("number", 5000, "5 هزار دانش\u200cآموز", "person")]),
    ("۳۶ مگاوات", [("number", 36, "36 مگاوات", "MW")]),
    ("رشد ۵ درصدی", [("percent", 5, "5 درصدی", "percent")]),
    ("۲۰%", [("percent", 20, "20%", "percent")]),
    ("۲۶/۳ درصد", [("percent", 26.3, "26/3 درصد", "percent")]),
    ("500 میلیارد ریال", [("money", 5e11, "500 میلیارد ریال", "rial")]),
    ("هفت هزار میلیارد تومان", [("money", 7e12, "هفت هزار میلیارد تومان", "toman")]),
    ("هزار تن از زائران", [("number", 1000, "هزار تن", "person")]),
    ("۵۰۰ تن گندم", [("number", 500, "500 تن", "ton")]),
    ("هیچ کدام از اتباع خارجی", [("number", 0, "هیچ کدام از اتباع", "person")]),
    ("هیچ موردی ثبت نشد", [("number", 0, "هیچ موردی", "count")]),
    ("هیچ کشوری", [("number", 0, "هیچ کشوری", "country")]),
    ("به هیچ وجه", []),
    ("یک نیروگاه خورشیدی", []),  # an indefinite article
    ("نه تنها", []),
    ("یک نفر", [("number", 1, "یک نفر", "person")]),
    ("دو برابر شد", [("percent", 100, "دو برابر", "percent")]),  # doubled: +100%
    ("یک سوم مصرف", [("percent", 100 / 3, "یک سوم", "percent")]),
    ("۹ ماه گذشته", [("duration", 9, "9 ماه", "month")]),
    ("ظرف ۱۵ روز", [("duration", 15, "15 روز", "day")]),
    ("به ازای هر ۱۰۰۰ نفر", [("rate_base", 1000, "1000", None)]),
    ("با شماره ۱۲۰ تماس بگیرید", [("code", 120, "120", None)]),
    ("پیش‌بینی برای 1405", [("year", 1405, "1405", None)]),
    ("۱۵ بهمن‌ماه", [("date", 20260204, "15 بهمن\u200cماه", None)]),
    ("اعتبار یک هزار و ۸۵۰ میلیارد ریال", [("money", 1.85e12, "یک هزار و 850 میلیارد ریال", "rial")]),
    ("۸ استان", [("number", 8, "8 استان", "count")]),
    ("در سال ۱۴۰۴", [("year", 1404, "1404", None)]),
    ("سال 2024", [("year", 2024, "2024", None)]),
    ("مرداد 1403", [("year", 1403, "1403", None)]),
    ("۲۷ مرداد ۱۴۰۴", [("date", 20250818, "27 مرداد 1404", None)]),
    ("1403/05/24", [("date", 20240814, "1403/05/24", None)]),
    ("سومین مرحله", [("ordinal", 3, "سومین", None)]),
    ("نخستین بار", [("ordinal", 1, "نخستین", None)]),
    ("دومین", [("ordinal", 2, "دومین", None)]),
    ("12ام", [("ordinal", 12, "12ام", None)]),
    ("جنگ ۱۲ روزه", [("duration", 12, "12 روزه", "day")]),
    ("چهار ماهه", [("duration", 4, "چهار ماهه", "month")]),
    ("برنامه 10 ساله", [("duration", 10, "10 ساله", "year")]),
    ("خدمات 24 ساعته", [("duration", 24, "24 ساعته", "hour")]),
    ("10 روز", [("number", 10, "10 روز", "day")]),
    ("ماده ۱۸ قانون", [("law", 18, "18", None)]),
    ("تبصره 2", [("law", 2, "2", None)]),
    ("اصل ۴۴ قانون اساسی", [("law", 44, "44", None)]),
    ("کد خبر: ۸۵۹۱۰۱", [("code", 859101, "859101", None)]),
    ("پایان پیام/ ۲۶۸", [("code", 268, "268", None)]),
    ("صفحه 5", [("code", 5, "5", None)]),
    ("سامانه ۱۳۷", [("phone", 137, "137", None)]),
    ("شماره تماس 1570", [("phone", 1570, "1570", None)]),
    ("021-88441234", [("phone", 2188441234, "021-88441234", None)]),
    ("09121234567", [("phone", 9121234567, "09121234567", None)]),
    ("ساعت ۱۰ صبح", [("time", 1000, "ساعت 10 صبح", None)]),
    ("13:39", [("time", 1339, "13:39", None)]),
    ("www.example.ir/news/12345", [("code", 12345, "12345", None)]),
    # the other end of a clock or an age range is no statistic either
    ("از ساعت ۲۲ تا ۶ صبح", [("time", 2200, "ساعت 22", None), ("time", 6, "6", None)]),
    ("کودکان ۶ تا ۱۱ ساله", [("duration", 6, "6", None), ("duration", 11, "11 ساله", "year")]),
    # a set named by its size; numbered districts and phases; emergency lines
    ("مناطق ۲۲‌گانه تهران", [("code", 22, "22", None)]),
    ("ناحیه ۴ منطقه ۱۵", [("code", 4, "4", None), ("code", 15, "15", None)]),
    ("فاز ۲ توسعه", [("code", 2, "2", None)]),
    ("مرکز فوریت‌های پلیسی ۱۱۰", [("phone", 110, "110", None)]),
    ("ظرف دو هفته آینده", [("duration", 2, "دو هفته", "week")]),
    # "از X به Y unit": the old level is in the new one's unit, and scale
    ("از ۱۳.۲ به ۱۱.۶ مترمکعب رسید", [("number", 13.2, "13.2", "cubic_meter"),
                                       ("number", 11.6, "11.6 مترمکعب", "cubic_meter")]),
    ("از ۱۲ به ۱۵ هزار نفر رسید", [("number", 12000, "12", "person"), ("number", 15000, "15 هزار نفر", "person")]),
    ("از ۲۰۰ به ۱۵ هزار نفر رسید", [("number", 200, "200", "person"), ("number", 15000, "15 هزار نفر", "person")]),
    # units: thousand billion tomans, percentage points, minutes, millimetres of rain
    ("۴۸ همت اعتبار", [("money", 48e12, "48 همت", "toman")]),
    ("۱.۱ واحد درصد کاهش", [("percent", 1.1, "1.1 واحد درصد", "percent")]),
    ("بیش از ۱۱۰ میلی‌متر باران", [("number", 110, "110 میلی‌متر", "millimeter")]),
    ("در ۵ دقیقه", [("number", 5, "5 دقیقه", "minute")]),
    # every number of a list after a code cue; a Latin name before digits; a month named صفر
    ("در مناطق ۴، ۱۸ و ۲۲ تهران", [("code", 4, "4", None), ("code", 18, "18", None), ("code", 22, "22", None)]),
    ("طرح NGL ۳۲۰۰", [("code", 3200, "3200", None)]),
    ("در دهه پایانی ماه صفر", []),
    # "حتی یک … نشد" is none
    ("حتی یک مورد شکایت ثبت نشد.", [("number", 0, "یک مورد", "count")]),
    ("حتی یک مورد شکایت ثبت شد.", [("number", 1, "یک مورد", "count")]),
    # a day listed before a date is a date
    ("روزهای ۲۲ و ۲۳ فروردین", [("date", 22, "22", None), ("date", 20250412, "23 فروردین", None)]),
    # a labelled list with the unit after its last figure; "مورد" + people; weather; decades
    ("تهران ۱۴ میلیون، خراسان رضوی ۶ میلیون و فارس ۵ میلیون نفر",
     [("number", 14e6, "14 میلیون", "person"), ("number", 6e6, "6 میلیون", "person"),
      ("number", 5e6, "5 میلیون نفر", "person")]),
    ("۱۲ روستا، ۵ مدرسه و ۳ نفر", [("number", 12, "12 روستا", "village"), ("number", 5, "5 مدرسه", "count"),
                                    ("number", 3, "3 نفر", "person")]),
    ("هیچ مورد فوتی ثبت نشد", [("number", 0, "هیچ مورد فوتی", "person")]),
    ("دمای هوا به ۵۲ درجه رسید", [("temperature", 52, "52 درجه", "degree")]),
    ("در دو دهه اخیر", [("duration", 2, "دو دهه", "decade")]),
    # a unit and a half; ranks are never statistics, nor the numbers listed after them
    ("دو ساعت و نیم خاموشی", [("number", 2.5, "دو ساعت و نیم", "hour")]),
    ("رتبه ۱۲ کشوری و رتبه‌های ۲۳ و ۴۱", [("code", 12, "12", None), ("code", 23, "23", None), ("code", 41, "41", None)]),
    # earthquake magnitudes are readings; ages in months or years are no statistics; a zero of people
    ("زلزله ۵.۴ ریشتری", [("magnitude", 5.4, "5.4 ریشتری", "richter")]),
    ("کودکان ۱۸ ماهگی", [("number", 18, "18 ماهگی", "month")]),
    ("هیچ جان‌باخته‌ای نداشت", [("number", 0, "هیچ جان‌باخته‌ای", "person")]),
    # a unit and a smaller one; both ends of a rank range; phase lists
    ("۳ تن و ۲۰۰ کیلوگرم مواد مخدر", [("number", 3.2, "3 تن و 200 کیلوگرم", "ton")]),
    ("۲ ساعت و ۳۰ دقیقه", [("number", 2.5, "2 ساعت و 30 دقیقه", "hour")]),
    ("رتبه ۴۰۱ تا ۵۰۰ جهان", [("code", 401, "401", None), ("code", 500, "500", None)]),
    ("فازهای ۱۲ و ۱۹", [("code", 12, "12", None), ("code", 19, "19", None)]),
    # a unit with a possessive ending ("five of them")
    ("۵ نفرشان بستری هستند", [("number", 5, "5 نفرشان", "person")]),
    # thousand billions and billions of one currency are one sum; two figures share the unit after them
    ("یک همت و ۸۰۰ میلیارد تومان", [("money", 1.8e12, "یک همت و 800 میلیارد تومان", "toman")]),
    ("با ۴.۲ و ۴.۶ درصد", [("percent", 4.2, "4.2", "percent"), ("percent", 4.6, "4.6 درصد", "percent")]),
    # a short Jalali month after a day is a date, with or without its year
    ("در شب ۲۸ دی", [("date", 20260118, "28 دی", None)]),
]


@pytest.mark.parametrize("text,expected", KINDS)
def test_kinds_and_units(text, expected):
    assert _q(text) == [(k, pytest.approx(v), s, u) for k, v, s, u in expected]


def _one(text: str):
    qs = [q for q in extract_quantities(normalize(text).text, REF) if q.kind in ("number", "percent", "money")]
    assert len(qs) == 1, qs
    q = qs[0]
    return q.value, q.lower, q.upper, q.approximate, q.direction, q.text


HEDGES = [
    ("حدود ۲۰۰ مگاوات", (200, None, None, True, None, "200 مگاوات")),
    ("در حدود ۲۰۰ مگاوات", (200, None, None, True, None, "200 مگاوات")),
    ("نزدیک به ۳ میلیون تن", (3e6, None, None, True, None, "3 میلیون تن")),
    ("قریب به ۴۰ درصد", (40, None, None, True, None, "40 درصد")),
    ("بیش از ۵۰۰ نفر", (500, 500, None, False, None, "500 نفر")),
    ("کمتر از ۱۰ درصد", (10, None, 10, False, None, "10 درصد")),
    ("حداقل 3 نفر", (3, 3, None, False, None, "3 نفر")),
    ("۱۰ تا ۱۵ درصد", (10, 10, 15, False, None, "10 تا 15 درصد")),
    ("۵ تا ۷ هزار نفر", (5000, 5000, 7000, False, None, "5 تا 7 هزار نفر")),
    ("۸۰۰ تا ۱ هزار نفر", (800, 800, 1000, False, None, "800 تا 1 هزار نفر")),
    ("20 الی 30 درصد", (20, 20, 30, False, None, "20 الی 30 درصد")),
    ("کاهش ۳۱ درصدی سرقت", (31, None, None, False, "decrease", "31 درصدی")),
    ("افزایش ۱۰ درصدی تصادفات", (10, None, None, False, "increase", "10 درصدی")),
    ("رشد ۵ درصدی", (5, None, None, False, "increase", "5 درصدی")),
    ("افت 12 درصدی", (12, None, None, False, "decrease", "12 درصدی")),
    ("افزایش حدود ۱۰ درصدی", (10, None, None, True, "increase", "10 درصدی")),
    ("۳۱ درصد کاهش یافت", (31, None, None, False, "decrease", "31 درصد")),
    ("۲۰ درصد افزایش داشته است", (20, None, None, False, "increase", "20 درصد")),
    ("تولید ۲۰ درصد بود و افزایش", (20, None, None, False, None, "20 درصد")),
    ("ظرفیت ۳۶ مگاوات", (36, None, None, False, None, "36 مگاوات")),
]


@pytest.mark.parametrize("text,expected", HEDGES)
def test_hedges_ranges_directions(text, expected):
    assert _one(text) == expected


def test_years_in_a_range_are_not_merged():
    assert [q[0] for q in _q("از سال 1400 تا 1404")] == ["year", "year"]


def test_two_numbers_joined_by_va_stay_two():
    assert [(q[1], q[3]) for q in _q("۵ نفر و ۱۲ نفر")] == [(5, "person"), (12, "person")]


def _seed_doc() -> Document:
    text = (ARTICLES / "abna-2025-08-18-qom.txt").read_text(encoding="utf-8")
    doc = Document(id="abna-2025-08-18-qom", text=text, metadata=Metadata(date="2025-08-18"))
    doc.norm = normalize(text)
    quantities(doc, Context(Config()))
    return doc


def test_seed_article_statistics():
    doc = _seed_doc()
    gold = json.loads((ARTICLES / "abna-2025-08-18-qom.gold.json").read_text(encoding="utf-8"))
    stats = [q for q in doc.quantities if q.kind in ("number", "percent")]
    remaining = list(stats)
    for claim in gold["claims"]:
        match = next(
            (q for q in remaining
             if q.value == claim["value"] and q.unit == claim["unit"]
             and q.approximate == claim["approximate"] and q.direction == claim.get("direction")),
            None,
        )
        assert match is not None, claim
        remaining.remove(match)
    assert remaining == []  # nothing else in the article looks like a statistic


def test_seed_article_non_statistics():
    doc = _seed_doc()
    norm = doc.norm
    by_text = {norm.text[norm.norm_offset(q.start) : norm.norm_offset(q.end)]: q.kind for q in doc.quantities}
    assert by_text["دوشنبه 27 مرداد 1404"] == "date"
    assert by_text["1404"] == "year"
    assert by_text["سومین"] == "ordinal"
    assert by_text["12 روزه"] == "duration"
    assert by_text["چهار ماهه"] == "duration"
    assert by_text["268"] == "code"


def test_stage_offsets_point_into_the_original_text():
    doc = _seed_doc()
    for q in doc.quantities:
        assert normalize(doc.text[q.start : q.end]).text == q.text
    first = next(q for q in doc.quantities if q.value == 230000)
    assert doc.text[first.start : first.end] == "۲۳۰ هزار نفر"


def test_stage_maps_offsets_across_dropped_characters():
    text = "مـــدیر گفت: حدود ۲۳۰ هزار نفر"
    doc = Document(id="x", text=text)
    doc.norm = normalize(text)
    quantities(doc, Context(Config()))
    (q,) = doc.quantities
    assert doc.text[q.start : q.end] == "۲۳۰ هزار نفر" and q.approximate


def test_stage_ignores_a_bad_article_date():
    doc = Document(id="x", text="دیروز ۵ نفر", metadata=Metadata(date="not a date"))
    doc.norm = normalize(doc.text)
    quantities(doc, Context(Config()))
    assert [(q.value, q.unit) for q in doc.quantities] == [(5, "person")]


@pytest.mark.parametrize("name", ["hedges", "directions", "noise", "ambiguous_numbers"])
def test_quantity_lexicons_load(name):
    rows = load_table(name)
    assert rows and all(r["fa"] for r in rows)
