"""Bytes to text: UTF-8 (with or without BOM), UTF-16/32 with BOM, Windows-1256.

Older Persian sites and Word exports still use Windows-1256; it decodes almost
any byte string, so it is accepted only when the result is mostly Arabic-script
text. Binary files and archives are refused by their content, not their name.
Every refusal is one line naming the file.
"""

from __future__ import annotations

import re

from pathlib import Path

from kg.errors import InputError

MAX_FILE_BYTES = 64 * 1024 * 1024  # one article file (txt/html); corpora are streamed, not read whole

_MAGIC = {
    b"PK\x03\x04": "a zip archive",
    b"PK\x05\x06": "a zip archive",
    b"\x1f\x8b": "a gzip archive",
    b"\xfd7zXZ\x00": "an xz archive",
    b"\x28\xb5\x2f\xfd": "a zstd archive",
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"7z\xbc\xaf": "a 7z archive",
    b"Rar!": "a RAR archive",
    b"\x7fELF": "a program (ELF)",
    b"\xd0\xcf\x11\xe0": "an old Office document",
    b"SQLite format 3\x00": "an SQLite database",
}
# BOMs, longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
# (Formats without a distinctive text-safe prefix, such as Windows programs or
# bzip2, are caught by their NUL and control bytes instead.)
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def sniff_binary(head: bytes) -> str | None:
    """What a file that starts with ``head`` is, when it is clearly not text."""
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return what
    return None


def _persian_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\u0600" <= c <= "\u06ff") / len(letters)


# Cc characters other than the allowed ones (one regex pass instead of a per-character loop)
_CONTROLS = re.compile("[" + "".join(re.escape(chr(c)) for c in [*range(0x20), *range(0x7F, 0xA0)]
                                     if chr(c) not in _ALLOWED_CONTROLS) + "]")


def check_text(text: str, name: str) -> str:
    """Refuse decoded text that is really binary (NULs or many control characters)."""
    if "\x00" in text:
        raise InputError(f"{name}: binary file (NUL characters), not a text article")
    sample = text[:65536]
    controls = len(_CONTROLS.findall(sample))
    if controls > max(8, len(sample) // 100):
        raise InputError(f"{name}: binary file ({controls} control characters), not a text article")
    return text


def decode_bytes(data: bytes, name: str) -> str:
    """Decode an article's bytes, or raise a one-line InputError naming ``name``."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return check_text(data.decode(codec), name)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: not valid {codec.upper()} ({exc.reason} at byte {exc.start})") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    what = sniff_binary(data)
    if what:
        raise InputError(f"{name}: looks like {what}, not a text article")
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: binary file (NUL bytes), not a text article")
    try:
        return check_text(data.decode("utf-8"), name)
    except UnicodeDecodeError as exc:
        utf8_error = f"not valid UTF-8 ({exc.reason} at byte {exc.start})"
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    if text and _persian_ratio(text) >= 0.5:
        return check_text(text, name)
    raise InputError(f"{name}: {utf8_error}, and not Windows-1256 Persian either")


def read_text_file(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{path}: {size} bytes is too large for one article (limit {MAX_FILE_BYTES})")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode_bytes(data, str(path))
