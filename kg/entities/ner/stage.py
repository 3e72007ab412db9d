"""The `ner` stage: runs the configured backend (see `kg.entities.ner.base`)."""

from __future__ import annotations

from kg.document import Document
from kg.entities.ner.base import create_backend
from kg.pipeline import Context, stage


@stage("ner", requires=("sentences",), provides=("mentions",))
def ner(doc: Document, ctx: Context) -> None:
    backend = ctx.get("ner_backend", lambda: create_backend(ctx.config.ner, ctx.config))
    doc.mentions = backend.annotate([doc])[0]
