"""Readers: files, folders and corpora in, `Document`s out (streamed, never whole).

Supported inputs: ``.txt`` articles (with optional leading ``key value``
metadata such as ``date 2025-08-18``), ``.jsonl`` corpora (also ``.jsonl.gz``;
one article per line: ``id``, ``text``, optional ``url``, ``publisher``,
``date``, ``title``), ``.html`` pages, and folders of these (recursively,
in sorted order).

Bad input, in two kinds:
- a mistake on the command line (a missing path, an empty folder, a file type
  kg does not read) stops the run before any article is read;
- a bad article (an unreadable, binary or empty file, a bad corpus line) is
  recorded as a `ReadError` and the run goes on — unless
  nothing at all could be read, which is an `InputError` naming the first
  problem. Without an ``errors`` list every problem raises at once.
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

    source: str  # the file
    line: int | None  # 1-based line of a corpus; None for a whole file
    reason: str
    document: str | None = None  # the article id, when it was known

    def as_record(self) -> dict:
        """The ``errors.jsonl`` row: source, line, document, reason."""
        return {"source": self.source, "line": self.line, "document": self.document, "reason": self.reason}


def split_source(source: str | None) -> tuple[str | None, int | None]:
    """``path:LINE`` (how corpus articles record their source) -> (path, LINE)."""
    if not source:
        return source, None
    head, sep, tail = source.rpartition(":")
    if sep and head and tail.isdigit():
        return head, int(tail)
    return source, None


def failure_record(doc: Document, exc: BaseException) -> dict:
    """The ``errors.jsonl`` row for an article that was read but failed later."""
    source, line = split_source(doc.metadata.source)
    return ReadError(source or "", line, f"{type(exc).__name__}: {exc}", doc.id).as_record()


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return None


def _is_output_folder(folder: Path) -> bool:
    """A `kg build` output folder (it holds the claims table next to the graph)."""
    return (folder / "claims.jsonl").is_file() and (folder / "claims.csv").is_file()


def iter_files(paths: list[Path]) -> Iterator[Path]:
    """Input files in a stable order; a missing path or an empty folder is an error."""
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        if path.is_dir():
            found = False
            for f in sorted(p for p in path.rglob("*") if p.is_file()):
                if f.name.endswith(".gold.json") or any(part.startswith(".") for part in f.relative_to(path).parts):
                    continue
                if f.parent != path and _is_output_folder(f.parent):
                    continue  # `kg build DIR -o DIR/out`: last run's claims.jsonl is not a corpus
                if _kind(f):
                    found = True
                    yield f
            if not found:
                raise InputError(f"{path}: folder has no articles ({', '.join(SUFFIXES)})")
        elif not path.is_file():
            raise InputError(f"{path}: not a regular file")
        elif _kind(path) is None:
            raise InputError(f"{path}: unsupported file type (expected {', '.join(SUFFIXES)})")
        else:
            yield path


def _read_file(f: Path, errors: list[ReadError] | None) -> Iterator[Document]:
    kind = _kind(f)
    if kind == ".txt":
        yield read_txt(f)
    elif kind in (".html", ".htm"):
        yield read_html(f)
    else:
        yield from read_jsonl(f, errors)


def read_documents(paths: list[Path], errors: list[ReadError] | None = None) -> Iterator[Document]:
    """Stream Documents from files, folders and corpora.

    With ``errors``, a bad article is recorded there and skipped; without it,
    it raises. Command-line mistakes (missing paths, empty folders,
    unsupported files) are checked for every input before the first article.
    """
    files = list(iter_files(paths))
    local: list[ReadError] = [] if errors is None else errors
    first_error = len(local)
    yielded = 0
    for f in files:
        before, count = len(local), 0
        try:
            for doc in _read_file(f, errors):
                count += 1
                yielded += 1
                yield doc
        except InputError as exc:
            if errors is None:
                raise
            errors.append(ReadError(str(f), None, str(exc).removeprefix(f"{f}: ")))
            continue
        if count == 0 and len(local) == before:
            problem = "corpus has no articles"
            if errors is None:
                raise InputError(f"{f}: {problem}")
            errors.append(ReadError(str(f), None, problem))
    if yielded == 0 and len(local) > first_error:
        raise InputError(_nothing_read(local[first_error:]))


def _nothing_read(problems: list[ReadError]) -> str:
    """One line for a run in which no article could be read."""
    first = problems[0]
    at = f"{first.source}:{first.line}" if first.line else first.source
    if len(problems) == 1:
        return f"{at}: {first.reason}"
    return f"no article could be read ({len(problems)} problems; the first: {at}: {first.reason})"
