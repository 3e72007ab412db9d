"""Page furniture: related-news headlines, tag lines and bylines pasted with an article.

Their numbers are no claims ("بیشتر بخوانید: آغاز کشت ۲۲ هزار هکتار گندم …") and their
names are no sources ("خبرنگار: مریم …"). Markers live in ``kg/resources/furniture.tsv``;
spans are in the offsets of the text given (normalised text in the pipeline).
"""

from __future__ import annotations

from functools import lru_cache

from kg.resources import load_table, split_multi
from kg.text.lexmatch import PhraseMatcher

MAX_HEADLINE = 160  # a related headline is one short line with no full stop


@lru_cache(maxsize=1)
def _markers() -> PhraseMatcher[str]:
    return PhraseMatcher((fa, r["kind"]) for r in load_table("furniture") for fa in split_multi(r["fa"]))


@lru_cache(maxsize=8)  # the stages that need them (quantities, entities) ask for the same text
def furniture_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of every furniture block in ``text``, in order."""
    if not text:
        return ()
    out: list[tuple[int, int]] = []
    markers = _markers()
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        start = pos + len(text[pos:end]) - len(text[pos:end].lstrip(" \u200c\t-–•*"))
        m = markers.match_at(text, start) if start < end else None
        if m is not None and (m.payloads[0] == "line" or _is_marker_line(text, m.end, end)):
            if m.payloads[0] == "line":
                out.append((start, end))
            else:
                block_end = _headlines_end(text, end)
                out.append((start, block_end))
                end = block_end
        pos = end + 1
    return tuple(out)


def _is_marker_line(text: str, after: int, end: int) -> bool:
    """"بیشتر بخوانید:" alone on its line (or followed by one headline), not a sentence using the words."""
    rest = text[after:end].strip(" \u200c:：-–")
    return len(rest) <= MAX_HEADLINE and not rest.endswith((".", "؛", "!", "؟"))


def _headlines_end(text: str, end: int) -> int:
    """End of the headline lines that follow a "related" marker line ending at ``end``."""
    pos, last = end + 1, end
    while pos < len(text):
        stop = text.find("\n", pos)
        stop = len(text) if stop == -1 else stop
        line = text[pos:stop].strip()
        if line:
            if len(line) > MAX_HEADLINE or line.endswith((".", "؛", "!", "؟", ":")):
                break
            last = stop
        elif last > end and pos > last + 1:
            break  # a second blank line after the headlines: the block is over
        pos = stop + 1
    return last


def inside(spans: tuple[tuple[int, int], ...], pos: int) -> bool:
    return any(a <= pos < b for a, b in spans)
