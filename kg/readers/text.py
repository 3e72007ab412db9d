"""Plain-text articles: ``.txt`` files with optional leading metadata."""

from __future__ import annotations

from pathlib import Path

from kg.document import Document
from kg.errors import InputError
from kg.readers.decode import read_text_file
from kg.readers.meta import split_metadata
from kg.safety import check_article_id

# Characters in one article. News articles are far shorter; past this the text
# is a dump or a concatenation, and would hold up a corpus run for minutes.
MAX_ARTICLE_CHARS = 2_000_000


def document_from_text(doc_id: str, text: str, source: str) -> Document:
    """A Document from raw article text (metadata lines are read, text kept whole)."""
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(f"{source}: article too long ({len(text)} characters; the limit is {MAX_ARTICLE_CHARS})")
    meta, body_start = split_metadata(text)
    if not text[body_start:].strip():
        raise InputError(f"{source}: empty article")
    meta.source = source
    return Document(id=doc_id, text=text, metadata=meta, body_start=body_start)


def read_txt(path: Path) -> Document:
    text = read_text_file(path)
    doc = document_from_text(path.stem, text, str(path))
    if "id" in doc.metadata.extra:
        try:
            doc.id = check_article_id(doc.metadata.extra.pop("id"))
        except ValueError as exc:
            raise InputError(f"{path}: {exc}") from None
    return doc
