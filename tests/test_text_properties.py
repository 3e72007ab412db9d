"""Property tests of the text layer (hypothesis).

The normaliser's offset invariant, stated precisely: for every span ``(s, e)``
of the normalised text whose ends do not fall inside the expansion of one
original character (an Arabic presentation form such as ﻻ becomes two letters),
``(os, oe) = to_original(s, e)`` and

    normalize(original[os:oe]).text  ==  norm.text[s:e]

up to ZWNJ at the two edges: a ZWNJ kept between two letters in the full text
is dropped at the edge of the cut-out piece, where it no longer has a letter
on both sides. Everything else is local, so nothing else may differ.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from num2fawords import words

from kg.text.normalize import normalize
from kg.text.numbers import find_numbers, parse_number
from kg.text.quantities import extract_quantities

ZWNJ = "\u200c"

# Text biased towards what the normaliser treats specially, plus any Unicode.
_SPECIAL = list(
    "يىكةۀأإٱ٫٬۰۱۲۳٤٥٦٧٨٩0123456789\u200c\u200c\u200d\u200b\u064b\u064e\u0640\r\n\t \u00a0\u202f"
    "\ufefb\ufef5\ufdfa\ufe70\ufe8e\u00ac\u200e\u2029ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی.,،؛:!؟%٪/-"
)
_FRAGMENTS = ["می\u200cشود", "بین\u200c\u200cالمللی", "ها\u200c ", "\u200c\u200c", "\r\n", "۱۸ هزار و ۷۰۰", "بَ\u200cا", "ﻻ\u200cب"]
texts = st.lists(
    st.one_of(st.sampled_from(_SPECIAL), st.sampled_from(_FRAGMENTS), st.characters()), max_size=40
).map("".join)


def _clean_boundary(norm, i: int) -> bool:
    """True when normalised offset ``i`` does not split one original character's expansion."""
    if i in (0, len(norm.text)):
        return True
    return norm.orig_offset(i - 1) != norm.orig_offset(i)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.data())
def test_normalize_offset_invariant(original, data):
    norm = normalize(original)
    n = len(norm.text)
    s = data.draw(st.integers(0, n))
    e = data.draw(st.integers(s, n))
    assume(_clean_boundary(norm, s) and _clean_boundary(norm, e))
    os_, oe = norm.to_original(s, e)
    assert 0 <= os_ <= oe <= len(original)
    again = normalize(original[os_:oe]).text
    assert again.strip(ZWNJ) == norm.text[s:e].strip(ZWNJ)


@settings(max_examples=300)
@given(texts)
@example("\r\u200c\r\n")  # found by CI: a CR, a ZWNJ, then CR LF (the first CR survived one pass)
def test_normalize_is_idempotent(original):
    once = normalize(original).text
    assert normalize(once).text == once


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_find_numbers_never_crashes_and_spans_lie_within_text(original):
    text = normalize(original).text
    prev_end = 0
    for n in find_numbers(text):
        assert prev_end <= n.start < n.end <= len(text)
        assert text[n.start : n.end] == n.text
        prev_end = n.end
    for q in extract_quantities(text):
        assert 0 <= q.start < q.end <= len(text)


@settings(max_examples=300)
@given(st.integers(0, 10**13))
def test_number_words_round_trip_integers(n):
    assert parse_number(words(n)) == n


@settings(max_examples=200)
@given(st.integers(0, 10**7), st.integers(1, 3), st.data())
def test_number_words_round_trip_decimals(whole, places, data):
    # num2fawords' decimal wording is ambiguous when the whole part ends in a ten or a
    # hundred ("سیصد و چهل و پنج صدم" is 300.45 or 340.05); a last digit of 1-9 is not.
    if whole % 10 == 0 and whole:
        whole += data.draw(st.integers(1, 9))
    frac = data.draw(st.integers(1, 10**places - 1))
    value = round(whole + frac / 10**places, places)
    got = parse_number(words(value))
    assert got is not None and abs(got - value) < 1e-9 * max(1.0, value)


@settings(max_examples=200)
@given(st.integers(0, 10**9))
def test_digits_with_separators_round_trip(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".replace(",", "٬")) == n
