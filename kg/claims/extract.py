"""The `claims` stage: every statistic tied to its speaker, agency, measure, period, place.

Input layers: sentences, people/organisations/places (resolve), quantities.
A quantity becomes a claim when it is a statistic (kind ``number`` or
``percent``; dates, years, ordinals, codes, durations were already told apart
by the quantities stage) in a sentence that somebody says — an official, or
the reporter (speaker None, "reported by the publisher").

All matching runs on the normalised text; claims carry original offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.claims.attribution import Attributor, SentenceVoice, statements_from
from kg.claims.totals import link_totals
from kg.document import Claim, Document, Quantity
from kg.entities.gazetteer import gazetteer, starts_verb
from kg.pipeline import Context, stage
from kg.resources import load_table, split_multi
from kg.text.lexmatch import PhraseMatcher
from kg.text.normalize import clean, fold

STATISTIC_KINDS = ("number", "percent", "money")
TIME_UNITS = ("decade", "year", "month", "week", "day", "hour", "minute")
_CODE_CHARS = "(){}[]<>=*+^|\\$#@_"  # glued to a bare number: markup or code, not prose
# Units that are themselves the counted noun ("۱۱۸ روستا", "۸۶ پروژه"), unless the word is generic.
_NOUN_UNITS = ("count", "village", "household", "country")
_GENERIC_UNIT_WORDS = frozenset(fold(w) for w in ("مورد", "فقره", "عدد", "نفر", "تن", "درصد"))
_CLAUSE_END = re.compile(r"[،,:؛;.!?؟\n«»()]|(?<![\w\u200c])(?:که|اینکه|این که|این‌که)(?![\w\u200c])")
_WORD = re.compile(r"[^\W\d_]+(?:\u200c[^\W\d_]+)*|\d+(?:[.,/]\d+)*|[^\s\w\u200c]")
MAX_MEASURE_WORDS = 6
_CRITERION = re.compile(r"(?<![\w\u200c])با[ \u200c]+(?:بیش از|بیشتر از|بالای|بالاتر از|کمتر از|زیر)[ \u200c]+\Z")
_DIGIT = re.compile(r"\d")
_ANAPHOR = re.compile(r"(?<![\w\u200c])(?:این|همین|آن|همان)[ \u200c]+\Z")
_EVENT_INTRO = re.compile(r"(?<![\w\u200c])(?:در|طی|در طول|در جریان)\s+")
_EVENT_DAYS = ("امروز", "دیروز", "صبح امروز", "ظهر امروز", "عصر امروز")


@dataclass(slots=True)
class _Lex:
    function_words: dict[str, str]
    directions: PhraseMatcher[str]
    totals: PhraseMatcher[str]
    measure_stops: frozenset[str]
    light_verbs: frozenset[str]
    number_words: frozenset[str]
    measure_lead: PhraseMatcher[str]
    speech: PhraseMatcher[str]
    thresholds: PhraseMatcher[str]
    counted_nouns: frozenset[str]
    time_cues: PhraseMatcher[str]
    day_kinds: PhraseMatcher[str]


def _lexicons(ctx: Context) -> _Lex:
    gaz = gazetteer(ctx)
    return _Lex(
        function_words=gaz.function_words,
        directions=PhraseMatcher((r["fa"], r["direction"]) for r in load_table("directions")),
        totals=PhraseMatcher((r["fa"], r["en"]) for r in load_table("totals")),
        measure_stops=frozenset(fold(r["fa"]) for r in load_table("measure_stops")),
        light_verbs=frozenset(fold(r["fa"]) for r in load_table("measure_stops") if r["kind"] == "light_verb"),
        number_words=frozenset(fold(r["fa"]) for r in load_table("numbers")),
        measure_lead=PhraseMatcher((r["fa"], r["kind"]) for r in load_table("measure_lead")),
        speech=gaz.speech_verbs,
        counted_nouns=frozenset(fold(fa) for r in load_table("counted_nouns") for fa in split_multi(r["fa"])),
        thresholds=PhraseMatcher((r["fa"], r["en"]) for r in load_table("threshold_markers")),
        time_cues=PhraseMatcher((r["fa"], r["en"]) for r in load_table("time_statistic_cues") if r["place"] != "after"),
        day_kinds=PhraseMatcher((r["fa"], r["en"]) for r in load_table("time_statistic_cues") if r["place"] == "after"),
    )


class ClaimExtractor:
    def __init__(self, ctx: Context):
        self.lex = _lexicons(ctx)
        self.attributor = Attributor(gazetteer(ctx))
        self._dates = None

    def __call__(self, doc: Document) -> None:
        norm = doc.norm
        text = norm.text
        voices = self.attributor(doc)
        doc.statements = statements_from(voices, doc)
        periods = self._periods(doc)
        places = self._place_spans(doc)
        default_place = self._main_place(doc)
        nq = [(norm.norm_offset(q.start), norm.norm_offset(q.end), q) for q in doc.quantities]
        # names and titles end a measure phrase ("… ۹۰ لیتر است، دهمرده افزود")
        self._stops = sorted((norm.norm_offset(m.start), norm.norm_offset(m.end)) for m in doc.mentions
                             if m.label in ("PER", "TITLE"))
        claims: list[Claim] = []
        headline_claims: list[Claim] = []
        for v in voices:
            inside = [t for t in nq if v.start <= t[0] < v.end]
            for qi, (qs, qe, q) in enumerate(inside):
                if q.kind not in STATISTIC_KINDS or self._not_a_statistic(text, qs, qe, q):
                    continue
                speaker = v.speaker
                person = doc.people.get(speaker) if speaker else None
                cs, ce = self._clause(text, v.start, v.end, qs, qe)
                prev_end = max([t[1] for t in inside[:qi] if t[1] <= qs and t[1] > cs] or [cs])
                measure = self._measure(text, qs, qe, prev_end, ce, q, cs)
                c = Claim(
                    value=q.value,
                    unit=q.unit or "count",
                    start=q.start,
                    end=q.end,
                    sentence_start=norm.orig_offset(v.start),
                    sentence_end=norm.to_original(v.start, v.end)[1],
                    measure=measure,
                    approximate=q.approximate,
                    lower=q.lower,
                    upper=q.upper,
                    direction=q.direction,
                    speaker=speaker,
                    agency=person.agency if person else None,
                )
                c.is_total = self._is_total(text, cs, qs)
                self._period(c, periods, v, qs)
                if c.period is None:
                    c.period = self._event_period(text, inside, v.start, qs)
                c.place = self._place(places, v, qs, qe) or default_place
                (headline_claims if v.headline else claims).append(c)
        claims = _merge_restated(_merge_repeats(claims))
        for h in headline_claims:  # a headline figure repeats one of the body's
            twin = next((c for c in claims if c.value == h.value and c.unit == h.unit
                         and (h.speaker is None or c.speaker == h.speaker)), None)
            if twin is not None:
                twin.evidence.append((h.start, h.end))
            else:
                claims.insert(0, h)
        claims.sort(key=lambda c: c.start)
        link_totals(claims, doc)
        doc.claims = claims

    # -- pieces ----------------------------------------------------------
    def _not_a_statistic(self, text: str, qs: int, qe: int, q: Quantity) -> bool:
        """A criterion ("دو معلول یا بیشتر"), a time frame ("طی هفت ماه گذشته"), or a
        bare number in markup or code ("alert(1)", "{0}", "{{7*7}}")."""
        if q.unit is None:
            before = text[max(0, qs - 1):qs]
            after_ch = text[qe:qe + 1]
            if (before and before in _CODE_CHARS) or (after_ch and after_ch in _CODE_CHARS):
                return True
        after = qe + (len(text[qe:]) - len(text[qe:].lstrip()))
        nxt = _WORD.match(text, after)
        if nxt is not None and nxt.group()[0].isalpha():
            # the threshold may follow the counted noun: "دو عضو معلول یا بیشتر"
            for pos in (after, nxt.end() + 1):
                if self.lex.thresholds.match_at(text, pos):
                    return True
        crit = _CRITERION.search(text, max(0, qs - 20), qs)
        if crit is not None and _DIGIT.search(text, max(0, crit.start() - 40), crit.start()):
            # "۴۲۰ کلاس با بیش از ۳۵ دانش‌آموز": a criterion that picks the classes just counted
            # ("استان بوشهر با بیش از ۹۰۰ کیلومتر نوار ساحلی" counts nothing before: a statistic)
            return True
        if _ANAPHOR.search(text, max(0, qs - 8), qs):
            return True  # "این پنج کشور", "این سه بیمار": the figure was given before
        if q.unit in TIME_UNITS:
            # a length of time is a statistic only when measured: "میانگین زمان انتظار ۱۵ روز",
            # the cue anywhere earlier in its clause ("میانگین زمان رسیدگی … از ۱۴۵ روز به ۹۸ روز")
            lo = max(0, qs - 200)
            for m in _CLAUSE_END.finditer(text, lo, qs):
                lo = m.end()
            window = text[min(lo, max(0, qs - 60)):qs]
            if any(True for _ in self.lex.time_cues.finditer(window)):
                return False
            # "۴۲ روز ناسالم", "۱۹ روز هوای پاک", "۷ روز در وضعیت ناسالم": days of a kind, counted
            m = _CLAUSE_END.search(text, qe, qe + 30)
            return not any(True for _ in self.lex.day_kinds.finditer(text, qe, m.start() if m else qe + 30))
        return False

    @staticmethod
    def _clause(text: str, s: int, e: int, qs: int, qe: int) -> tuple[int, int]:
        cs = s
        for m in _CLAUSE_END.finditer(text, s, qs):
            cs = m.end()
        m = _CLAUSE_END.search(text, qe, e)
        return cs, (m.start() if m else e)

    def _measure(self, text: str, qs: int, qe: int, lo: int, hi: int, q: Quantity, clause_start: int) -> str | None:
        """What is counted: the phrase after the number (`… نفر از اتباع غیرمجاز`,
        `کاهش ۳۱ درصدی سرقت‌های مهم`), else the subject before it (`کسری برق استان`)."""
        after = self._phrase_after(text, qe, hi)
        # the counted noun is part of what is counted: "۱۱ خودرو", "۸۶ پروژه", "هیچ کدام از اتباع …"
        if q.unit_text and q.unit_text in q.text and (
                fold(q.unit_text) in self.lex.counted_nouns
                or (q.unit in _NOUN_UNITS and fold(q.unit_text) not in _GENERIC_UNIT_WORDS)):
            if after:
                return clean(f"{q.unit_text} {after}")
            # "اتباع خارجی از ۱۲۰ کشور": the subject says whose countries
            context = self._phrase_before(text, lo, qs)
            return clean(f"{q.unit_text} {context or ''}")
        if after:
            return after
        before = self._phrase_before(text, lo, qs)
        if not before and lo > clause_start:  # "… با کاهش ۵.۷ درصدی به ۳۴۱ هزار مورد رسید"
            before = self._phrase_before(text, clause_start, qs)
        if before:
            return before
        # "۲ هزار و ۹۸۰ نفر در تصادفات جاده‌ای جان باختند": what follows the preposition
        m = _WORD.search(text, qe, hi)
        if m is not None and fold(m.group()) in ("در", "از", "با"):
            return self._phrase_after(text, m.end(), hi)
        return None

    def _phrase_after(self, text: str, pos: int, hi: int) -> str | None:
        words: list[tuple[int, int, str]] = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, pos, hi)]
        i = 0
        lead = self.lex.measure_lead.match_at(text, words[0][0]) if words else None
        if lead is not None:  # "از", "از مجموع", ...
            while i < len(words) and words[i][0] < lead.end:
                i += 1
        out: list[str] = []
        while i < len(words) and len(out) < MAX_MEASURE_WORDS:
            s, e, w = words[i]
            key = fold(w)
            if not w[0].isalpha() or key in self.lex.measure_stops or self.lex.speech.match_at(text, s):
                break
            if self.lex.directions.match_at(text, s) or self._in_stop_span(s):
                break  # "… ۸ درصد کاهش نشان می‌دهد": the direction, not what is counted
            if i + 1 < len(words) and self._verb_next(words[i + 1][2]):
                break  # "… مگاوات صادر شده است": a verb's first part, not what is counted
            if key == "و":
                nxt = words[i + 1: i + 3]
                if not nxt or any(not x[2][0].isalpha() or self.lex.directions.match_at(text, x[0]) for x in nxt) \
                        or fold(nxt[0][2]) in self.lex.measure_stops:
                    break
            out.append(w)
            i += 1
        while out and fold(out[-1]) in self.lex.function_words:
            out.pop()
        return clean(" ".join(out)) or None

    def _in_stop_span(self, pos: int) -> bool:
        for s, e in getattr(self, "_stops", ()):
            if s <= pos < e:
                return True
            if s > pos:
                break
        return False

    def _verb_next(self, w: str) -> bool:
        """Is ``w`` the second part of a compound verb ("صادر شده", "اعلام می‌شود")?
        A copula ("قانونی هستند") is not: the word before it is still part of the phrase."""
        key = fold(w)
        return starts_verb(key) or key in self.lex.light_verbs

    def _phrase_before(self, text: str, lo: int, qs: int) -> str | None:
        # the speaker's name or title opening the clause is not what is counted
        words = [m.group() for m in _WORD.finditer(text, lo, qs)
                 if m.group()[0].isalpha() and not self._in_stop_span(m.start())]
        # cut at the first preposition that starts an adjunct ("… برق خورشیدی در استان قم به میزان")
        out: list[str] = []
        for w in words:
            key = fold(w)
            if out and self.lex.function_words.get(key) == "preposition":
                break
            if out and (key in self.lex.light_verbs or self.lex.function_words.get(key) in ("verb", "auxiliary")):
                out = []  # "خشکسالی موجب شد تولید گندم دیم …": the phrase after the verb
                continue
            if not out and (key in self.lex.function_words or key in self.lex.measure_stops
                            or key in self.lex.number_words):
                continue  # "یک نیروگاه …": a leading "one" is an article, not part of the measure
            out.append(w)
        while out and (fold(out[-1]) in self.lex.function_words or fold(out[-1]) in self.lex.measure_stops):
            out.pop()
        return clean(" ".join(out[:MAX_MEASURE_WORDS])) or None

    def _is_total(self, text: str, cs: int, qs: int) -> bool:
        window_start = max(cs, qs - 60)
        return any(True for _ in self.lex.totals.finditer(text, window_start, qs))

    def _periods(self, doc: Document):
        try:
            from kg.text.dates import find_periods
        except ImportError:  # pragma: no cover
            return []
        import datetime as dt

        ref = dt.date.fromisoformat(doc.metadata.date) if doc.metadata.date else None
        return find_periods(doc.norm.text, ref)

    @staticmethod
    def _period(c: Claim, periods, v: SentenceVoice, qs: int) -> None:
        best = None
        # "امروز" dates the event, not the statistic
        in_sentence = [p for p in periods if v.start <= p.start < v.end and p.text not in _EVENT_DAYS]
        # a baseline ("نسبت به سال گذشته") qualifies the main period; use it alone only when alone
        if any(p.period.kind != "baseline" for p in in_sentence):
            in_sentence = [p for p in in_sentence if p.period.kind != "baseline"]
        for p in in_sentence:
            if True:
                # the period phrase before the number wins; else the nearest after it
                if best is None or (p.start < qs and (best.start > qs or p.start > best.start)):
                    best = p
        if best is None:
            return
        per = best.period
        c.period = per.label
        c.period_start = per.start.isoformat() if per.start else None
        c.period_end = per.end.isoformat() if per.end else None
        if per.baseline is not None:
            c.baseline = per.baseline.label

    @staticmethod
    def _event_period(text: str, inside, lo: int, qs: int) -> str | None:
        """An event as the period: "در جنگ تحمیلی ۱۲ روزه …" (a duration-qualified noun before the number)."""
        for ds, de, d in reversed(inside):
            if d.kind == "duration" and de <= qs and lo <= ds:
                m = None
                for m in _EVENT_INTRO.finditer(text, max(lo, ds - 40), ds):
                    pass
                if m is not None:
                    return clean(text[m.end():de])
        return None

    @staticmethod
    def _place_spans(doc: Document) -> list[tuple[int, int, str, str | None]]:
        norm = doc.norm
        out = []
        for p in doc.places.values():
            for s, e in p.spans:
                out.append((norm.norm_offset(s), norm.norm_offset(e), p.key, p.kind))
        return sorted(out)

    @staticmethod
    def _place(places, v: SentenceVoice, qs: int, qe: int) -> str | None:
        best, dist = None, None
        for s, e, key, kind in places:
            if v.start <= s < v.end:
                d = (s - qe) if s >= qe else (qs - e) + 5  # a place after the number reads as "in X"
                if kind == "country":
                    d += 40
                if dist is None or d < dist:
                    best, dist = key, d
        return best

    @staticmethod
    def _main_place(doc: Document) -> str | None:
        ranked = sorted(
            (p for p in doc.places.values() if p.kind in ("province", "city")),
            key=lambda p: (-len(p.spans), p.spans[0][0] if p.spans else 0),
        )
        return ranked[0].key if ranked else None


def _merge_repeats(claims: list[Claim]) -> list[Claim]:
    """One statistic, one claim: a figure repeated with the same speaker and measure
    (lead and body, a paragraph printed twice) keeps one claim with every span."""
    out: list[Claim] = []
    for c in claims:
        twin = next((o for o in out if o.value == c.value and o.unit == c.unit and o.speaker == c.speaker
                     and o.direction == c.direction and _same_measure(o.measure, c.measure)), None)
        if twin is None:
            out.append(c)
        else:
            twin.evidence.append((c.start, c.end))
    return out


def _merge_restated(claims: list[Claim]) -> list[Claim]:
    """A figure restated about the same thing is the first statement's claim: the reporter's
    lead or summary repeating an official ("… ۱۳ درصد کاهش یافته" above "… گفت: … ۱۳ درصد"),
    or a second official quoting or disputing the first one's number."""
    out: list[Claim] = []
    for c in claims:
        twin = None
        if c.speaker is None:  # the reporter: the official's claim, before or after
            twin = next((o for o in claims if o is not c and o.speaker is not None and _restates(c, o)), None)
        else:
            twin = next((o for o in out if o.speaker is not None and o.speaker != c.speaker and _restates(c, o)), None)
        if twin is None:
            out.append(c)
        else:
            twin.evidence.append((c.start, c.end))
    return out


def _restates(a: Claim, b: Claim) -> bool:
    return a.value == b.value and a.unit == b.unit and bool(content_words(a.measure) & content_words(b.measure))


def content_words(measure: str | None) -> set[str]:
    """The words of a measure phrase that say what is counted, folded, without plural endings."""
    words = set()
    for w in clean(measure or "").replace("\u200c", " ").split():
        k = fold(w)
        for suffix in ("های", "ها", "ان"):
            if k.endswith(suffix) and len(k) > len(suffix) + 2:
                k = k[: -len(suffix)]
                break
        if len(k) > 2:
            words.add(k)
    return words


def _same_measure(a: str | None, b: str | None) -> bool:
    """The same phrase, or one that only adds words after the other ("مهدکودک" and "مهدکودک فعال")."""
    if not a or not b:
        return False
    wa, wb = ([fold(w) for w in x.split()] for x in (a, b))
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return long_[:len(short)] == short


@stage("claims", requires=("entities", "quantities", "sentences"), provides=("claims", "statements"))
def extract_claims(doc: Document, ctx: Context) -> None:
    ctx.get("claim_extractor", lambda: ClaimExtractor(ctx))(doc)
