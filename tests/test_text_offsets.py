"""The bulk offset map agrees with the one-span map on arbitrary text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.text.normalize import normalize

PERSIANISH = st.text(alphabet="ابپتيكيى\u200c\u200d\u0640\u064b\u064e \n\r\t۱۲3٫٬ﻻﷲ\u200f\ufeffa", max_size=40)


@settings(max_examples=300, deadline=None)
@given(PERSIANISH)
def test_to_original_many_matches_to_original(text):
    norm = normalize(text)
    n = len(norm.text)
    spans = [(a, b) for a in range(n + 1) for b in range(a, min(n, a + 6) + 1)]
    assert norm.to_original_many(spans) == [norm.to_original(a, b) for a, b in spans]
