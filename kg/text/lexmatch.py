"""Find lexicon phrases in normalised text, whatever the ZWNJ and spacing.

A phrase is compiled into a trie-shaped regex where each space or ZWNJ of the
lexicon entry matches a space, a ZWNJ or nothing, so ``بین‌المللی``,
``بین المللی`` and ``بینالمللی`` all match. Matches must sit on word
boundaries (ZWNJ counts as part of a word). Longest match wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from kg.text.normalize import fold

T = TypeVar("T")

_SEP = "\x00"  # stands for "space or ZWNJ" inside the trie
_SEP_RE = r"[ \u200c]*"
_LEFT = r"(?<![\w\u200c])"
_RIGHT = r"(?![\w\u200c])"


def _trie_regex(phrases: Iterable[str]) -> str:
    trie: dict = {}
    for p in phrases:
        node = trie
        for ch in re.sub(r"[ \u200c]+", _SEP, p):
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = []
        for ch in sorted(k for k in node if k):
            head = _SEP_RE if ch == _SEP else re.escape(ch)
            alts.append(head + build(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    return build(trie)


@dataclass(slots=True)
class Match(Generic[T]):
    start: int
    end: int
    text: str
    payloads: list[T]


class PhraseMatcher(Generic[T]):
    """Matches many phrases at once; each phrase carries one or more payloads."""

    def __init__(self, entries: Iterable[tuple[str, T]], *, suffix: str = "", boundary: bool = True):
        self._by_key: dict[str, list[T]] = {}
        phrases = set()
        for phrase, payload in entries:
            phrase = phrase.strip()
            if not phrase:
                continue
            phrases.add(phrase)
            self._by_key.setdefault(fold(phrase), []).append(payload)
        if not phrases:
            self._re = None
            self._first: frozenset[str] | None = None
            return
        # What a match can start with, so match_at turns other positions down (about a third) without
        # the regex (none when a phrase starts with a ZWNJ: the regex may match it as nothing).
        first = frozenset(p[0] for p in phrases)
        self._first = None if first & {" ", "\u200c"} else first
        left, right = (_LEFT, _RIGHT) if boundary else ("", "")
        # The suffix (e.g. plural ها) is optional and stays outside the payload key.
        self._re = re.compile(f"{left}({_trie_regex(phrases)}){suffix}{right}")

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Match[T]]:
        if self._re is None:
            return
        for m in self._re.finditer(text, pos, len(text) if endpos is None else endpos):
            payloads = self._by_key.get(fold(m.group(1)))
            if payloads:
                yield Match(m.start(), m.end(), m.group(0), payloads)

    def match_at(self, text: str, pos: int) -> Match[T] | None:
        """The longest phrase starting exactly at ``pos``."""
        if self._re is None or (self._first is not None and text[pos:pos + 1] not in self._first):
            return None
        m = self._re.match(text, pos)
        if m:
            payloads = self._by_key.get(fold(m.group(1)))
            if payloads:
                return Match(m.start(), m.end(), m.group(0), payloads)
        return None

    def lookup(self, phrase: str) -> list[T]:
        return self._by_key.get(fold(phrase), [])
