"""The `ner` stage: runs the configured backend (see `kg.entities.ner.base`)."""

from __future__ import annotations

from kg.document import Document
from kg.entities.ner.base import NerBackend, create_backend
from kg.pipeline import Context, prepares, stage


def _backend(ctx: Context) -> NerBackend:
    return ctx.get("ner_backend", lambda: create_backend(ctx.config.ner, ctx.config))


def ner_batch(docs: list[Document], ctx: Context) -> None:
    for doc, mentions in zip(docs, _backend(ctx).annotate(docs)):
        doc.mentions = mentions


@stage("ner", requires=("sentences",), provides=("mentions",), batch=ner_batch)
def ner(doc: Document, ctx: Context) -> None:
    ner_batch([doc], ctx)


@prepares("ner")
def load_backend(ctx: Context) -> None:
    backend = _backend(ctx)
    load = getattr(backend, "load", None)
    if callable(load):
        load()  # e.g. Stanza: read the model now, fail early with one line
