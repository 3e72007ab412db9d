"""Persian numbers in normalised text: digits, number words and their mixtures.

Everything here works on NORMALISED text (see `kg.text.normalize`): digits
are ASCII, ``٫`` is ``.`` and ``٬`` is ``,``. Offsets are normalised offsets.

The number words, their values and their grammatical kind come from
``kg/resources/numbers.tsv``; ordinal words from ``ordinals.tsv``. This module
holds only the grammar that combines them:

    number    := fraction | groups ["و" fraction | "و" half] [multiplier]
    groups    := group ("و" group)*     each group smaller than the place before it
    group     := small scale* | scale+  ("هفت هزار میلیارد" = 7 * 10^3 * 10^9)
    small     := DIGITS | hundreds ["و" tens] | tens
    hundreds  := HUNDRED | UNIT "صد"    ("هفت صد" = "هفتصد")
    tens      := TEN ["و" UNIT] | TEEN | UNIT
    fraction  := groups DENOMINATOR | HALF  ("دو دهم", "یک سوم", "نیم")
    ordinal   := [groups "و"] ORDINAL | DIGITS "ام"

``و`` joins two groups only when the right one is smaller than the place of
the left one, so ``18 هزار و 700`` is one number and ``10 و 20`` two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.resources import load_table, split_multi
from kg.text.lexmatch import PhraseMatcher
from kg.text.normalize import normalize

# Digits: grouped thousands (1,250 / 1،250 / 1.250.000), decimals with "." or
# "/" (26/3 درصد is 26.3), or plain. A group separator must be followed by
# exactly three digits, so "10،20" stays two numbers.
_RUN = re.compile(r"\d+")  # a fast scan for where digits start; _DIGITS then reads the number
_DIGITS = re.compile(
    r"(?:"
    r"(?P<sep>\d{1,3}(?:[,،]\d{3})+(?![\d]))(?P<sepdec>\.\d+)?"
    r"|(?P<dots>\d{1,3}(?:\.\d{3}){2,})(?![\d.])"
    r"|(?P<slash>\d+/\d+)(?![\d/])"
    r"|(?P<plain>\d+(?:\.\d+)?)"
    r")"
)
# Digits glued to an ordinal suffix: 12ام, 12امین, 3مین.
_ORD_SUFFIX = re.compile(r"[ \u200c]?(?:امین|ام|مین)(?![\w\u200c])")
_PLURAL = re.compile(r"[ \u200c]?ها(?![\w\u200c])")  # "صد ها", "میلیون‌ها": vague, not a number
_AND = re.compile(r"[ \u200c]*و[ \u200c]*\Z")
_ADJ = re.compile(r"[ \u200c]*\Z")
# after "هیچ …": a rule or a promise, not a count ("نباید", "نخواهد"; "نمی‌…" is tested apart)
_NOT_A_FACT = frozenset(("نباید", "نخواهد", "نخواهیم", "نخواهند", "نخواهم", "نشود", "نباشد"))
_NEXT_WORD = re.compile(r"[ \u200c]*([^\W\d_]+(?:\u200c[^\W\d_]+)*)")

# Token kinds as named in numbers.tsv, plus our own.
UNIT, TEEN, TEN, HUNDRED, SCALE = "unit", "teen", "ten", "hundred", "scale"
FRACTION, DENOM, MULT, ZERO = "fraction", "fraction_denominator", "multiplier", "zero"
ZERO_PHRASE = "zero_phrase"
DIGITS, ORDINAL = "digits", "ordinal"


@dataclass(slots=True)
class NumberSpan:
    """One number expression in normalised text.

    ``kind`` is ``cardinal``, ``ordinal`` (سومین, 12ام, بیست و یکم) or
    ``multiplier`` (``دو برابر``: value 2; ``multiplier_end`` is where the
    multiplier word ends). ``zero_word`` marks a quantifying zero (``هیچ کدام``).
    """

    start: int
    end: int
    value: float
    text: str
    is_word: bool
    kind: str = "cardinal"
    multiplier_end: int | None = None
    zero_word: bool = False
    scale: float = 1.0  # the scale of a one-group number ("۷ هزار": 1000), else 1


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    kinds: dict[str, float]  # kind -> value (a word may be e.g. both ordinal and denominator)
    is_word: bool
    text: str = ""


@dataclass(slots=True)
class _Parse:
    value: float
    j: int  # index of the first token after the parse
    place: float = 1.0  # magnitude of the last group (a following "و" group must be below it)
    groups: int = 1


@dataclass(slots=True)
class NumberLexicon:
    words_and_ordinals: PhraseMatcher[tuple[str, float]]
    zwnj_hundreds: re.Pattern[str]
    glued_scales: re.Pattern[str]
    unit_values: dict[str, float]
    ordinals: PhraseMatcher[float]
    weekdays: PhraseMatcher[str]
    counted: frozenset[str] = field(default_factory=frozenset)


@lru_cache(maxsize=1)
def lexicon() -> NumberLexicon:
    """The compiled number lexicon (built once per process from the TSV files)."""
    entries: list[tuple[str, tuple[str, float]]] = []
    for row in load_table("numbers"):
        kind = row["kind"]
        value = float(row["value"])
        for fa in split_multi(row["fa"]):
            if kind == ZERO and re.search(r"[ \u200c]", fa):
                # "هیچ کدام" quantifies by itself; a bare "هیچ" only before a noun.
                entries.append((fa, (ZERO_PHRASE, value)))
                continue
            entries.append((fa, (kind, value)))
    ordinals = [(fa, float(row["value"])) for row in load_table("ordinals") for fa in split_multi(row["fa"])]
    # Rarer ordinals are the cardinal plus -م/-مین (دویستمین, میلیونم); -ام/-امین after a vowel (سی‌ام).
    listed = {fa for fa, _ in ordinals}
    for fa, (kind, value) in entries:
        if kind in (TEEN, TEN, HUNDRED, SCALE) and " " not in fa:
            sfx = ("\u200cام", "\u200cامین") if fa.endswith("ی") else ("م", "مین")
            ordinals += [(fa + x, value) for x in sfx if fa + x not in listed]
    weekdays = [(fa, fa) for row in load_table("weekdays") for fa in split_multi(row["fa"])]
    counted = frozenset(fa for row in load_table("counted_nouns") for fa in split_multi(row["fa"])) | frozenset(
        row["fa"] for row in load_table("units") if row.get("kind") == "count")  # "هیچ مورد", "هیچ فقره"
    # "هفت‌صد": a unit word glued to صد by ZWNJ (with a space the parser joins them).
    units = "|".join(re.escape(fa) for fa, (kind, _) in entries if kind == UNIT)
    hundred = "|".join(re.escape(fa) for fa, (kind, v) in entries if kind == HUNDRED and v == 100 and len(fa) <= 3)
    # One matcher for number and ordinal words: one scan of the text instead of two.
    both = entries + [(fa, (ORDINAL, v)) for fa, v in ordinals]
    # "یکهزار", "سه‌میلیون", "پانصدهزار": a number word written joined to its scale
    small = "|".join(sorted((re.escape(fa) for fa, (kind, _) in entries if kind in (UNIT, TEEN, TEN, HUNDRED)
                             and " " not in fa), key=len, reverse=True))
    scales = "|".join(re.escape(fa) for fa, (kind, _) in entries if kind == SCALE and " " not in fa)
    return NumberLexicon(
        words_and_ordinals=PhraseMatcher(both),
        zwnj_hundreds=re.compile(f"(?<![\\w\u200c])({units})\u200c(?:{hundred})(?![\\w\u200c])"),
        glued_scales=re.compile(f"(?<![\\w\u200c])({small})\u200c?({scales})(?![\\w\u200c])"),
        unit_values={fa: v for fa, (kind, v) in entries if kind == UNIT},
        ordinals=PhraseMatcher(ordinals),
        weekdays=PhraseMatcher(weekdays),
        counted=counted,
    )


@lru_cache(maxsize=64)
def matches(matcher: PhraseMatcher, text: str) -> tuple:
    """All matches of ``matcher`` in ``text``, remembered for the last texts seen.

    Numbers, dates and quantities look for the same lexicons (months,
    weekdays, periods) in the same article; this scans each text once.
    """
    return tuple(matcher.finditer(text))


def _digit_value(m: re.Match[str]) -> float:
    if m.group("sep"):
        v = float(re.sub(r"[,،]", "", m.group("sep")))
        if m.group("sepdec"):
            v += float("0" + m.group("sepdec"))
        return v
    if m.group("dots"):
        return float(m.group("dots").replace(".", ""))
    if m.group("slash"):
        return float(m.group("slash").replace("/", "."))
    return float(m.group("plain"))


def _slash_is_decimal(text: str, m: re.Match[str]) -> bool:
    """``26/3`` is a decimal; ``1403/05/24`` a date, ``پیام/268`` a code, ``1403/05`` a month."""
    s, e = m.span("slash")
    if s > 0 and text[s - 1] in "/-":
        return False
    left, right = m.group("slash").split("/")
    if len(left) == 4 and len(right) <= 2 and left[:2] in ("13", "14", "19", "20"):
        return False  # year/month
    return True


def _tokens(text: str, lex: NumberLexicon) -> list[_Tok]:
    toks: list[_Tok] = []
    consumed = 0
    for run in _RUN.finditer(text):
        p = run.start()
        if p < consumed or (p > 0 and text[p - 1] == "." and p > 1 and text[p - 2].isdigit()):
            continue  # inside a number read already
        m = _DIGITS.match(text, p)
        if m is None:
            continue
        consumed = m.end()
        if m.group("slash") and not _slash_is_decimal(text, m):
            # A date or code: its parts are separate integers.
            base = m.start("slash")
            for p in re.finditer(r"\d+", m.group("slash")):
                toks.append(_Tok(base + p.start(), base + p.end(), {DIGITS: float(p.group())}, False, p.group()))
            continue
        tok = _Tok(m.start(), m.end(), {DIGITS: _digit_value(m)}, False, m.group())
        o = _ORD_SUFFIX.match(text, m.end())
        if o and "." not in m.group():
            tok.end = o.end()
            tok.kinds = {ORDINAL: tok.kinds[DIGITS]}
            tok.text = text[tok.start : tok.end]
        toks.append(tok)
    weekday_spans = [(w.start, w.end) for w in matches(lex.weekdays, text)]
    for w in lex.words_and_ordinals.finditer(text):
        if weekday_spans and any(s <= w.start < e for s, e in weekday_spans):
            continue  # "سه شنبه" is Tuesday, not three
        kinds = {k: v for k, v in w.payloads}
        toks.append(_Tok(w.start, w.end, kinds, True, w.text))
    if "\u200c" in text:
        for m in lex.zwnj_hundreds.finditer(text):
            v = lex.unit_values.get(m.group(1))
            if v:
                toks.append(_Tok(m.start(), m.end(), {HUNDRED: v * 100}, True, m.group()))
    for m in lex.glued_scales.finditer(text):  # two tokens, as if a space stood between them
        for g in (1, 2):
            kinds = {k: v for k, v in lex.words_and_ordinals.lookup(m.group(g))}
            toks.append(_Tok(m.start(g), m.end(g), kinds, True, m.group(g)))
    toks.sort(key=lambda t: (t.start, -t.end))
    # Merge tokens at the same span (a word that is both a denominator and an ordinal)
    # and drop tokens nested in a longer one.
    out: list[_Tok] = []
    for t in toks:
        if out and t.start < out[-1].end:
            if t.start == out[-1].start and t.end == out[-1].end:
                for k, v in t.kinds.items():
                    out[-1].kinds.setdefault(k, v)
            continue
        out.append(t)
    return out


class _Parser:
    """Recursive descent over the number tokens of one text."""

    def __init__(self, text: str, toks: list[_Tok], lex: NumberLexicon):
        self.text = text
        self.toks = toks
        self.lex = lex
        n = len(toks)
        # link[i]: how token i connects to token i+1: "adj", "and" or None.
        self.link: list[str | None] = []
        for i in range(n - 1):
            gap = text[toks[i].end : toks[i + 1].start]
            if _ADJ.match(gap):
                self.link.append("adj")
            elif len(gap) <= 5 and _AND.match(gap):
                self.link.append("and")
            else:
                self.link.append(None)
        self.link.append(None)
        self.limit = n  # tokens at or past the limit are invisible (see _split_fraction)
        self.scale = 1.0

    def k(self, i: int, kind: str) -> float | None:
        if i >= self.limit:
            return None
        return self.toks[i].kinds.get(kind)

    def linked(self, i: int, how: str) -> bool:
        """Token i-1 connects to token i by ``how``."""
        return 0 < i < len(self.toks) and self.link[i - 1] == how

    # -- integer parts -------------------------------------------------------

    def tens(self, i: int) -> _Parse | None:
        v = self.k(i, TEN)
        if v is not None:
            u = self.k(i + 1, UNIT)
            if u is not None and self.linked(i + 1, "and"):
                return _Parse(v + u, i + 2)
            return _Parse(v, i + 1, 10.0)  # "بیست" may still take "و یکم"
        for kind in (TEEN, UNIT):
            v = self.k(i, kind)
            if v is not None:
                return _Parse(v, i + 1)
        return None

    def small(self, i: int) -> _Parse | None:
        d = self.k(i, DIGITS)
        if d is not None:
            return _Parse(d, i + 1)
        h = self.k(i, HUNDRED)
        j = i + 1
        if h is None:
            u = self.k(i, UNIT)
            if u is not None and self.k(i + 1, HUNDRED) == 100 and self.linked(i + 1, "adj"):
                h, j = u * 100, i + 2  # "هفت صد"
        if h is not None:
            if self.linked(j, "and"):
                t = self.tens(j)
                if t is None and self.k(j, DIGITS) is not None and self.k(j, DIGITS) < 100:
                    t = _Parse(self.k(j, DIGITS), j + 1)  # "صد و 20"
                if t is not None:
                    return _Parse(h + t.value, t.j, t.place)
            return _Parse(h, j, 100.0)
        return self.tens(i)

    def scales(self, i: int) -> tuple[float, int]:
        prod, j = 1.0, i
        while self.k(j, SCALE) is not None and (j == i or self.linked(j, "adj")):
            prod *= self.k(j, SCALE)
            j += 1
        return prod, j

    def group(self, i: int) -> _Parse | None:
        s = self.small(i)
        if s is not None:
            if self.linked(s.j, "adj") and self.k(s.j, SCALE) is not None:
                prod, j = self.scales(s.j)
                return _Parse(s.value * prod, j, prod)
            # "یک و نیم میلیون": a half between the number and its scale.
            half = self.k(s.j, FRACTION)
            if half is not None and self.linked(s.j, "and") and self.linked(s.j + 1, "adj"):
                prod, j = self.scales(s.j + 1)
                if j > s.j + 1:
                    return _Parse((s.value + half) * prod, j, prod)
            return _Parse(s.value, s.j, s.place)
        if self.k(i, SCALE) is not None:
            prod, j = self.scales(i)
            return _Parse(prod, j, prod)
        return None

    def groups(self, i: int, greedy: bool = False) -> _Parse | None:
        """Groups joined by "و". Unless ``greedy``, stop before a group that is the
        numerator of a fraction ("یک هزار و یک صدم" = 1000 + 1/100)."""
        g = self.group(i)
        if g is None:
            return None
        total, place, j = g.value, g.place, g.j
        count = 1
        while self.linked(j, "and"):
            nxt = self.group(j)
            if nxt is not None and nxt.place > place and 0 < nxt.value / nxt.place < place:
                # "هزار و ۸۵۰ میلیارد": a larger scale after "و" multiplies all before it.
                total = (total + nxt.value / nxt.place) * nxt.place
                place, j = nxt.place, nxt.j
                continue
            if nxt is None or not (0 < nxt.value < place):
                break
            # A denominator right after means the right side is a fraction ("و یک صدم").
            if not greedy and self.denominator(nxt.j) is not None:
                break
            total += nxt.value
            place, j = nxt.place, nxt.j
            count += 1
        return _Parse(total, j, place, count)

    # -- fractions -------------------------------------------------------------

    def denominator(self, i: int) -> tuple[float, int] | None:
        if not self.linked(i, "adj"):
            return None
        d = self._denom(i)
        if d is not None:
            return d, i + 1
        # "ده هزارم", "صد هزارم": a power of ten in front of a denominator.
        head = self.k(i, TEEN) if self.k(i, TEEN) == 10 else self.k(i, HUNDRED)
        if head in (10.0, 100.0) and self.linked(i + 1, "adj"):
            d = self._denom(i + 1)
            if d is not None:
                return head * d, i + 2
        return None

    def _denom(self, i: int) -> float | None:
        # numbers.tsv gives a denominator as the value of one part (سوم = 1/3).
        part = self.k(i, DENOM)
        return round(1 / part) if part else None

    def fraction(self, i: int) -> _Parse | None:
        half = self.k(i, FRACTION)
        if half is not None:
            return _Parse(half, i + 1)
        num = self.groups(i, greedy=True)
        if num is not None:
            den = self.denominator(num.j)
            # Only proper fractions: otherwise "یک هزار و یک صدم" would be 1001/100.
            if den is not None and num.value < den[0]:
                return _Parse(num.value / den[0], den[1])
        return None

    # -- whole numbers ---------------------------------------------------------

    def number(self, i: int) -> tuple[float, int, str] | None:
        """(value, end token index, kind) of the number starting at token ``i``.

        ``self.scale`` is left at the scale of a one-group cardinal (for ranges).
        """
        self.scale = 1.0
        if self.k(i, DIGITS) is None and self.k(i, ORDINAL) is not None and len(self.toks[i].kinds) == 1:
            return self.k(i, ORDINAL), i + 1, "ordinal"
        f = self.fraction(i)
        if f is not None:
            return f.value, f.j, "cardinal"
        g = self.groups(i)
        if g is None:
            if self.k(i, ORDINAL) is not None:
                return self.k(i, ORDINAL), i + 1, "ordinal"
            return None
        value, j = g.value, g.j
        if self.denominator(j) is not None:
            split = self._split_fraction(i, j)  # "هشتصد و شصت و دو دهم" = 860.2
            if split is not None:
                return split[0], split[1], "cardinal"
        if self.linked(j, "and"):
            half = self.k(j, FRACTION)
            frac = self.fraction(j)
            if half is not None:
                value += half * g.place  # "دو میلیون و نیم" = 2.5 million
                j += 1
            elif frac is not None and frac.value < 1:
                value += frac.value  # "21 و 2 دهم" = 21.2
                j = frac.j
            elif self.k(j, ORDINAL) is not None and self.k(j, ORDINAL) < g.place and self.toks[i].is_word:
                return value + self.k(j, ORDINAL), j + 1, "ordinal"  # "بیست و یکم"
            else:
                split = self._split_fraction(i, j)
                if split is not None:
                    return split[0], split[1], "cardinal"
        if g.groups == 1 and g.place > 1 and j == g.j:
            self.scale = g.place
        return value, j, "cardinal"

    def _split_fraction(self, i: int, j: int) -> tuple[float, int] | None:
        """Integer "و" proper fraction, split at the leftmost "و" that works.

        "هشتصد و شصت و دو دهم" is 860.2, not 862/10: the parse above took
        "شصت و دو" as one tens group, so try every "و" as the split point.
        """
        last = j
        while last + 1 < len(self.toks) and self.link[last] is not None:
            last += 1
        if not any(DENOM in t.kinds for t in self.toks[j : last + 1]):
            return None
        for k in range(i + 1, last + 1):
            if self.link[k - 1] != "and":
                continue
            self.limit = k
            try:
                ip = self.groups(i, greedy=True)
            finally:
                self.limit = len(self.toks)
            if ip is None or ip.j != k:
                continue
            fr = self.fraction(k)
            if fr is not None and fr.value < 1:
                return ip.value + fr.value, fr.j
        return None


def _zero_quantifies(text: str, end: int, lex: NumberLexicon) -> int | None:
    """End of the zero phrase if ``هیچ`` at ``..end`` quantifies what follows, else None.

    ``هیچ`` + a counted noun (``هیچ مورد``, ``هیچ بیماری``, ``هیچ پرونده‌ای``: also in its
    indefinite form) quantifies; ``هیچ وقت``, ``به هیچ وجه``, ``هیچ تلاشی`` do not. Nor does
    a zero in a rule or a promise (``هیچ کشاورزی نباید …``, ``هیچ تماسی بی‌پاسخ نمی‌ماند``):
    a modal or a present/future negation in the words that follow.
    """
    m = _NEXT_WORD.match(text, end)
    if m is None:
        return None
    word = m.group(1)
    stem = word.removesuffix("\u200cای") if word.endswith("\u200cای") else word.removesuffix("ی")
    if word not in lex.counted and stem not in lex.counted:
        return None
    for w in _NEXT_WORD.findall(text[m.end(): m.end() + 80])[:8]:
        if w in _NOT_A_FACT or w.startswith("نمی"):
            return None
    return end


def find_numbers(text: str) -> list[NumberSpan]:
    """Every number expression in normalised ``text``, left to right, not overlapping."""
    lex = lexicon()
    toks = _tokens(text, lex)
    if not toks:
        return []
    parser = _Parser(text, toks, lex)
    out: list[NumberSpan] = []
    i = 0
    n = len(toks)
    while i < n:
        tok = toks[i]
        if ZERO_PHRASE in tok.kinds:
            out.append(NumberSpan(tok.start, tok.end, tok.kinds[ZERO_PHRASE], tok.text, True, zero_word=True))
            i += 1
            continue
        if ZERO in tok.kinds and len(tok.kinds) == 1:
            # The zero quantifier (هیچ) counts only where it quantifies what follows.
            end = _zero_quantifies(text, tok.end, lex)
            if end is not None:
                out.append(NumberSpan(tok.start, end, tok.kinds[ZERO], text[tok.start : end], True, zero_word=True))
                while i < n and toks[i].start < end:
                    i += 1
                continue
            i += 1
            continue
        if tok.is_word and _PLURAL.match(text, tok.end) and (SCALE in tok.kinds or HUNDRED in tok.kinds or TEEN in tok.kinds):
            i += 1  # "صدها", "میلیون ها": an indefinite amount
            continue
        parsed = parser.number(i)
        if parsed is None:
            i += 1
            continue
        value, j, kind = parsed
        start, end = tok.start, toks[j - 1].end
        is_word = any(t.is_word for t in toks[i:j])
        mult_end = None
        if kind == "cardinal" and j < n and MULT in toks[j].kinds and parser.linked(j, "adj"):
            kind, mult_end = "multiplier", toks[j].end
            end = toks[j].end
            j += 1
        out.append(NumberSpan(start, end, value, text[start:end], is_word, kind, mult_end, scale=parser.scale))
        i = j
    return out


def parse_number(s: str) -> float | None:
    """The value of ``s`` if the whole phrase is one number expression, else None.

    ``s`` may be raw text; it is normalised first.
    """
    t = normalize(s).text.strip(" \u200c\n")
    if not t:
        return None
    spans = find_numbers(t)
    if len(spans) == 1 and spans[0].start == 0 and spans[0].end == len(t):
        return spans[0].value
    return None
