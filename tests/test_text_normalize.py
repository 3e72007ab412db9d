"""Normalisation: one spelling for every later regex, offsets back to the original."""

from __future__ import annotations

import pytest

from kg.text.normalize import clean, fold, normalize

Z = "\u200c"

CASES = [
    # (original, normalised)
    ("كيك", "کیک"),  # Arabic kaf and yeh
    ("مؤسسه‌ای", "مؤسسه" + Z + "ای"),
    ("۱۴۰۴", "1404"),  # Persian digits
    ("٢٠٢٥", "2025"),  # Arabic-Indic digits
    ("۲۶٫۳", "26.3"),  # Arabic decimal separator
    ("۱٬۲۵۰", "1,250"),  # Arabic thousands separator
    ("۸0 درصد", "80 درصد"),  # mixed digit scripts in one number
    ("مـــدیر", "مدیر"),  # tatweel
    ("کِتاب", "کتاب"),  # diacritics
    ("بین" + Z + "المللی", "بین" + Z + "المللی"),  # ZWNJ between letters stays
    ("بین" + Z + Z + "المللی", "بین" + Z + "المللی"),  # doubled ZWNJ
    ("سلام" + Z + " دنیا", "سلام دنیا"),  # ZWNJ next to a space
    (Z + "آغاز", "آغاز"),  # ZWNJ at the text edge
    ("الف\r\nب", "الف\nب"),  # CR LF
    ("الف\u00a0ب", "الف ب"),  # no-break space
    ("الف\u2003ب", "الف ب"),  # em space
    ("خبر\u200fها", "خبرها"),  # bidi mark
    ("تأکید", "تاکید"),  # hamza on alef
    ("خانهٔ", "خانه"),  # heh with yeh above
    ("ﻻ", "لا"),  # presentation form
    ("می\u00acشود", "می" + Z + "شود"),  # NOT SIGN typed for ZWNJ
]


@pytest.mark.parametrize("original,expected", CASES)
def test_normalize(original, expected):
    assert normalize(original).text == expected


@pytest.mark.parametrize("original,expected", CASES)
def test_whole_text_maps_back_to_whole_original(original, expected):
    norm = normalize(original)
    os_, oe = norm.to_original(0, len(norm.text))
    assert normalize(original[os_:oe]).text == expected
    # What lies outside the span is only noise the normaliser drops.
    assert normalize(original[:os_] + original[oe:]).text.strip() == ""


def test_offsets_skip_dropped_characters():
    original = "مـــدیر کل ۱۸ هزار"
    norm = normalize(original)
    s = norm.text.index("18")
    os_, oe = norm.to_original(s, s + 2)
    assert original[os_:oe] == "۱۸"
    s = norm.text.index("مدیر")
    assert original[slice(*norm.to_original(s, s + 4))] == "مـــدیر"


def test_norm_offset_is_inverse_of_orig_offset():
    original = "كِتاب ۱۲ ﻻ"
    norm = normalize(original)
    for i in range(len(norm.text)):
        assert norm.norm_offset(norm.orig_offset(i)) <= i
        assert norm.orig_offset(norm.norm_offset(norm.orig_offset(i))) == norm.orig_offset(i)


@pytest.mark.parametrize(
    "a,b",
    [("علی اکبر", "علی" + Z + "اکبر"), ("علی اکبر", "علیاکبر"), ("اهل بیت (ع)", "اهلبیت(ع)")],
)
def test_fold_ignores_spacing(a, b):
    assert fold(a) == fold(b)


def test_clean_collapses_spaces():
    assert clean("  مدیر \n  کل ") == "مدیر کل"


def test_substitution_is_the_table_for_every_character():
    """The regex-driven substitution changes exactly what the one-to-one table says, everywhere."""
    from kg.text.normalize import _SUBST, _substitute

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert _substitute(every) == every.translate(str.maketrans(_SUBST))
