"""Readers: files, folders and corpora in, `Document`s out (streamed, never whole).

Supported inputs: ``.txt`` articles (with optional leading ``key value``
metadata such as ``date 2025-08-18``), ``.jsonl`` corpora (also ``.jsonl.gz``;
one article per line: ``id``, ``text``, optional ``url``, ``publisher``,
``date``, ``title``), ``.html`` pages, and folders of these (recursively,
in sorted order).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.document import Document
from kg.errors import InputError
from kg.readers.html import read_html
from kg.readers.jsonl import read_jsonl
from kg.readers.text import read_txt

SUFFIXES = (".txt", ".jsonl", ".jsonl.gz", ".html", ".htm")


@dataclass(slots=True)
class ReadError:
    """An article that could not be read; the run goes on without it."""

    source: str
    line: int | None
    reason: str


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return None


def iter_files(paths: list[Path]) -> Iterator[Path]:
    """Input files in a stable order; a missing path or an empty folder is an error."""
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        if path.is_dir():
            found = False
            for f in sorted(p for p in path.rglob("*") if p.is_file()):
                if f.name.endswith(".gold.json") or f.name.startswith("."):
                    continue
                if _kind(f):
                    found = True
                    yield f
            if not found:
                raise InputError(f"{path}: folder has no articles ({', '.join(SUFFIXES)})")
        elif _kind(path) is None:
            raise InputError(f"{path}: unsupported file type (expected {', '.join(SUFFIXES)})")
        else:
            yield path


def read_documents(paths: list[Path], errors: list[ReadError] | None = None) -> Iterator[Document]:
    """Stream Documents from files, folders and corpora.

    A bad line of a corpus is recorded in ``errors`` (when given) and skipped;
    without ``errors`` it raises. A whole unreadable file always raises.
    """
    for f in iter_files(paths):
        kind = _kind(f)
        if kind == ".txt":
            yield read_txt(f)
        elif kind in (".html", ".htm"):
            yield read_html(f)
        else:
            yield from read_jsonl(f, errors)
