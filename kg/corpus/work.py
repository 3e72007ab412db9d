"""The unit of work: one article in, its outputs out (runs in any worker).

`process_chunk` is what executors send to workers: it takes a list of
`Document`s (as read, unprocessed) and returns one `ArticleResult` per
document, in order. Everything in a result is plain bytes/str/int so it
pickles cheaply; the N-Quads are zlib-compressed because they are most of the
volume crossing process (or machine) boundaries.

Each worker process builds one `Pipeline` per configuration and reuses it: the
pipeline's Context caches compiled lexicons and, with the Stanza backend, the
loaded model, so the expensive setup happens once per worker, not per article.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import zlib
from dataclasses import dataclass

from kg.document import Document
from kg.pipeline import Config, Pipeline

# Per process (and, for threaded Dask workers, per thread): config key -> Pipeline.
_LOCAL = threading.local()


@dataclass(slots=True)
class ArticleResult:
    doc_id: str
    digest: str  # content hash of the article as read (see `content_hash`)
    source: str | None
    nquads: bytes = b""  # zlib-compressed N-Quads of the article's named graph
    claims: str = ""  # claims.jsonl lines
    consistency: str = ""  # consistency.jsonl lines
    n_claims: int = 0
    n_triples: int = 0
    error: str | None = None  # "ExceptionType: message" when the article failed


def content_hash(doc: Document) -> str:
    """Hash of everything a reader produced for the article: id, text and metadata."""
    m = doc.metadata
    payload = json.dumps([doc.id, doc.text, m.url, m.publisher, m.date, m.title, sorted(m.extra.items())],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(payload.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _config_key(config: Config) -> tuple:
    return (config.ner, str(config.stanza_dir), str(config.stanza_ner_model), str(config.stanza_tokenize_model),
            config.stanza_batch_size, config.base_iri, tuple(sorted(config.options.items())))


def pipeline_for(config: Config) -> Pipeline:
    """The worker's pipeline for ``config``, built on first use."""
    cache = getattr(_LOCAL, "pipelines", None)
    if cache is None:
        cache = _LOCAL.pipelines = {}
    key = _config_key(config)
    if key not in cache:
        cache[key] = Pipeline(config)
    return cache[key]


def process_document(doc: Document, pipeline: Pipeline, digest: str | None = None, *,
                     raise_errors: bool = False) -> ArticleResult:
    from kg.corpus.fastgraph import article_nquads
    from kg.sinks.claims import claim_rows, consistency_rows

    digest = digest or content_hash(doc)
    result = ArticleResult(doc.id, digest, doc.metadata.source)
    base = pipeline.config.base_iri
    crash = os.environ.get("KG_FAULT_CRASH_MARKER")  # fault injection for the tests: a worker that dies
    if crash and crash in doc.text:
        os._exit(70)
    try:
        pipeline(doc)
        _, result.n_triples, nq = article_nquads(doc, base)
        result.nquads = zlib.compress(nq, 1)
        rows = [json.dumps(r, ensure_ascii=False) + "\n" for r in claim_rows(doc, base)]
        result.claims = "".join(rows)
        result.n_claims = len(rows)
        result.consistency = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in consistency_rows(doc, base))
    except Exception as exc:  # one bad article must not stop a corpus run
        if raise_errors:
            raise
        result.error = f"{type(exc).__name__}: {' '.join(str(exc).split())[:500]}"
        result.nquads, result.claims, result.consistency = b"", "", ""
    return result


def process_chunk(docs: list[tuple[Document, str]], config: Config, raise_errors: bool = False) -> list[ArticleResult]:
    """Run the pipeline over (document, content hash) pairs; one result each, in order."""
    pipeline = pipeline_for(config)
    return [process_document(doc, pipeline, digest, raise_errors=raise_errors) for doc, digest in docs]
