"""The pipeline: named stages that each add one layer to a `Document`.

Like Stanza's processors, each stage declares what it requires and what it
provides, so `Pipeline` can check the order before any article is read.
Stages register themselves with `@stage`; `kg.stages` imports them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.document import Document
from kg.errors import KgError


DEFAULT_BASE_IRI = "https://kg.example.org/"


@dataclass(slots=True)
class Config:
    """Settings every stage may read. Plain data, so it can be sent to workers."""

    ner: str = "auto"  # rules | stanza | combined | auto
    stanza_dir: Path | None = None  # Stanza resources folder (default: stanza's own)
    stanza_ner_model: Path | None = None  # explicit NER model file (e.g. the tiny test model)
    stanza_tokenize_model: Path | None = None
    stanza_batch_size: int = 32
    base_iri: str = DEFAULT_BASE_IRI
    options: dict[str, str] = field(default_factory=dict)


StageFunc = Callable[[Document, "Context"], None]


@dataclass(slots=True)
class StageSpec:
    name: str
    func: StageFunc
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    batch: Callable[[list[Document], "Context"], None] | None = None  # whole batches at once (neural NER)


_REGISTRY: dict[str, StageSpec] = {}

DEFAULT_STAGES = ("normalize", "segment", "ner", "resolve", "quantities", "claims")


def stage(name: str, *, requires: Iterable[str] = (), provides: Iterable[str] = (),
          batch: Callable[[list[Document], "Context"], None] | None = None):
    """Register ``func(doc, ctx)`` as a pipeline stage.

    ``batch(docs, ctx)``, when given, processes several documents at once; `Pipeline.pipe`
    uses it so a neural backend sees batches instead of single articles.
    """

    def deco(func: StageFunc) -> StageFunc:
        _REGISTRY[name] = StageSpec(name, func, tuple(requires), tuple(provides) or (name,), batch)
        return func

    return deco


class Context:
    """Per-pipeline state shared by stages: the config and lazily built resources
    (compiled lexicons, a loaded NER model). One per process; not global."""

    def __init__(self, config: Config):
        self.config = config
        self._cache: dict[str, object] = {}

    def get(self, key: str, factory: Callable[[], object]):
        if key not in self._cache:
            self._cache[key] = factory()
        return self._cache[key]


class Pipeline:
    def __init__(self, config: Config | None = None, stages: Iterable[str] = DEFAULT_STAGES):
        import kg.stages  # noqa: F401  (registers the stages)

        self.config = config or Config()
        self.ctx = Context(self.config)
        self.specs: list[StageSpec] = []
        provided: set[str] = set()
        for name in stages:
            spec = _REGISTRY.get(name)
            if spec is None:
                raise KgError(f"unknown pipeline stage {name!r}; known: {', '.join(sorted(_REGISTRY))}")
            missing = [r for r in spec.requires if r not in provided]
            if missing:
                raise KgError(f"stage {name!r} needs {', '.join(missing)} to run before it")
            provided.update(spec.provides)
            self.specs.append(spec)

    def __call__(self, doc: Document) -> Document:
        for spec in self.specs:
            spec.func(doc, self.ctx)
            doc.done.append(spec.name)
        return doc

    def pipe(self, docs: Iterable[Document], batch_size: int | None = None) -> Iterator[Document]:
        """Process a stream of documents, ``batch_size`` at a time, stage by stage.

        Memory stays bounded by one batch; results come out in input order.
        """
        size = batch_size or self.config.stanza_batch_size
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Document]) -> list[Document]:
        for spec in self.specs:
            if spec.batch is not None:
                spec.batch(batch, self.ctx)
            else:
                for doc in batch:
                    spec.func(doc, self.ctx)
            for doc in batch:
                doc.done.append(spec.name)
        return batch

    def prepare(self) -> None:
        """Load what the stages need up front (e.g. the NER model), so a missing
        model fails once with its one-line message instead of once per article."""
        for spec in self.specs:
            warm = _PREPARE.get(spec.name)
            if warm is not None:
                warm(self.ctx)


_PREPARE: dict[str, Callable[[Context], None]] = {}


def prepares(name: str):
    """Register ``f(ctx)`` that loads what stage ``name`` needs (see `Pipeline.prepare`)."""

    def deco(func: Callable[[Context], None]):
        _PREPARE[name] = func
        return func

    return deco
