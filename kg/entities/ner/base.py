"""The NER backend protocol and the backend registry.

A backend takes documents that went through `normalize` and `segment` and
returns, per document, the mentions it found (offsets into the ORIGINAL text).
It works on batches so neural backends can batch; rule backends just loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from kg.document import Document, Mention
from kg.errors import KgError
from kg.pipeline import Config


class NerBackend(Protocol):
    name: str

    def annotate(self, docs: Sequence[Document]) -> list[list[Mention]]:
        """Mentions for each document, in original-text offsets, sorted by start."""
        ...


_BACKENDS: dict[str, Callable[[Config], NerBackend]] = {}


def register_backend(name: str):
    """Register a factory ``f(config) -> NerBackend`` under ``name``."""

    def deco(factory: Callable[[Config], NerBackend]):
        _BACKENDS[name] = factory
        return factory

    return deco


def create_backend(name: str, config: Config) -> NerBackend:
    import kg.entities.ner.rules  # noqa: F401  (register built-in backends)
    import kg.entities.ner.stanza_backend  # noqa: F401

    if name == "auto":
        from kg.entities.ner.stanza_backend import stanza_available

        name = "combined" if stanza_available(config) else "rules"
    factory = _BACKENDS.get(name)
    if factory is None:
        raise KgError(f"unknown NER backend {name!r}; choose one of: auto, {', '.join(sorted(_BACKENDS))}")
    return factory(config)
