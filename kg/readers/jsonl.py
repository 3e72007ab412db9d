"""JSONL corpora (optionally gzip-compressed), streamed line by line."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kg.document import Document
from kg.errors import InputError
from kg.readers.meta import parse_date
from kg.readers.text import document_from_text

if TYPE_CHECKING:  # pragma: no cover
    from kg.readers import ReadError

MAX_LINE = 20_000_000  # characters; a longer line is refused, not parsed


def _open(path: Path):
    try:
        if path.name.lower().endswith(".gz"):
            return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", errors="strict")
        return open(path, encoding="utf-8-sig", errors="strict")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _document(record: object, path: Path, lineno: int) -> Document:
    if not isinstance(record, dict):
        raise InputError("line is not a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("missing or empty 'text'")
    doc_id = record.get("id")
    doc_id = str(doc_id) if doc_id not in (None, "") else f"{path.name.split('.')[0]}-{lineno}"
    doc = document_from_text(doc_id, text, f"{path}:{lineno}")
    for key in ("url", "publisher", "title"):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            setattr(doc.metadata, key, value.strip())
    if isinstance(record.get("date"), str):
        iso = parse_date(record["date"])
        if iso is None:
            raise InputError(f"unreadable date {record['date'][:40]!r}")
        doc.metadata.date = iso
    return doc


def read_jsonl(path: Path, errors: list[ReadError] | None = None) -> Iterator[Document]:
    from kg.readers import ReadError

    fh = _open(path)
    with fh:
        lineno = 0
        while True:
            try:
                line = fh.readline(MAX_LINE + 1)
            except (UnicodeDecodeError, OSError, EOFError) as exc:
                raise InputError(f"{path}: unreadable after line {lineno} ({exc})") from None
            if not line:
                break
            lineno += 1
            if len(line) > MAX_LINE and not line.endswith("\n"):
                while True:  # skip the rest of the line in bounded chunks
                    rest = fh.readline(MAX_LINE)
                    if not rest or rest.endswith("\n"):
                        break
                problem = f"line longer than {MAX_LINE} characters"
            elif not line.strip():
                continue
            else:
                try:
                    yield _document(json.loads(line), path, lineno)
                    continue
                except json.JSONDecodeError as exc:
                    problem = f"malformed JSON ({exc.msg} at column {exc.colno})"
                except InputError as exc:
                    problem = str(exc).removeprefix(f"{path}:{lineno}: ")
            if errors is None:
                raise InputError(f"{path}:{lineno}: {problem}")
            errors.append(ReadError(str(path), lineno, problem))
