"""Sentences and tokens, with offsets into the original text.

Sentence ends: ``.``, ``!``, ``?``, ``؟``, ``…`` and line breaks; a dot between
digits (``3.5``) or inside an abbreviation/URL does not end a sentence, and a
closing quote or bracket stays with its sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from kg.document import Document, Sentence, Token
from kg.pipeline import Context, stage

_SENT_END = re.compile(r"(?<!\d)[.!?؟…]+(?!\d)[»\")\]]*|(?<=\d)[.!?؟]+(?=\s|$)[»\")\]]*|\n")
_TOKEN = re.compile(r"\d+(?:[.,/]\d+)*|[^\W\d_]+(?:\u200c[^\W\d_]+)*|[^\s\w\u200c]")


_PARA = re.compile(r"\n[ \t]*\n")


def split_sentences(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph) of each sentence in ``text`` (normalised)."""
    breaks = [m.end() for m in _PARA.finditer(text)]
    out: list[tuple[int, int, int]] = []
    start = 0
    for m in list(_SENT_END.finditer(text)) + [None]:
        end = m.end() if m else len(text)
        seg = text[start:end]
        if seg.strip():
            s = start + len(seg) - len(seg.lstrip())
            out.append((s, start + len(seg.rstrip()), bisect_right(breaks, s)))
        start = end
    return out


@stage("segment", requires=("normalize",), provides=("sentences", "tokens"))
def segment(doc: Document, ctx: Context) -> None:
    norm = doc.norm
    assert norm is not None
    text = norm.text
    body = norm.norm_offset(doc.body_start) if doc.body_start else None
    for s, e, p in split_sentences(text):
        if body is not None and e <= body:
            continue  # metadata lines are not sentences
        os_, oe = norm.to_original(s, e)
        doc.sentences.append(Sentence(os_, oe, p))
    matches = list(_TOKEN.finditer(text))
    spans = norm.to_original_many([m.span() for m in matches])
    doc.tokens.extend([Token(os_, oe, m.group()) for (os_, oe), m in zip(spans, matches)])
