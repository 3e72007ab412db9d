"""Plain-text articles: ``.txt`` files with optional leading metadata."""

from __future__ import annotations

from pathlib import Path

from kg.document import Document
from kg.errors import InputError
from kg.readers.decode import read_text_file
from kg.readers.meta import split_metadata


def document_from_text(doc_id: str, text: str, source: str) -> Document:
    """A Document from raw article text (metadata lines are read, text kept whole)."""
    meta, body_start = split_metadata(text)
    if not text[body_start:].strip():
        raise InputError(f"{source}: empty article")
    meta.source = source
    return Document(id=doc_id, text=text, metadata=meta, body_start=body_start)


def read_txt(path: Path) -> Document:
    text = read_text_file(path)
    doc = document_from_text(path.stem, text, str(path))
    doc.id = doc.metadata.extra.pop("id", doc.id)
    return doc
