"""The `ner` stage: runs the configured backend (see `kg.entities.ner.base`)."""

from __future__ import annotations

from kg.document import Document, Mention
from kg.entities.ner.base import NerBackend, create_backend
from kg.pipeline import Context, prepares, stage
from kg.text.furniture import furniture_spans, inside


def _backend(ctx: Context) -> NerBackend:
    return ctx.get("ner_backend", lambda: create_backend(ctx.config.ner, ctx.config))


def ner_batch(docs: list[Document], ctx: Context) -> None:
    for doc, mentions in zip(docs, _backend(ctx).annotate(docs)):
        doc.mentions = _outside_furniture(doc, mentions)


def _outside_furniture(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """Names in bylines, tag lines and related headlines are no sources of this article
    (a news agency named there still tells who published it)."""
    if doc.norm is None:
        return mentions
    spans = furniture_spans(doc.norm.text)
    if not spans:
        return mentions
    return [m for m in mentions
            if m.kind == "news_agency" or not inside(spans, doc.norm.norm_offset(m.start))]


@stage("ner", requires=("sentences",), provides=("mentions",), batch=ner_batch)
def ner(doc: Document, ctx: Context) -> None:
    ner_batch([doc], ctx)


@prepares("ner")
def load_backend(ctx: Context) -> None:
    backend = _backend(ctx)
    load = getattr(backend, "load", None)
    if callable(load):
        load()  # e.g. Stanza: read the model now, fail early with one line
