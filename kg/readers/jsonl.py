"""JSONL corpora (optionally gzip-compressed), streamed line by line.

Lines are read as bytes and decoded one at a time, so one line with broken
bytes, bad JSON, a missing ``text`` or an absurd length is one reported
error, and the lines after it are still read. Compression is recognised by
content (a ``.jsonl`` that is really gzip is read too). JSONL is UTF-8 by
definition; a UTF-16 corpus with a BOM is accepted as well because Windows
tools write it.
"""

from __future__ import annotations

import codecs
import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from kg.document import Document
from kg.errors import InputError
from kg.readers.decode import check_text, sniff_binary
from kg.readers.meta import parse_date
from kg.readers.text import MAX_ARTICLE_CHARS, document_from_text
from kg.safety import check_article_id

if TYPE_CHECKING:  # pragma: no cover
    from kg.readers import ReadError

# Bytes in one line. JSON may escape every Persian letter as \uXXXX (6 bytes),
# so this leaves room for an article of MAX_ARTICLE_CHARS; longer is refused unparsed.
MAX_LINE = 6 * MAX_ARTICLE_CHARS
_CHUNK = 1 << 20


class _Truncated(Exception):
    """The file ends in the middle (a cut-off download or copy)."""


def _open(path: Path) -> tuple[IO[bytes], str | None]:
    """The file's byte stream (decompressed when gzip) and its UTF-16 codec, if any."""
    try:
        raw = open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        head = raw.read(8)
        raw.seek(0)
        fh: IO[bytes] = raw
        if head.startswith(b"\x1f\x8b"):
            fh = gzip.GzipFile(fileobj=raw, mode="rb")
            head = fh.peek(8)[:8] if hasattr(fh, "peek") else b""
        elif path.name.lower().endswith(".gz") and head:
            raise InputError(f"{path}: not gzip-compressed, although the name ends in .gz")
        for bom in (b"\xff\xfe", b"\xfe\xff"):
            if head.startswith(bom) and not head.startswith(b"\xff\xfe\x00\x00"):
                return fh, "utf-16"
        what = sniff_binary(head)
        if what:
            raise InputError(f"{path}: looks like {what}, not a JSONL corpus")
        return fh, None
    except (OSError, EOFError, zlib.error) as exc:
        raw.close()
        raise InputError(f"{path}: unreadable ({exc})") from None
    except BaseException:
        raw.close()
        raise


def _byte_lines(fh: IO[bytes]) -> Iterator[tuple[bytes, bool]]:
    """(line, too_long) for each line, reading at most MAX_LINE bytes of any line."""
    while True:
        try:
            line = fh.readline(MAX_LINE + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise _Truncated(str(exc) or type(exc).__name__) from None
        if not line:
            return
        if len(line) > MAX_LINE and not line.endswith(b"\n"):
            while True:  # skip the rest of the line in bounded chunks
                try:
                    rest = fh.readline(_CHUNK)
                except (OSError, EOFError, zlib.error) as exc:
                    raise _Truncated(str(exc) or type(exc).__name__) from None
                if not rest or rest.endswith(b"\n"):
                    break
            yield b"", True
        else:
            yield line, False


def _utf16_lines(fh: IO[bytes]) -> Iterator[tuple[bytes, bool]]:
    """The same for a UTF-16 corpus: lines re-encoded as UTF-8 (decode errors are per line)."""
    reader = codecs.getreader("utf-16")(fh, errors="strict")
    while True:
        try:
            line = reader.readline(MAX_LINE // 2 + 1, keepends=True)
        except UnicodeDecodeError as exc:
            raise _Truncated(f"not valid UTF-16 ({exc.reason})") from None
        except (OSError, EOFError, zlib.error) as exc:
            raise _Truncated(str(exc) or type(exc).__name__) from None
        if not line:
            return
        yield line.encode("utf-8", "surrogatepass"), False


def _decode_line(line: bytes, first: bool) -> str:
    if first and line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 ({exc.reason} at byte {exc.start} of the line)") from None
    return check_text(text, "line")


def _document(record: object, path: Path, lineno: int) -> Document:
    if not isinstance(record, dict):
        raise InputError(f"line is a JSON {_json_type(record)}, not an object")
    text = record.get("text")
    if text is None:
        raise InputError("missing 'text'")
    if not isinstance(text, str):
        raise InputError(f"'text' is a JSON {_json_type(text)}, not a string")
    if not text.strip():
        raise InputError("empty 'text'")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(f"article too long ({len(text)} characters; the limit is {MAX_ARTICLE_CHARS})")
    if "\x00" in text:
        raise InputError("'text' contains NUL characters")
    raw_id = record.get("id")
    if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
        doc_id = f"{path.name.split('.')[0]}-{lineno}"
    else:
        try:
            doc_id = check_article_id(raw_id)
        except ValueError as exc:
            raise InputError(str(exc)) from None
    source = f"{path}:{lineno}"
    try:
        doc = document_from_text(doc_id, text, source)
    except InputError as exc:
        raise InputError(str(exc).removeprefix(f"{source}: ")) from None
    for key in ("url", "publisher", "title"):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            setattr(doc.metadata, key, value.strip())
    date = record.get("date")
    if isinstance(date, str) and date.strip():
        iso = parse_date(date)
        if iso is None:
            raise InputError(f"unreadable date {date[:40]!r}")
        doc.metadata.date = iso
    return doc


def _json_type(value: object) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number")


def read_jsonl(path: Path, errors: list[ReadError] | None = None) -> Iterator[Document]:
    """Documents from a corpus. Bad lines go to ``errors`` (when given) and are skipped."""
    from kg.readers import ReadError

    def problem(lineno: int, reason: str) -> None:
        if errors is None:
            raise InputError(f"{path}:{lineno}: {reason}")
        errors.append(ReadError(str(path), lineno, reason))

    fh, utf16 = _open(path)
    with fh:
        lines = _utf16_lines(fh) if utf16 else _byte_lines(fh)
        lineno = 0
        while True:
            try:
                item = next(lines, None)
            except _Truncated as exc:
                problem(lineno + 1, f"file unreadable from here on ({exc}); the lines before were read")
                return
            if item is None:
                return
            line, too_long = item
            lineno += 1
            if too_long:
                problem(lineno, f"line longer than {MAX_LINE} bytes")
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(_decode_line(line, lineno == 1))
            except json.JSONDecodeError as exc:
                problem(lineno, f"malformed JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})")
                continue
            except RecursionError:
                problem(lineno, "malformed JSON (nested too deeply)")
                continue
            except ValueError as exc:  # e.g. an integer beyond Python's digit limit
                problem(lineno, f"malformed JSON ({exc})")
                continue
            except InputError as exc:
                problem(lineno, str(exc).removeprefix("line: "))
                continue
            try:
                doc = _document(record, path, lineno)
            except InputError as exc:
                problem(lineno, str(exc))
                continue
            yield doc
