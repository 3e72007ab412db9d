"""The `quantities` stage: every number in the article, with what kind of number it is.

Statistics (``kind`` number, percent or money) carry their unit, hedges
(``حدود`` -> approximate, ``بیش از`` -> lower bound, ``۱۰ تا ۱۵`` -> range) and
the direction of change (``کاهش ۳۱ درصدی``, ``۲۰ درصد افزایش یافت``). Every
other number is classified so that later stages leave it alone:

    date      ۲۷ مرداد ۱۴۰۴, 1403/05/24         (value: Gregorian YYYYMMDD, or the Jalali one)
    time      ساعت ۱۰ صبح, 13:39                 (value: HHMM)
    year      سال ۱۴۰۴, مرداد 1403               (value: the year)
    ordinal   سومین, نخست, 12ام, بیست و یکم
    duration  ۱۲ روزه, چهار ماهه, 10 ساله         (a modifier, not a count)
    law       ماده ۱۸, تبصره ۲, اصل ۴۴
    code      کد خبر ۸۵۹۱۰۱, پایان پیام/ ۲۶۸, صفحه ۵, numbers in links
    phone     021-88441234, سامانه ۱۳۷, 09121234567

Cue words come from ``noise.tsv``, hedges from ``hedges.tsv``, directions from
``directions.tsv``; units from ``units.tsv`` and ``counted_nouns.tsv`` (see
`kg.text.units`). `extract_quantities` works on normalised text and offsets;
the stage maps them to the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from kg.document import Document, Quantity
from kg.pipeline import Context, stage
from kg.resources import load_table, split_multi
from kg.text.dates import DateSpan, find_dates, find_periods, month_matcher
from kg.text.lexmatch import PhraseMatcher
from kg.text.numbers import NumberSpan, find_numbers, matches
from kg.text.furniture import furniture_spans
from kg.text.units import counted_noun_after, unit_after

_URL = re.compile(r"(?:https?://|www\.)\S+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")  # only tried when the text has an "@" (slow scan)
_PHONE = re.compile(r"(?<![\d-])(?:\+98[ -]?\d{2,3}|0\d{2,3})[ -]?\d{3,4}[ -]?\d{4}(?![\d-])|(?<!\d)09\d{9}(?!\d)")
_YEARLIKE = re.compile(r"(?:1[34]\d\d|19\d\d|20\d\d)\Z")
_LEFT_PUNCT = " \u200c:/\\-–،,()«»\"'"
_NOISE_KIND = {
    "law_article": "law",
    "law_note": "law",
    "law_clause": "law",
    "constitution_article": "law",
    "phone": "phone",
    "clock": "time",
    "rate_base": "rate_base",
}
_DIRECTION = {"up": "increase", "down": "decrease"}
# kinds of numbers that are no statistic, whose range partner is none either ("ساعت ۲۲ تا ۶")
_RANGE_OF_NON_CLAIMS = ("time", "duration", "code", "law")  # "رتبه ۴۰۱ تا ۵۰۰", "ماده ۱۲ تا ۱۵"
# Cue kinds that win even when a unit follows ("هر ۱۰۰۰ نفر" is the base of a rate).
_ALWAYS_NOISE = ("clock", "phone", "news_code", "end_marker", "rate_base", "rank")
_EVEN = re.compile(r"(?<![\w\u200c])حتی[ \u200c]+\Z")
# a negated verb ending the clause: نشد, نداشتیم, نبوده است, نمی‌شود, …
_NEGATED = re.compile(r"(?<![\w\u200c])ن(?:شد|داشت|بود|یست|کرد|می|دید|داد|رسید|گرفت|یافت|ماند|آمد|رفت)[\w\u200c]*")
# "۳ تن و ۲۰۰ کیلوگرم": the smaller unit's word -> its code, and (unit, smaller unit) -> how much
# of the unit one smaller unit is
_SUBUNIT_WORDS = {"کیلوگرم": "kg", "گرم": "gram", "سانتی\u200cمتر": "centimeter", "سانتیمتر": "centimeter",
                  "متر": "meter", "دقیقه": "minute", "ماه": "month"}
_SUBUNITS = {("ton", "kg"): 0.001, ("kg", "gram"): 0.001, ("meter", "centimeter"): 0.01, ("km", "meter"): 0.001,
             ("hour", "minute"): 1 / 60, ("year", "month"): 1 / 12}
_AND_SUBUNIT = re.compile(r"[ \u200c]+و[ \u200c]+(?P<n>\d+)[ \u200c]*(?P<unit>"
                          + "|".join(map(re.escape, sorted(_SUBUNIT_WORDS, key=len, reverse=True)))
                          + r")(?![\w\u200c])")
_AND_ONLY = re.compile(r"[ \u200c]+و[ \u200c]+")
_AND_HALF = re.compile(r"[ \u200c]+و[ \u200c]+نیم(?![\w\u200c])")
# between two items of a labelled list: a comma or "و", then the next item's label
_LIST_ITEM = re.compile(r"[ \u200c]*(?:[،,]|و(?=[ \u200c]))[ \u200c]*(?:[^\W\d_][^\d.،,:؛;\n]{0,30}?[ \u200c]+)?")
_LIST_GAP = re.compile(r"[ \u200c]*(?:[،,]|و)[ \u200c]*")
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z\-]*[ \-]?\Z")
_FROM = re.compile(r"(?<![\w\u200c])از[ \u200c]+\Z")
_TO = re.compile(r"[ \u200c]+به[ \u200c]+")
_FOLD_SUFFIX = re.compile(r"[ \u200c]?گانه(?![\w\u200c])")
_WORD_AFTER = re.compile(r"[ \u200c]*([^\W\d_]+)")
_TIME_UNITS = ("decade", "year", "month", "week", "day", "hour", "minute")
_MONEY_KIND = "currency"


@dataclass(slots=True)
class _Cues:
    # noise (kind), hedges (kind) and directions (up | down | stable) in one matcher, so a
    # text is scanned once; the payload says which lexicon a phrase comes from.
    cues: PhraseMatcher[tuple[str, str]]
    joiner_signs: frozenset[str]  # "-", "–": range joiners that are not words
    year_words: frozenset[str]
    ambiguous: frozenset[str]
    relative_markers: frozenset[str]


@dataclass(slots=True)
class _Index:
    """Where the cue phrases of one text start and end (one regex pass per lexicon)."""

    noise_end: dict[int, tuple[int, str]]
    hedge_end: dict[int, tuple[int, str]]
    hedge_start: dict[int, tuple[int, str]]
    dir_end: dict[int, tuple[int, str]]
    dir_start: dict[int, tuple[int, str]]
    month_end: frozenset[int]

    @classmethod
    def build(cls, text: str, cues: _Cues) -> _Index:
        found: dict[str, list[tuple[int, int, str]]] = {"noise": [], "hedges": [], "directions": []}
        for m in cues.cues.finditer(text):
            for lexicon, payload in m.payloads:
                found[lexicon].append((m.start, m.end, payload))
        hedges = found["hedges"]
        for sign in cues.joiner_signs:
            i = text.find(sign)
            while i >= 0:
                hedges.append((i, i + 1, "range_joiner"))
                i = text.find(sign, i + 1)
        directions = found["directions"]
        return cls(
            noise_end={e: (s, k) for s, e, k in found["noise"]},
            hedge_end={e: (s, k) for s, e, k in hedges},
            hedge_start={s: (e, k) for s, e, k in hedges},
            dir_end={e: (s, k) for s, e, k in directions},
            dir_start={s: (e, k) for s, e, k in directions},
            month_end=frozenset(m.end for m in matches(month_matcher(), text)),
        )


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    def rows(name: str, col: str) -> list[tuple[str, str]]:
        return [(fa, r[col]) for r in load_table(name) for fa in split_multi(r["fa"])]

    units = load_table("units")
    hedges = rows("hedges", "kind")
    entries = [(fa, ("noise", k)) for fa, k in rows("noise", "kind")]
    entries += [(fa, ("hedges", k)) for fa, k in hedges if any(c.isalpha() for c in fa)]
    entries += [(fa, ("directions", d)) for fa, d in rows("directions", "direction")]
    return _Cues(
        cues=PhraseMatcher(entries),
        joiner_signs=frozenset(fa for fa, k in hedges if k == "range_joiner" and not any(c.isalpha() for c in fa)),
        year_words=frozenset(r["fa"] for r in units if r["code"] == "year"),
        ambiguous=frozenset(r["fa"] for r in load_table("ambiguous_numbers")),
        relative_markers=frozenset(r["fa"] for r in load_table("periods") if r["kind"] == "relative_marker"),
    )


def _next_word(text: str, pos: int) -> str | None:
    m = _WORD_AFTER.match(text, pos)
    return m.group(1) if m else None


def _skip_left(text: str, pos: int, chars: str = " \u200c") -> int:
    while pos > 0 and text[pos - 1] in chars:
        pos -= 1
    return pos


def _skip_right(text: str, pos: int, chars: str = " \u200c") -> int:
    while pos < len(text) and text[pos] in chars:
        pos += 1
    return pos


def _date_value(d: DateSpan) -> float:
    if d.date is not None:
        return float(d.date.year * 10000 + d.date.month * 100 + d.date.day)
    if d.jalali:
        return float(d.jalali.replace("-", ""))
    return 0.0


def extract_quantities(text: str, ref: date | None = None) -> list[Quantity]:
    """Quantities in normalised ``text`` (normalised offsets), in text order.

    ``ref`` is the article date; it resolves dates without a year.
    """
    cues = _cues()
    ix = _Index.build(text, cues)
    out: list[Quantity] = []
    blocked: list[tuple[int, int]] = []  # spans already explained (dates, times, phones, links)

    def inside(s: int, e: int) -> bool:
        return any(a <= s and e <= b for a, b in blocked)

    links = [m.span() for m in _URL.finditer(text)]
    if "@" in text:
        links += [m.span() for m in _EMAIL.finditer(text)]
    links += furniture_spans(text)  # related headlines, tags, bylines: their numbers are codes too
    blocked.extend(links)
    for m in _PHONE.finditer(text):
        if not inside(*m.span()):
            blocked.append(m.span())
            out.append(Quantity(m.start(), m.end(), float(re.sub(r"\D", "", m.group())), m.group(), kind="phone"))
    for d in find_dates(text, ref):
        if d.kind not in ("date", "time") or inside(d.start, d.end):
            continue
        blocked.append((d.start, d.end))
        if d.kind == "date":
            out.append(Quantity(d.start, d.end, _date_value(d), d.text, kind="date"))
        else:
            hh, mm = (d.time or "00:00").split(":")
            out.append(Quantity(d.start, d.end, float(int(hh) * 100 + int(mm)), d.text, kind="time"))
    year_spans = [(p.start, p.end) for p in find_periods(text, ref)]
    non_claim_end = {q.end: q.kind for q in out if q.kind in _RANGE_OF_NON_CLAIMS}
    date_starts = {q.start for q in out if q.kind == "date"}

    # 1 = inside a link, 2 = inside a date, time or phone number.
    mask = bytearray(len(text) + 1)
    for a, b in blocked:
        mask[a:b] = b"\x02" * (b - a)
    for a, b in links:
        mask[a:b] = b"\x01" * (b - a)
    numbers = []
    for n in find_numbers(text):
        if mask[n.start] == 1:
            out.append(Quantity(n.start, n.end, n.value, n.text, kind="code"))  # part of a link
        elif not mask[n.start]:
            numbers.append(n)
    k = 0
    while k < len(numbers):
        n = numbers[k]
        k += 1
        if out and out[-1].end > n.start and out[-1].start <= n.start:
            continue  # read already as part of the last quantity ("دو ساعت و نیم")
        q = _classify(text, n, cues, ix, year_spans)
        if q is None:
            continue
        if q.kind == "number" and q.unit is None and out and out[-1].kind == "year" and _YEARLIKE.match(q.text):
            if _range_joined(text, out[-1].end, q.start, ix):
                q.kind = "year"  # "سال 1400 تا 1404"
        if q.kind == "number" and q.unit is None and (gap := _LIST_GAP.match(text, q.end)) \
                and gap.end() in date_starts:
            q.kind = "date"  # "روزهای ۲۲ و ۲۳ فروردین": a day listed before a date
        if q.kind == "number" and q.unit is None and out and out[-1].kind == "code" \
                and _LIST_GAP.fullmatch(text, out[-1].end, q.start):
            q.kind = "code"  # "مناطق ۴، ۱۸ و ۲۲": every number of a list after a code cue
        if q.kind == "number" and q.unit is None:
            h = ix.hedge_end.get(_skip_left(text, q.start))
            if h is not None and h[1] == "range_joiner":
                # "ساعت ۲۲ تا ۶ صبح": the second end of a clock range is a time too
                q.kind = non_claim_end.get(_skip_left(text, h[0]), q.kind)
        if q.kind in ("number", "percent", "money") and k < len(numbers):
            merged = _range(text, q, n, numbers[k], cues, ix, year_spans)
            if merged is not None:
                q = merged
                k += 1
            elif q.kind == "number" and q.unit is None and _range_joined(text, q.end, numbers[k].start, ix):
                qb = _classify(text, numbers[k], cues, ix, year_spans)
                if qb is not None and qb.kind in _RANGE_OF_NON_CLAIMS:
                    q.kind = qb.kind  # "۶ تا ۱۱ ساله": both ends are ages
            elif q.kind == "number" and q.unit is None and _FROM.search(text, max(0, q.start - 6), q.start) \
                    and _TO.fullmatch(text, q.end, numbers[k].start):
                qb = _classify(text, numbers[k], cues, ix, year_spans)
                if qb is not None and qb.kind in ("number", "percent", "money") and qb.unit is not None:
                    # "از ۱۳.۲ به ۱۱.۶ مترمکعب": the old level is in the new one's unit
                    q.kind, q.unit, q.unit_text = qb.kind, qb.unit, qb.unit_text
                    b = numbers[k]
                    if b.scale > 1 and n.scale == 1 and n.value < b.value / b.scale * 10:
                        q.value = n.value * b.scale  # "از ۱۲ به ۱۵ هزار نفر": the scale applies to both
        if q.kind == "number" and q.value == 1 and n.is_word and _EVEN.search(text, max(0, q.start - 8), q.start) \
                and _negated(text, q.end):
            q.value = 0.0  # "حتی یک مورد شکایت ثبت نشد": none
        if q.kind in ("number", "percent", "money"):
            _hedge(text, q, ix)
            _direction(text, q, ix)
        out.append(q)
        if q.kind in _RANGE_OF_NON_CLAIMS:
            non_claim_end[q.end] = q.kind
    out.sort(key=lambda q: (q.start, q.end))
    _share_list_units(text, out)
    return _join_money(text, out)


def _join_money(text: str, qs: list[Quantity]) -> list[Quantity]:
    """"یک همت و ۸۰۰ میلیارد تومان": thousand billions, then billions of the same currency, are one sum."""
    out: list[Quantity] = []
    for q in qs:
        last = out[-1] if out else None
        if last is not None and q.kind == last.kind == "money" and q.unit == last.unit \
                and last.value >= 1e12 > q.value and _AND_ONLY.fullmatch(text, last.end, q.start):
            last.value += q.value
            last.end, last.text = q.end, text[last.start:q.end]
            continue
        out.append(q)
    return out


def _share_list_units(text: str, qs: list[Quantity]) -> None:
    """A list whose unit follows only its last figure: "تهران ۱۴ میلیون، خراسان رضوی ۶ میلیون
    و فارس ۵ میلیون نفر" counts people in every item."""
    stats = [q for q in qs if q.kind in ("number", "percent", "money")]
    for a, b in zip(reversed(stats[:-1]), reversed(stats[1:])):
        if a.kind == "number" and a.unit is None and b.unit is not None and _LIST_ITEM.fullmatch(text, a.end, b.start):
            a.kind, a.unit = b.kind, b.unit


def _classify(
    text: str, n: NumberSpan, cues: _Cues, ix: _Index, year_spans: list[tuple[int, int]]
) -> Quantity | None:
    """A Quantity for one number, with its kind and unit (no hedges yet)."""
    q = Quantity(n.start, n.end, n.value, n.text)
    if n.kind == "ordinal":
        q.kind = "ordinal"
        return q

    # A cue word right before: "ماده 18", "کد خبر: 859101", "پایان پیام/ 268".
    left = _skip_left(text, n.start, _LEFT_PUNCT)
    noise = ix.noise_end.get(left)
    unit = unit_after(text, n.end)

    is_year_digits = not n.is_word and bool(_YEARLIKE.match(n.text)) and "." not in n.text
    if is_year_digits:
        before = _skip_left(text, n.start)
        yw = re.search(r"([^\W\d_]+)[ \u200c]*\Z", text[max(0, before - 12) : before])
        after_month = before in ix.month_end
        if (yw and yw.group(1) in cues.year_words) or after_month or any(a <= n.start < b for a, b in year_spans):
            q.kind = "year"
            return q

    if noise is not None and noise[1] == "duration":
        noise = None  # "ظرف ۱۵ روز": decided below, with the unit
        duration_cue = True
    else:
        duration_cue = False
    if noise is not None and (unit is None or noise[1] in _ALWAYS_NOISE):
        q.kind = _NOISE_KIND.get(noise[1], "code")
        return q

    if not n.is_word and _LATIN_NAME.search(text, max(0, n.start - 12), n.start):
        q.kind = "code"  # "NGL 3200", "F-16", "A320": a name of a project or a model
        return q

    if _FOLD_SUFFIX.match(text, n.end):
        q.kind = "code"  # "مناطق ۲۲‌گانه", "اصول ۱۰‌گانه": a set named by its size, not a statistic
        return q

    if unit is not None:
        q.unit, q.unit_text, q.end = unit.code, unit.text, unit.end
        sub = _AND_SUBUNIT.match(text, q.end)
        share = _SUBUNITS.get((unit.code, _SUBUNIT_WORDS[sub.group("unit")])) if sub is not None else None
        if share is not None:  # "۳ تن و ۲۰۰ کیلوگرم" is 3.2 tons; "۲ ساعت و ۳۰ دقیقه" 2.5 hours
            q.value += float(sub.group("n")) * share
            q.end = sub.end()
        half = _AND_HALF.match(text, q.end)
        if half is not None:
            q.value += 0.5  # "دو ساعت و نیم", "۳ سال و نیم": a half of the unit
            q.end = half.end()
        q.value *= unit.factor  # "۴۸ همت": 48 * 10^12 toman
        if unit.code == "count" and unit.text.strip() == "مورد":
            noun = counted_noun_after(text, unit.end)
            if noun is not None and noun.code == "person":
                q.unit, q.end = "person", noun.end  # "هیچ مورد فوتی", "۱۲ مورد مصدوم": people
        if unit.kind in ("temperature", "magnitude"):
            q.kind = unit.kind  # "دمای هوا ۵۲ درجه", "زلزله ۵.۴ ریشتری": readings, not an official's statistics
            q.text = text[q.start : q.end]
            return q
        if unit.code in _TIME_UNITS and (
            unit.suffix.startswith("ه") or duration_cue or _next_word(text, unit.end) in cues.relative_markers
        ):
            # "۱۲ روزه", "چهار ماهه" modify a noun; "ظرف ۱۵ روز", "۹ ماه گذشته" are spans of time.
            q.kind = "duration"
        elif unit.code == "percent":
            q.kind = "percent"
        elif unit.kind == _MONEY_KIND:
            q.kind = "money"
        q.text = text[q.start : q.end]
        return q

    if n.zero_word:
        noun = counted_noun_after(text, n.end, after_az=True) or counted_noun_after(text, n.end)
        if noun is not None:
            q.unit, q.unit_text, q.end = noun.code, noun.text, noun.end
        q.text = text[q.start : q.end]
        return q

    if n.kind == "multiplier":
        # "دو برابر شد": a change of +100%; the claim is the percentage, the text stays as written.
        q.unit_text = n.text.split()[-1]  # the multiplier word (برابر)
        q.multiplier_end = n.multiplier_end
        q.kind, q.unit = "percent", "percent"
        q.value = abs(n.value - 1) * 100
        q.direction = "increase" if n.value > 1 else "decrease" if n.value < 1 else None
        return q

    if n.is_word and 0 < n.value < 1 and counted_noun_after(text, n.end) is None:
        # "یک سوم مصرف": a share, stated as a fraction; as a percentage it compares with others.
        q.kind, q.unit, q.unit_text, q.value = "percent", "percent", n.text, n.value * 100
        return q

    if is_year_digits and 1300 <= n.value <= 1499 or is_year_digits and 1900 <= n.value <= 2100:
        if counted_noun_after(text, n.end) is None:
            q.kind = "year"  # a bare 1403 or 2024 with nothing counted is a year
            return q

    bare_word = n.is_word and " " not in n.text and "\u200c" not in n.text
    if bare_word and n.text in cues.ambiguous:
        return None  # "یک نیروگاه" (a power plant), "نه تنها" (not only)

    noun = counted_noun_after(text, n.end)
    if noun is not None:
        q.unit, q.unit_text, q.end = noun.code, noun.text, noun.end
    q.text = text[q.start : q.end]
    return q


def _negated(text: str, pos: int) -> bool:
    """Is the clause after ``pos`` negated (a negated verb before its end)?"""
    end = len(text)
    for stop in ".؛;!?؟\n،,":
        k = text.find(stop, pos)
        if k != -1:
            end = min(end, k)
    return _NEGATED.search(text, pos, end) is not None


def _range_joined(text: str, a_end: int, b_start: int, ix: _Index) -> bool:
    """Are two numbers the ends of a range ("۱۰ تا ۱۵")?"""
    j = ix.hedge_start.get(_skip_right(text, a_end))
    return j is not None and j[1] == "range_joiner" and _skip_right(text, j[0]) == b_start


def _range(
    text: str, q: Quantity, a: NumberSpan, b: NumberSpan, cues: _Cues, ix: _Index, year_spans: list[tuple[int, int]]
) -> Quantity | None:
    """``۱۰ تا ۱۵ درصد``, ``۵ تا ۷ هزار نفر``: one quantity from a to b."""
    if q.end != a.end and q.unit is not None:
        return None  # "5 نفر تا 7 نفر" is not one range; "5 تا 7 نفر" is
    if not _range_joined(text, a.end, b.start, ix):
        return None
    qb = _classify(text, b, cues, ix, year_spans)
    if qb is None or qb.kind not in ("number", "percent", "money") or b.value <= a.value and b.scale <= 1:
        return None
    low = a.value
    if b.scale > 1 and a.scale == 1 and a.value < b.value / b.scale:
        low = a.value * b.scale  # "۵ تا ۷ هزار": the scale of the upper bound applies to both
    if low >= qb.value:
        return None
    qb.start, qb.value, qb.lower, qb.upper = a.start, low, low, qb.value
    qb.text = text[qb.start : qb.end]
    return qb


def _hedge(text: str, q: Quantity, ix: _Index) -> None:
    left = _skip_left(text, q.start)
    h = ix.hedge_end.get(left)
    if h is None:
        return
    kind = h[1]
    if kind == "approximate":
        q.approximate = True
    elif kind == "lower_bound" and q.lower is None:
        q.lower = q.value
    elif kind == "upper_bound" and q.upper is None:
        q.upper = q.value


def _direction(text: str, q: Quantity, ix: _Index) -> None:
    # Before: "کاهش ۳۱ درصدی", "افزایش حدود ۱۰ درصدی".
    left = _skip_left(text, q.start)
    h = ix.hedge_end.get(left)
    if h is not None and h[1] != "range_joiner":
        left = _skip_left(text, h[0])
    d = ix.dir_end.get(left)
    if d is None:
        # After: "۳۱ درصد کاهش یافت", "۲۰ درصد افزایش داشته است".
        after = ix.dir_start.get(_skip_right(text, q.end))
        d = (after[0], after[1]) if after is not None else None
    if d is not None:
        q.direction = _DIRECTION.get(d[1])


@stage("quantities", requires=("normalize",), provides=("quantities",))
def quantities(doc: Document, ctx: Context) -> None:
    norm = doc.norm
    assert norm is not None
    ref = None
    if doc.metadata.date:
        try:
            ref = date.fromisoformat(doc.metadata.date[:10])
        except ValueError:
            ref = None
    found = extract_quantities(norm.text, ref)
    for q in found:
        if q.multiplier_end is not None:
            q.multiplier_end = norm.to_original(q.multiplier_end - 1, q.multiplier_end)[1]
        q.start, q.end = norm.to_original(q.start, q.end)
    doc.quantities = found
