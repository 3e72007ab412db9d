"""Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1256.

Older Persian sites and Word exports still use Windows-1256; it decodes almost
any byte string, so it is accepted only when the result is mostly Arabic-script
text. Binary files and archives are refused by their content, not their name.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import InputError

_MAGIC = {
    b"PK\x03\x04": "a zip archive",
    b"\x1f\x8b": "a gzip archive",
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"7z\xbc\xaf": "a 7z archive",
    b"Rar!": "a RAR archive",
    b"\x7fELF": "a program (ELF)",
}


def _persian_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\u0600" <= c <= "\u06ff") / len(letters)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode an article's bytes, or raise a one-line InputError naming ``name``."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: not valid UTF-16 ({exc.reason} at byte {exc.start})") from None
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{name}: looks like {what}, not a text article")
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: binary file (NUL bytes), not a text article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = f"not valid UTF-8 ({exc.reason} at byte {exc.start})"
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    if text and _persian_ratio(text) >= 0.5:
        return text
    raise InputError(f"{name}: {utf8_error}, and not Windows-1256 Persian either")


def read_text_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode_bytes(data, str(path))
