"""Dates, clock times and periods in normalised Persian text.

- `find_dates`: ``۲۷ مرداد ۱۴۰۴``, ``دوشنبه ۲۷ مرداد``, ``1403/05/24``,
  ``31-06-1401``, ``2025-08-18``, weekday names and ``امروز``/``دیروز``
  (relative to the article date ``ref``), clock times ``13:39``, ``ساعت ۱۰ صبح``.
- `find_periods`: ``سال ۱۴۰۴``, ``سال جاری``, ``چهار ماهه ابتدای سال جاری``,
  ``مرداد ماه``, with the comparison baseline ``نسبت به مدت مشابه سال قبل``.
- `parse_pub_stamp`: the publication date of a page stamp
  (``تاریخ انتشار: 13:39 - 31-06-1401``).

Month and weekday names come from ``months.tsv`` and ``weekdays.tsv``,
relative expressions from ``periods.tsv``, stamp cues from ``noise.tsv``.
Jalali <-> Gregorian conversion is jdatetime's. Years 1200-1499 are Jalali,
1900-2100 Gregorian. Lunar Hijri dates are found but not converted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import jdatetime

from kg.resources import load_table, split_multi
from kg.text.lexmatch import PhraseMatcher
from kg.text.normalize import normalize
from kg.text.numbers import find_numbers, matches
from kg.text.numbers import lexicon as number_lexicon

_SP = r"[ \u200c]+"
_NUM_DATE = re.compile(
    r"(?<![\d/.-])(?:(?P<y1>\d{4})(?P<s1>[/.-])(?P<m1>\d{1,2})(?P=s1)(?P<d1>\d{1,2})"
    r"|(?P<d2>\d{1,2})(?P<s2>[/.-])(?P<m2>\d{1,2})(?P=s2)(?P<y2>\d{4}))(?![\d/.-]|\.\d)"
)
_HAS_NUM_DATE = re.compile(r"\d[/.-]\d{1,2}[/.-]\d")  # cheap test before the slower full pattern
_CLOCK = re.compile(r"(?<![\d:])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?::[0-5]\d)?(?![\d:])")
_YEAR = re.compile(r"(?<![\d.,/])(?:1[2-4]\d\d|19\d\d|20\d\d|2100)(?![\d.,/]|[ \u200c]*[%٪])")
_DAY = re.compile(r"(?<![\d.,/])(?:[12]\d|3[01]|0?[1-9])(?![\d.,/])")


# "بهمن‌ماه", "دی ماه": the word ماه glued to a month name (kept outside the lexicon key).
_MONTH_SUFFIX = r"(?:[ \u200c]?ماه)?"
_MONTH_WORD_END = re.compile(r"[ \u200c]?ماه\Z")


@dataclass(slots=True)
class DateSpan:
    """A date or a clock time. ``date`` is Gregorian (None when it cannot be resolved)."""

    start: int
    end: int
    text: str
    kind: str  # date | weekday | relative | time
    date: date | None = None
    jalali: str | None = None  # "1404-05-27"
    calendar: str | None = None  # jalali | gregorian | hijri
    time: str | None = None  # "13:39" for kind == time


@dataclass(slots=True)
class Period:
    label: str  # the phrase, normalised ("چهار ماهه ابتدای سال جاری")
    start: date
    end: date
    start_jalali: str
    end_jalali: str
    baseline: Period | None = None
    kind: str = "year"  # year | month | week | day | months_from_start | months_to_end | year_to_date | baseline


@dataclass(slots=True)
class PeriodSpan:
    start: int
    end: int
    text: str
    period: Period


@dataclass(slots=True)
class _DateLexicon:
    months: PhraseMatcher[tuple[str, int]]  # (calendar, number)
    weekdays: PhraseMatcher[int]  # ISO weekday
    periods: PhraseMatcher[tuple[str, int | None]]  # (kind, offset)
    day_parts: PhraseMatcher[int]  # hours to add (عصر +12)
    stamp_cues: PhraseMatcher[str]
    year_words: frozenset[str]
    month_words: frozenset[str]


@lru_cache(maxsize=1)
def _lexicon() -> _DateLexicon:
    months = [(fa, (r["calendar"], int(r["number"]))) for r in load_table("months") for fa in split_multi(r["fa"])]
    weekdays = [(fa, int(r["iso_weekday"])) for r in load_table("weekdays") for fa in split_multi(r["fa"])]
    periods = []
    parts = []
    for r in load_table("periods"):
        off = int(r["offset"]) if r["offset"].lstrip("+-").isdigit() else None
        for fa in split_multi(r["fa"]):
            if r["kind"] == "day_part":
                parts.append((fa, off or 0))
            else:
                periods.append((fa, (r["kind"], off)))
    cues = [(fa, r["kind"]) for r in load_table("noise") if r["kind"] in ("pub_stamp", "update_stamp") for fa in split_multi(r["fa"])]
    units = load_table("units")
    return _DateLexicon(
        months=PhraseMatcher(months, suffix=_MONTH_SUFFIX),
        weekdays=PhraseMatcher(weekdays),
        periods=PhraseMatcher(periods),
        day_parts=PhraseMatcher(parts),
        stamp_cues=PhraseMatcher(cues),
        year_words=frozenset(r["fa"] for r in units if r["code"] == "year"),
        month_words=frozenset(r["fa"] for r in units if r["code"] == "month"),
    )


# -- calendars -------------------------------------------------------------------


def month_matcher() -> PhraseMatcher[tuple[str, int]]:
    """Month names of all calendars (months.tsv), payload (calendar, number)."""
    return _lexicon().months


@lru_cache(maxsize=4096)
def jalali_to_gregorian(year: int, month: int, day: int) -> date:
    """Gregorian date of a Jalali date; ValueError if it does not exist."""
    return jdatetime.date(year, month, day).togregorian()


@lru_cache(maxsize=4096)  # jdatetime is slow and articles repeat the same few dates
def gregorian_to_jalali(d: date) -> tuple[int, int, int]:
    j = jdatetime.date.fromgregorian(date=d)
    return j.year, j.month, j.day


def jalali_str(d: date) -> str:
    """``YYYY-MM-DD`` in the Jalali calendar (cached conversion)."""
    y, m, dd = gregorian_to_jalali(d)
    return f"{y:04d}-{m:02d}-{dd:02d}"


def _calendar_of_year(y: int) -> str | None:
    if 1200 <= y <= 1499:
        return "jalali"
    if 1900 <= y <= 2100:
        return "gregorian"
    return None


def _make_date(cal: str, y: int, m: int, d: int) -> date | None:
    try:
        if cal == "jalali":
            return jalali_to_gregorian(y, m, d)
        if cal == "gregorian":
            return date(y, m, d)
    except ValueError:
        return None
    return None  # hijri: not converted


def _jalali_month_len(y: int, m: int) -> int:
    if m <= 6:
        return 31
    if m <= 11:
        return 30
    return 30 if jdatetime.date(y, 1, 1).isleap() else 29


def _jalali_range(y: int, m1: int, m2: int) -> tuple[date, date]:
    """Gregorian first and last day of Jalali months m1..m2 of year y."""
    return jalali_to_gregorian(y, m1, 1), jalali_to_gregorian(y, m2, _jalali_month_len(y, m2))


# -- dates -------------------------------------------------------------------------


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \u200c":
        pos += 1
    return pos


def _word_at(text: str, pos: int, words: frozenset[str]) -> int | None:
    """End of one of ``words`` starting at ``pos`` (whole word), else None."""
    for w in words:
        if text.startswith(w, pos):
            e = pos + len(w)
            if e >= len(text) or not (text[e].isalnum() or text[e] == "\u200c"):
                return e
    return None


def _day_before(text: str, pos: int) -> tuple[int, int] | None:
    """(start, day) of a day number or ordinal word ending right before ``pos``."""
    head = text[max(0, pos - 40) : pos].rstrip(" \u200c")
    base = pos - (len(text[max(0, pos - 40) : pos]) - len(head))
    m = re.search(r"(\d{1,2})(?:[ \u200c]?(?:ام|م))?\Z", head)
    if m and 1 <= int(m.group(1)) <= 31 and (m.start() == 0 or not head[m.start() - 1].isdigit()):
        return base - len(head) + m.start(), int(m.group(1))
    # An ordinal word: "اول مهر", "بیست و پنجم اسفند".
    last = re.search(r"[^\W\d_]+\Z", head)
    if last is None or not number_lexicon().ordinals.lookup(last.group()):
        return None
    for n in reversed(find_numbers(head)):
        if n.end == len(head) and n.kind == "ordinal" and 1 <= n.value <= 31:
            return base - len(head) + n.start, int(n.value)
        break
    return None


def _year_after(text: str, pos: int, lex: _DateLexicon) -> tuple[int, int] | None:
    """(end, year) of a year right after ``pos``: "1404", "سال 1404"."""
    p = _skip(text, pos)
    e = _word_at(text, p, lex.year_words)
    if e is not None:
        p = _skip(text, e)
    m = _YEAR.match(text, p)
    if m:
        return m.end(), int(m.group())
    return None


def find_dates(text: str, ref: date | None = None) -> list[DateSpan]:
    """Dates, weekdays, relative days and clock times in normalised ``text``.

    A day and month without a year take the year of ``ref`` (the article date),
    or the year before when that would put the date more than six months after
    ``ref``. Weekdays resolve to the latest such day on or before ``ref``.
    """
    lex = _lexicon()
    out: list[DateSpan] = []
    taken: list[tuple[int, int]] = []

    def add(span: DateSpan) -> None:
        if any(s < span.end and span.start < e for s, e in taken):
            return
        taken.append((span.start, span.end))
        out.append(span)

    for m in _NUM_DATE.finditer(text) if _HAS_NUM_DATE.search(text) else ():
        if m.group("y1"):
            y, mo, d = int(m.group("y1")), int(m.group("m1")), int(m.group("d1"))
        else:
            y, mo, d = int(m.group("y2")), int(m.group("m2")), int(m.group("d2"))
        cal = _calendar_of_year(y)
        g = _make_date(cal, y, mo, d) if cal else None
        if g is None:
            continue
        add(DateSpan(m.start(), m.end(), m.group(), "date", g, jalali_str(g), cal))

    ref_j = gregorian_to_jalali(ref) if ref else None
    weekdays = matches(lex.weekdays, text)
    for mm in matches(lex.months, text):
        cal, month = mm.payloads[0]
        day = _day_before(text, mm.start)
        if day is None:
            continue  # a month alone is a period (find_periods)
        start, d = day
        end = mm.end
        e = _word_at(text, _skip(text, end), lex.month_words)  # "خرداد ماه"
        if e is not None:
            end = e
        yr = _year_after(text, end, lex)
        if yr is not None and _calendar_of_year(yr[1]) in (cal, None if cal == "hijri" else cal):
            end, y = yr
        elif yr is not None and cal == "hijri":
            end, y = yr
        else:
            y = None
        if y is None and len(mm.text) <= 2 and cal != "jalali":
            continue  # "10 می شود": a short Gregorian month name needs its year ("۲۸ دی" does not)
        if y is None and ref is not None and cal == "jalali":
            y = ref_j[0]
            g = _make_date(cal, y, month, d)
            if g is not None and (g - ref).days > 183:
                y -= 1
        elif y is None and ref is not None and cal == "gregorian":
            y = ref.year
            g = _make_date(cal, y, month, d)
            if g is not None and (g - ref).days > 183:
                y -= 1
        g = _make_date(cal, y, month, d) if y is not None else None
        if g is None and y is not None and cal != "hijri":
            continue  # no such day (30 اسفند of a common year)
        # A weekday name right before the day belongs to the date ("دوشنبه ۲۷ مرداد").
        for wd in weekdays:
            if start - 20 <= wd.start and wd.end <= start and re.fullmatch(r"[ \u200c،,]*", text[wd.end : start]):
                start = wd.start
        jal = jalali_str(g) if g else (f"{y:04d}-{month:02d}-{d:02d}" if y and cal == "jalali" else None)
        add(DateSpan(start, end, text[start:end], "date", g, jal, cal))

    for wd in weekdays:
        iso = wd.payloads[0]
        g = None
        if ref is not None:
            g = ref - timedelta(days=(ref.isoweekday() - iso) % 7)
        add(DateSpan(wd.start, wd.end, wd.text, "weekday", g, jalali_str(g) if g else None, "jalali" if g else None))

    for pm in matches(lex.periods, text):
        kind, off = pm.payloads[0]
        if kind != "day" or off is None:
            continue
        g = ref + timedelta(days=off) if ref is not None else None
        add(DateSpan(pm.start, pm.end, pm.text, "relative", g, jalali_str(g) if g else None, "jalali" if g else None))

    for t in find_times(text):
        add(t)
    out.sort(key=lambda s: s.start)
    return out


def find_times(text: str) -> list[DateSpan]:
    """Clock times: ``13:39``, ``ساعت 10``, ``ساعت ۱۰ صبح``, ``ساعت 8:30 عصر``."""
    lex = _lexicon()
    out: list[DateSpan] = []
    seen: set[int] = set()
    for cue in lex_clock_cues().finditer(text):
        p = _skip(text, cue.end)
        m = _CLOCK.match(text, p) or re.compile(r"(?P<h>[01]?\d|2[0-3])(?![\d.,/:])").match(text, p)
        if m is None:
            continue
        h = int(m.group("h"))
        mi = int(m.group("m")) if "m" in m.groupdict() and m.group("m") else 0
        end = m.end()
        dp = lex.day_parts.match_at(text, _skip(text, end))
        if dp is not None:
            if h < 12:
                h += dp.payloads[0]
            end = dp.end
        seen.add(m.start())
        out.append(DateSpan(cue.start, end, text[cue.start : end], "time", time=f"{h % 24:02d}:{mi:02d}"))
    for m in _CLOCK.finditer(text) if ":" in text else ():
        if m.start() in seen:
            continue
        out.append(DateSpan(m.start(), m.end(), m.group(), "time", time=f"{int(m.group('h')):02d}:{m.group('m')}"))
    out.sort(key=lambda s: s.start)
    return out


@lru_cache(maxsize=1)
def lex_clock_cues() -> PhraseMatcher[str]:
    """Words after which a number is a clock time (noise.tsv kind ``clock``)."""
    return PhraseMatcher((fa, r["kind"]) for r in load_table("noise") if r["kind"] == "clock" for fa in split_multi(r["fa"]))


# -- periods ---------------------------------------------------------------------


@lru_cache(maxsize=8)
def _year_phrase(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w\u200c]){re.escape(word)}{_SP}({_YEAR.pattern})")


def _year_period(y: int, cal: str) -> tuple[date, date]:
    if cal == "jalali":
        return _jalali_range(y, 1, 12)
    return date(y, 1, 1), date(y, 12, 31)


def _period(label: str, start: date, end: date, kind: str) -> Period:
    return Period(label, start, end, jalali_str(start), jalali_str(end), None, kind)


def _year_ref(text: str, pos: int, ref: date | None, lex: _DateLexicon) -> tuple[int, int, str] | None:
    """(end, year, calendar) of a year reference at ``pos``: "سال 1403", "سال جاری", "امسال"."""
    p = _skip(text, pos)
    pm = lex.periods.match_at(text, p)
    if pm is not None and pm.payloads[0][0] == "year" and ref is not None and pm.payloads[0][1] is not None:
        return pm.end, gregorian_to_jalali(ref)[0] + pm.payloads[0][1], "jalali"
    e = _word_at(text, p, lex.year_words)
    if e is not None:
        m = _YEAR.match(text, _skip(text, e))
        if m and _calendar_of_year(int(m.group())):
            return m.end(), int(m.group()), _calendar_of_year(int(m.group()))  # type: ignore[return-value]
    return None


@lru_cache(maxsize=8)  # the quantities and claims stages both ask for each article's periods
def find_periods(text: str, ref: date | None = None) -> list[PeriodSpan]:
    """Time periods in normalised ``text``, resolved against the article date ``ref``
    (shared between callers: they must not modify the result).

    A period phrase directly followed by a baseline phrase (``نسبت به سال
    گذشته``) gets ``baseline``: the same window shifted by the baseline's offset
    in years. Relative phrases need ``ref``; without it only absolute years
    and months resolve.
    """
    lex = _lexicon()
    out: list[PeriodSpan] = []
    taken: list[tuple[int, int]] = []
    ref_year = gregorian_to_jalali(ref)[0] if ref else None
    shifts: dict[int, int] = {}  # start of a baseline span -> its offset in years

    def add(s: int, e: int, p: Period) -> PeriodSpan:
        span = PeriodSpan(s, e, text[s:e], p)
        taken.append((s, e))
        out.append(span)
        return span

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in taken)

    for pm in matches(lex.periods, text):
        kind, off = pm.payloads[0]
        s, e = pm.start, pm.end
        if not free(s, e):
            continue  # "امسال" already read as the year of "شش ماهه نخست امسال"
        if kind in ("months_from_start", "months_to_end", "year_to_date"):
            # The year these months belong to: "... سال جاری", "... امسال", "... سال 1403".
            yr = _year_ref(text, e, ref, lex)
            if yr is None:
                tail = re.search(r"([^\W\d_]+)\Z", pm.text)
                if tail and tail.group(1) in lex.year_words:
                    yr = _year_ref(text, s + tail.start(1), ref, lex)
            if yr is not None:
                e = max(e, yr[0])
                y, cal = yr[1], yr[2]
            elif ref_year is not None:
                y, cal = ref_year, "jalali"
            else:
                continue
            if cal != "jalali":
                continue
            if kind == "months_from_start":
                a, b = _jalali_range(y, 1, max(1, min(12, off or 12)))
            elif kind == "months_to_end":
                a, b = _jalali_range(y, 13 - max(1, min(12, off or 1)), 12)
            else:
                a = jalali_to_gregorian(y, 1, 1)
                b = ref if ref is not None and ref.year >= a.year else _jalali_range(y, 1, 12)[1]
            add(s, e, _period(text[s:e], a, b, kind))
        elif kind == "year" and ref_year is not None and off is not None:
            a, b = _jalali_range(ref_year + off, 1, 12)
            add(s, e, _period(pm.text, a, b, "year"))
        elif kind == "month" and ref is not None and off is not None:
            y, mo, _ = gregorian_to_jalali(ref)
            mo += off
            y, mo = y + (mo - 1) // 12, (mo - 1) % 12 + 1
            a, b = _jalali_range(y, mo, mo)
            add(s, e, _period(pm.text, a, b, "month"))
        elif kind == "week" and ref is not None and off is not None:
            # The Iranian week starts on Saturday.
            a = ref - timedelta(days=(ref.isoweekday() - 6) % 7) + timedelta(weeks=off)
            add(s, e, _period(pm.text, a, a + timedelta(days=6), "week"))
        elif kind == "day" and ref is not None and off is not None:
            d = ref + timedelta(days=off)
            add(s, e, _period(pm.text, d, d, "day"))
        elif kind == "baseline" and off is not None and ref_year is not None:
            # Until attached to a period, a baseline stands for the whole year it names.
            a, b = _jalali_range(ref_year + off, 1, 12)
            add(s, e, _period(pm.text, a, b, "baseline"))
            shifts[s] = off

    # Absolute years: "سال 1404", "در سال 2024".
    for yw in lex.year_words:
        for m in _year_phrase(yw).finditer(text):
            y = int(m.group(1))
            cal = _calendar_of_year(y)
            if cal and free(m.start(), m.end()):
                a, b = _year_period(y, cal)
                add(m.start(), m.end(), _period(m.group(), a, b, "year"))

    # Months: "مرداد 1404", "مرداد ماه", "مرداد امسال" (a day before it makes it a date instead).
    for mm in matches(lex.months, text):
        cal, month = mm.payloads[0]
        if cal != "jalali" or _day_before(text, mm.start) is not None or not free(mm.start, mm.end):
            continue
        end = mm.end
        e = _word_at(text, _skip(text, end), lex.month_words)
        if e is not None:
            end = e
        y = None
        yr = _year_ref(text, end, ref, lex)
        if yr is not None and yr[2] == "jalali":
            end, y = yr[0], yr[1]
        else:
            m = _YEAR.match(text, _skip(text, end))
            if m and _calendar_of_year(int(m.group())) == "jalali":
                end, y = m.end(), int(m.group())
        if y is None and end == mm.end and not _MONTH_WORD_END.search(mm.text):
            continue  # a bare month name is too ambiguous (تیر, مهر, دی are common words)
        if y is None:
            if ref_year is None:
                continue
            y = ref_year
        a, b = _jalali_range(y, month, month)
        out = [p for p in out if not (mm.start <= p.start and p.end <= end)]  # "سال جاری" inside
        taken[:] = [(p.start, p.end) for p in out]
        add(mm.start, end, _period(text[mm.start : end], a, b, "month"))

    out.sort(key=lambda p: p.start)
    _attach_baselines(text, out, shifts)
    return out


def _attach_baselines(text: str, spans: list[PeriodSpan], shifts: dict[int, int]) -> None:
    """Give a period the baseline phrase that follows it in the same clause."""
    for k, span in enumerate(spans):
        if span.period.kind != "baseline":
            continue
        prev = spans[k - 1] if k > 0 else None
        if prev is None or prev.period.kind == "baseline":
            continue
        gap = text[prev.end : span.start]
        if len(gap) > 40 or re.search(r"[.!?؟\n؛]", gap):
            continue
        shift = shifts.get(span.start, -1)
        p = prev.period
        base = Period(span.text, _shift_years(p.start, shift), _shift_years(p.end, shift), "", "", None, "baseline")
        base.start_jalali, base.end_jalali = jalali_str(base.start), jalali_str(base.end)
        p.baseline = base
        span.period = base


def _shift_years(d: date, years: int) -> date:
    y, m, dd = gregorian_to_jalali(d)
    y += years
    dd = min(dd, _jalali_month_len(y, m))
    return jalali_to_gregorian(y, m, dd)


def parse_pub_stamp(text: str) -> date | None:
    """The date of a publication stamp in ``text`` (raw or normalised), else None.

    Recognises a date next to a clock time (``13:39 - 31-06-1401``,
    ``1401/06/31 - 13:39``) and a date after a stamp cue (``تاریخ انتشار:``).
    """
    t = normalize(text).text
    lex = _lexicon()
    dates = [d for d in find_dates(t) if d.kind == "date" and d.date is not None]
    if not dates:
        return None
    for cue in lex.stamp_cues.finditer(t):
        for d in dates:
            if 0 <= d.start - cue.end <= 30:
                return d.date
    times = [m.span() for m in _CLOCK.finditer(t)]
    for d in dates:
        for s, e in times:
            gap = t[e : d.start] if e <= d.start else t[d.end : s]
            if len(gap) <= 5 and re.fullmatch(r"[ \u200c\-–|،,]*", gap):
                return d.date
    return None
