"""Deterministic IRIs under a configurable base.

Every IRI is a function of keys the extraction stages already computed
(normalised names, gazetteer ids, document ids, character offsets), so the same
official found by two workers in two articles is one node and per-article
graphs merge by plain union.

`slug` makes a key safe as ONE path segment: letters and digits of any script
stay (Persian IRIs are readable), as do ``- _ . ~ :``; everything else —
spaces, ``/``, ``<>"{}|^`\\``, ``%``, controls, ZWNJ — is percent-encoded as
UTF-8. A slug of only dots is encoded too, so ``..`` can never climb a path.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from urllib.parse import quote, urlsplit

from rdflib import URIRef

from kg.errors import KgError

_KEEP = frozenset("-_.~:")
# RFC 3987 ucschar: the non-ASCII code points allowed unescaped in an IRI path.
_UCSCHAR = ((0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF)) + tuple(
    (plane, plane + 0xFFFD) for plane in range(0x10000, 0xE0000, 0x10000)) + ((0xE1000, 0xEFFFD),)


def _ucschar(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _UCSCHAR)
# IRI characters that are never allowed in an IRI (RFC 3987), checked in the base.
_BAD_IN_BASE = set(' <>"{}|^`\\') | {chr(c) for c in range(0x20)} | {"\x7f"}


@lru_cache(maxsize=4096)  # per character: new keys (names) are mostly made of characters seen before
def _slug_char(ch: str) -> str:
    if ch in _KEEP or (ch.isascii() and ch.isalnum()):
        return ch
    if not ch.isascii() and unicodedata.category(ch)[0] in "LNM" and _ucschar(ch):
        return ch
    return quote(ch, safe="")


@lru_cache(maxsize=16384)  # pure, and the same keys recur in every article
def slug(key: str) -> str:
    """IRI-safe single path segment for an identity key (injective)."""
    if not key:
        raise KgError("cannot make an IRI from an empty key")
    s = "".join(map(_slug_char, unicodedata.normalize("NFC", key)))
    if set(s) == {"."}:
        s = s.replace(".", "%2E")
    return s


def check_base(base_iri: str) -> str:
    """The base IRI, validated: absolute http(s)/urn-like, ending in ``/`` or ``#``."""
    if not isinstance(base_iri, str) or not base_iri or any(ch in _BAD_IN_BASE for ch in base_iri):
        raise KgError(f"invalid base IRI {base_iri!r}: it must be an absolute IRI without spaces or <>\"{{}}|^`\\")
    parts = urlsplit(base_iri)
    if not parts.scheme or not (parts.netloc or parts.scheme in ("urn", "tag")):
        raise KgError(f"invalid base IRI {base_iri!r}: it must be absolute, e.g. https://kg.example.org/")
    if not base_iri.endswith(("/", "#")):
        raise KgError(f"invalid base IRI {base_iri!r}: it must end with / or #")
    return base_iri


class Iris:
    """IRI factory for one base; cheap to create."""

    __slots__ = ("base",)

    def __init__(self, base_iri: str):
        self.base = check_base(base_iri)

    def _iri(self, *segments: str) -> URIRef:
        return URIRef(self.base + "/".join(segments))

    def article(self, doc_id: str) -> URIRef:
        return self._iri("article", slug(doc_id))

    def person(self, key: str) -> URIRef:
        return self._iri("person", slug(key))

    def org(self, key: str, gazetteer_id: str | None = None) -> URIRef:
        return self._iri("org", slug(gazetteer_id or key))

    def place(self, key: str, gazetteer_id: str | None = None) -> URIRef:
        return self._iri("place", slug(gazetteer_id or key))

    def role(self, role_key: str) -> URIRef:
        return self._iri("role", slug(role_key))

    def post(self, owner_iri: URIRef, role_key: str) -> URIRef:
        """A post is identified by the unit it is in (or, when the text names
        none, the person holding it) and the role."""
        owner = owner_iri[len(self.base):] if owner_iri.startswith(self.base) else slug(str(owner_iri))
        return self._iri("post", owner.replace("/", "_", 1), slug(role_key))

    def _span(self, kind: str, doc_id: str, start: int, end: int, suffix: str = "") -> URIRef:
        return self._iri(kind, slug(doc_id), f"{start}-{end}" + suffix)

    def claim(self, doc_id: str, start: int, end: int) -> URIRef:
        return self._span("claim", doc_id, start, end)

    def attribution(self, doc_id: str, start: int, end: int) -> URIRef:
        return self._span("claim", doc_id, start, end, "/attribution")

    def statement(self, doc_id: str, start: int, end: int) -> URIRef:
        return self._span("statement", doc_id, start, end)

    def mention(self, doc_id: str, start: int, end: int) -> URIRef:
        return self._span("mention", doc_id, start, end)

    def membership(self, doc_id: str, person_key: str, start: int, end: int) -> URIRef:
        return self._iri("membership", slug(doc_id), slug(person_key), f"{start}-{end}")
