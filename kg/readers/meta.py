"""Article metadata given by the input: leading ``key value`` lines and date values."""

from __future__ import annotations

import datetime as dt
import re

import jdatetime

from kg.document import Metadata
from kg.text.normalize import normalize

# Keys whose value is one token; the article body may follow on the same line
# (real exports glue `date 2025-08-18` to the first sentence).
TOKEN_KEYS = {"date", "url", "id", "lang"}
# Keys whose value is the rest of the line.
LINE_KEYS = {"publisher", "title", "source", "author"}
_KEY = re.compile(r"[ \t\ufeff]*([A-Za-z_]+)[ \t]*[:=]?[ \t]+")
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def parse_date(value: str) -> str | None:
    """ISO Gregorian date from ``2025-08-18``, ``1404/05/27`` (Jalali), ISO datetimes."""
    m = _DATE.search(normalize(value).text)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    try:
        if y < 1700:  # a Jalali year
            return jdatetime.date(y, mo, d).togregorian().isoformat()
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def split_metadata(text: str) -> tuple[Metadata, int]:
    """Read leading metadata from an article; return it and where the body starts."""
    meta = Metadata()
    pos = 0
    while True:
        m = _KEY.match(text, pos)
        if not m or m.group(1).lower() not in TOKEN_KEYS | LINE_KEYS:
            break
        key = m.group(1).lower()
        if key in TOKEN_KEYS:
            vm = re.compile(r"\S+").match(text, m.end())
        else:
            vm = re.compile(r"[^\n]+").match(text, m.end())
        if not vm:
            break
        value = vm.group().strip()
        if key == "date":
            iso = parse_date(value)
            if iso is None:
                break  # not a metadata line after all
            meta.date = iso
        elif key == "url":
            if not re.match(r"[a-z][a-z0-9+.-]*://", value, re.I):
                break
            meta.url = value
        elif key in ("publisher", "title", "source"):
            setattr(meta, key, value)
        else:
            meta.extra[key] = value
        pos = vm.end()
        # the body starts after following blanks on the same line or the newline
        nl = re.compile(r"[ \t]*\n?").match(text, pos)
        pos = nl.end() if nl else pos
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return meta, pos
