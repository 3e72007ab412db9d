"""Stanza's neural Persian NER behind the `NerBackend` protocol.

Stanza's Persian NER (trained on ARMAN) tags PER, ORG, LOC, FAC, PRO and EVENT
in BIOES. We feed it our own tokens (``doc.tokens``, sentence by sentence) as
pretokenized input, with each token's ORIGINAL character offsets attached, so
the entities Stanza returns already carry original offsets: no second
tokenisation to reconcile, and the rules backend and Stanza agree on token
boundaries. A Stanza tokenizer model is only used when one is installed or
given explicitly (`Config.stanza_tokenize_model`); its offsets point into the
normalised text and go back through `doc.norm.to_original`.

Importing this module is cheap: stanza and torch are imported only when a
pipeline is built, so the base install (no stanza) can import it and ask
`stanza_available`.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg.document import Document, Mention
from kg.entities.ner.base import register_backend
from kg.errors import KgError
from kg.pipeline import Config

LANG = "fa"
NO_MODEL_MESSAGE = (
    "no Stanza Persian model found; run `kg models download` (needs internet) "
    "or pass --stanza-ner-model FILE"
)
NOT_INSTALLED_MESSAGE = "Stanza is not installed; install the extra: pip install 'kg[stanza]'"

# Stanza (ARMAN) tag -> (our label, finer kind). FAC (airports, halls, ...) are places to us.
TAG_MAP: dict[str, tuple[str, str | None]] = {
    "PER": ("PER", None),
    "ORG": ("ORG", None),
    "LOC": ("LOC", None),
    "FAC": ("LOC", "facility"),
    "PRO": ("MISC", "product"),
    "EVENT": ("MISC", "event"),
}

# BiLSTM memory and time grow with sentence length; run-on "sentences" (lists,
# tables pasted as text) are cut into pieces of this many tokens.
MAX_SENTENCE_TOKENS = 200


def stanza_importable() -> bool:
    """True when stanza can be imported (checked without importing it)."""
    return importlib.util.find_spec("stanza") is not None


def default_stanza_dir() -> Path:
    """Stanza's own resources folder, computed the way stanza does, without importing it."""
    env = os.environ.get("STANZA_RESOURCES_DIR")
    if env:
        return Path(env)
    from importlib.metadata import version

    from platformdirs import user_cache_dir  # a stanza dependency

    return Path(user_cache_dir("stanza", "StanfordNLP", version("stanza"))) / "resources"


def stanza_dir(config: Config) -> Path:
    return Path(config.stanza_dir) if config.stanza_dir else default_stanza_dir()


def installed_models(directory: Path, processor: str) -> list[Path]:
    """Model files of ``processor`` for Persian installed in a Stanza resources folder."""
    folder = directory / LANG / processor
    return sorted(folder.glob("*.pt")) if folder.is_dir() else []


def _has_persian_resources(directory: Path) -> bool:
    """Whether ``directory/resources.json`` describes Persian (needed to resolve model dependencies)."""
    path = directory / "resources.json"
    if not path.is_file():
        return False
    try:
        with path.open(encoding="utf-8") as fh:
            return LANG in json.load(fh)
    except (OSError, ValueError):
        return False


@dataclass(slots=True)
class ModelChoice:
    """Which NER model to load, and how."""

    directory: Path  # Stanza resources folder
    ner_model: Path | None  # explicit model file; None = the installed default
    standalone: bool  # load without resources.json (self-contained model: no pretrain/charlm)
    use_tokenizer: bool = False  # False = feed our own tokens (pretokenized)
    tokenize_model: Path | None = None  # explicit tokenizer file; None = the installed default


def choose_model(config: Config) -> ModelChoice | None:
    """The model to use under ``config``, or None when there is none."""
    directory = stanza_dir(config)
    tokenize = Path(config.stanza_tokenize_model) if config.stanza_tokenize_model else None
    if tokenize is not None and not tokenize.is_file():
        raise KgError(f"Stanza tokenizer model not found: {tokenize}")
    if config.stanza_ner_model:
        model = Path(config.stanza_ner_model)
        if not model.is_file():
            return None
        # A model that lives in the resources folder gets its pretrain/charlm from
        # resources.json; any other file must be self-contained (like the tiny test model).
        inside = _has_persian_resources(directory) and model.resolve().parent == (directory / LANG / "ner").resolve()
        return ModelChoice(directory, model, not inside, tokenize is not None, tokenize)
    if installed_models(directory, "ner") and _has_persian_resources(directory):
        # with a downloaded tokenizer, tokenise the way the downloaded NER model was trained
        use = tokenize is not None or bool(installed_models(directory, "tokenize"))
        return ModelChoice(directory, None, False, use, tokenize)
    return None


def stanza_available(config: Config) -> bool:
    """True when stanza is importable and a Persian NER model is present."""
    if not stanza_importable():
        return False
    try:
        return choose_model(config) is not None
    except KgError:
        return False


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


@contextmanager
def _running_stanza(threads: int) -> Iterator[None]:
    """Quiet Stanza's per-batch log lines and pin torch's thread count while Stanza runs.

    One thread by default: documents are parallelised across worker processes, and
    torch's spinning worker threads on busy cores made a 600-token article take
    seconds instead of a tenth of one (measured with the tiny model on 2 cores).
    """
    import torch

    logger = logging.getLogger("stanza")
    old_level, old_threads = logger.level, torch.get_num_threads()
    logger.setLevel(logging.WARNING)
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(old_threads)
        logger.setLevel(old_level)


def map_tag(tag: str) -> tuple[str, str | None]:
    """Our (label, kind) for a Stanza entity type; unknown types become MISC."""
    return TAG_MAP.get(tag.upper(), ("MISC", tag.lower() or None))


def _surface(doc: Document, start: int, end: int) -> str:
    """Normalised surface form of an original span."""
    if doc.norm is not None:
        a, b = doc.norm.norm_offset(start), doc.norm.norm_offset(end)
        return " ".join(doc.norm.text[a:b].split())
    from kg.text.normalize import clean

    return clean(doc.text[start:end])


def sentence_token_groups(doc: Document, limit: int = MAX_SENTENCE_TOKENS) -> list[list[int]]:
    """Indexes into ``doc.tokens``, grouped by ``doc.sentences`` (pieces of at most ``limit``).

    Tokens outside every sentence (metadata lines before the body) are left out;
    a document without sentences is one sentence.
    """
    groups: list[list[int]] = []
    if not doc.sentences:
        spans = [(doc.body_start, len(doc.text))]
    else:
        spans = [(s.start, s.end) for s in doc.sentences]
    k = 0
    tokens = doc.tokens
    for s_start, s_end in sorted(spans):
        while k < len(tokens) and tokens[k].start < s_start:
            k += 1
        current: list[int] = []
        while k < len(tokens) and tokens[k].start < s_end:
            current.append(k)
            k += 1
            if len(current) == limit:
                groups.append(current)
                current = []
        if current:
            groups.append(current)
    return groups


class StanzaNer:
    """Persian NER with a Stanza pipeline built once, on first use."""

    name = "stanza"

    def __init__(self, config: Config):
        if not stanza_importable():
            raise KgError(NOT_INSTALLED_MESSAGE)
        choice = choose_model(config)
        if choice is None:
            if config.stanza_ner_model:
                raise KgError(f"Stanza NER model file not found: {config.stanza_ner_model}")
            raise KgError(NO_MODEL_MESSAGE)
        self.config = config
        self.choice = choice
        self.batch_size = max(1, int(config.stanza_batch_size or 1))
        self.threads = _int_option(config, "stanza_threads", 1)
        self._pipeline = None
        self._load_error: KgError | None = None  # a model that failed to load fails once, not per article

    # -- loading -----------------------------------------------------------

    def _build(self):
        choice = self.choice
        kwargs: dict[str, object] = {
            "lang": LANG,
            "processors": "tokenize,ner",
            "download_method": None,  # never reach for the network at load time
            "dir": str(choice.directory),
            "logging_level": "ERROR",
        }
        if choice.ner_model is not None:
            kwargs["ner_model_path"] = str(choice.ner_model)
        if not choice.use_tokenizer:
            kwargs["tokenize_pretokenized"] = True
        elif choice.tokenize_model is not None:
            kwargs["tokenize_model_path"] = str(choice.tokenize_model)
        try:
            import stanza
        except Exception as exc:  # torch missing or broken
            raise KgError(f"could not import Stanza: {_short(exc)}") from exc
        try:
            if choice.standalone:
                # A self-contained model needs no resources.json: give stanza an empty
                # catalogue so it takes the processors as given and resolves no dependencies.
                with tempfile.TemporaryDirectory(prefix="kg-stanza-") as tmp:
                    empty = Path(tmp) / "resources.json"
                    empty.write_text("{}", encoding="utf-8")
                    return stanza.Pipeline(resources_filepath=str(empty), allow_unknown_language=True, **kwargs)
            return stanza.Pipeline(**kwargs)
        except KgError:
            raise
        except Exception as exc:
            raise KgError(f"could not load the Stanza Persian NER model: {_short(exc)}") from exc

    @property
    def pipeline(self):
        if self._load_error is not None:
            raise self._load_error
        if self._pipeline is None:
            try:
                self._pipeline = self._build()
            except KgError as exc:
                self._load_error = exc
                raise
        return self._pipeline

    def load(self) -> None:
        """Load the model now (one-line KgError if it is missing or broken)."""
        _ = self.pipeline

    # -- annotation --------------------------------------------------------

    def annotate(self, docs: Sequence[Document]) -> list[list[Mention]]:
        results: list[list[Mention]] = [[] for _ in docs]
        work = [i for i, d in enumerate(docs) if d.tokens]
        if work:
            _ = self.pipeline  # load (and import stanza) before building stanza documents
        for b in range(0, len(work), self.batch_size):
            batch = work[b : b + self.batch_size]
            prepared = [self._prepare(docs[i]) for i in batch]
            keep = [(i, p) for i, p in zip(batch, prepared) if p is not None]
            if not keep:
                continue
            try:
                with _running_stanza(self.threads):
                    processed = self.pipeline([p[0] for _, p in keep])
            except KgError:
                raise
            except Exception as exc:
                raise KgError(f"Stanza NER failed: {_short(exc)}") from exc
            for (i, (_, to_original)), sdoc in zip(keep, processed):
                results[i] = self._mentions(docs[i], sdoc, to_original)
        return results

    def _prepare(self, doc: Document):
        """A stanza Document for ``doc`` and the function mapping its offsets to the original."""
        from stanza.models.common.doc import Document as StanzaDocument

        if self.choice.use_tokenizer:
            norm = doc.norm
            if norm is None:
                raise KgError(f"{doc.id}: Stanza NER needs normalised text (run the normalize stage first)")
            return StanzaDocument([], text=norm.text), norm.to_original
        sentences = []
        for group in sentence_token_groups(doc):
            sentence = []
            for n, k in enumerate(group, 1):
                tok = doc.tokens[k]
                # stanza reads start_char/end_char from MISC; we store ORIGINAL offsets there
                sentence.append({"id": (n,), "text": tok.text, "misc": f"start_char={tok.start}|end_char={tok.end}"})
            sentences.append(sentence)
        if not sentences:
            return None
        return StanzaDocument(sentences, text=doc.text), _identity_span

    def _mentions(self, doc: Document, sdoc, to_original: Callable[[int, int], tuple[int, int]]) -> list[Mention]:
        out: list[Mention] = []
        for ent in sdoc.ents:
            start, end = to_original(ent.start_char, ent.end_char)
            if end <= start or start < doc.body_start:
                continue
            label, kind = map_tag(ent.type)
            out.append(Mention(start, end, label, _surface(doc, start, end), source="stanza", kind=kind))  # type: ignore[arg-type]
        out.sort(key=lambda m: (m.start, m.end))
        return out


def _int_option(config: Config, key: str, default: int) -> int:
    raw = config.options.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise KgError(f"option {key} must be a whole number, got {raw!r}") from None
    if value < 1:
        raise KgError(f"option {key} must be at least 1, got {value}")
    return value


def _identity_span(start: int, end: int) -> tuple[int, int]:
    return start, end


@register_backend("stanza")
def _make_stanza(config: Config) -> StanzaNer:
    return StanzaNer(config)


# -- combined: stanza + rules ------------------------------------------------


def _overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def merge_mentions(rules: Sequence[Mention], neural: Sequence[Mention]) -> list[Mention]:
    """Rules mentions plus the neural mentions that do not lose an overlap.

    Rules mentions are all kept unless a longer neural mention replaces them. On
    overlap a rules mention wins when it carries a gazetteer id (it knows which
    entity it is) or is a TITLE (posts are the rules' speciality); otherwise the
    longer span wins, and the rules mention wins a tie. TITLE mentions are never
    replaced.
    """
    kept = list(rules)
    for n in neural:
        clash = [r for r in kept if _overlaps(r, n)]
        if not clash:
            kept.append(n)
            continue
        if any(r.label == "TITLE" or r.gazetteer_id for r in clash):
            continue
        if all((n.end - n.start) > (r.end - r.start) for r in clash):
            kept = [r for r in kept if not any(r is c for c in clash)]
            kept.append(n)
    kept.sort(key=lambda m: (m.start, m.end))
    return kept


class CombinedNer:
    """Stanza mentions merged into the rules backend's mentions."""

    name = "combined"

    def __init__(self, config: Config):
        import kg.entities.ner.rules  # noqa: F401  (registers "rules")
        from kg.entities.ner.base import create_backend

        self.neural = StanzaNer(config)
        self.rules = create_backend("rules", config)

    def load(self) -> None:
        self.neural.load()

    def annotate(self, docs: Sequence[Document]) -> list[list[Mention]]:
        neural = self.neural.annotate(docs)
        rules = self.rules.annotate(docs)
        return [merge_mentions(r, n) for r, n in zip(rules, neural)]


@register_backend("combined")
def _make_combined(config: Config) -> CombinedNer:
    return CombinedNer(config)
