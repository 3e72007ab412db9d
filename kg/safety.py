"""Untrusted strings made safe for where they go: messages, file names, ids.

Article text, ids and file names come from the input and may hold anything:
newlines and terminal escapes (which would break the one-line error contract
or repaint the user's terminal), bidi overrides (which make a message read
differently than it is), path separators and ``..`` (which would climb out of
the output folder if an id ever became a file name).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

# Bidi embeddings, overrides and isolates: they reorder what follows them on screen.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
MAX_MESSAGE = 600  # characters; a longer message is cut (it is one terminal line, not a report)
MAX_ID = 300  # characters of an article id


def one_line(message: object, limit: int = MAX_MESSAGE) -> str:
    """``message`` as one printable line: line breaks become spaces, control and
    bidi characters become ``\\xNN``/``\\uNNNN`` escapes, long text is cut."""
    out: list[str] = []
    for ch in str(message):
        if ch in "\r\n\t\v\f\u2028\u2029\x85":
            out.append(" ")
        elif ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs"):
            out.append(ch.encode("unicode_escape").decode("ascii") if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    text = re.sub(r" {2,}", " ", "".join(out)).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def check_article_id(value: object, where: str = "") -> str:
    """A usable article id from an input value (string or integer), else ValueError.

    Ids are used in IRIs (via `kg.graph.iris.slug`, which escapes everything
    else) and in the claims table; they are never used as paths (see
    `safe_filename`). Controls are refused because they cannot be shown to the
    user faithfully; the length is bounded because every IRI repeats the id.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"'id' must be a string or an integer, not {type(value).__name__}")
    doc_id = str(value).strip()
    if not doc_id:
        raise ValueError("'id' is empty")
    if len(doc_id) > MAX_ID:
        raise ValueError(f"'id' is longer than {MAX_ID} characters")
    bad = next((ch for ch in doc_id if unicodedata.category(ch) in ("Cc", "Cs")), None)
    if bad is not None:
        raise ValueError(f"'id' contains the control character U+{ord(bad):04X}")
    return doc_id


_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_FILENAME_MAX = 120  # characters before the hash; keeps names well under every filesystem's limit


def safe_filename(doc_id: str, suffix: str = "") -> str:
    """A file name for an article id that cannot leave its folder, on any OS.

    Letters and digits of any script (Persian stays readable), ``-`` and ``_``
    are kept; every other character (``/ \\ : . * ? " < > |``, spaces,
    controls) becomes ``_``. Because that is lossy, a short hash of the exact
    id is appended whenever anything was changed, so two ids never share a file.
    """
    raw = unicodedata.normalize("NFC", str(doc_id))
    kept = "".join(ch if (ch.isalnum() and unicodedata.category(ch)[0] in "LN") or ch in "-_" else "_" for ch in raw)
    kept = kept[:_FILENAME_MAX]
    if kept != raw or not kept or kept.lower() in _WINDOWS_RESERVED:
        digest = hashlib.sha256(str(doc_id).encode("utf-8", "surrogatepass")).hexdigest()[:10]
        kept = f"{kept or 'article'}-{digest}"
    return kept + suffix


def safe_path(folder: str | os.PathLike, doc_id: str, suffix: str = "") -> Path:
    """``folder/<safe_filename(doc_id)><suffix>``, checked to lie directly inside ``folder``."""
    base = Path(folder).resolve()
    target = (base / safe_filename(doc_id, suffix)).resolve()
    if target.parent != base:  # cannot happen with safe_filename; checked because it is cheap
        raise ValueError(f"article id {one_line(repr(doc_id), 80)} would leave {base}")
    return target


def is_loopback_host(host: str) -> bool:
    """Is ``host`` this machine (localhost, 127.0.0.0/8, ::1)?"""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
