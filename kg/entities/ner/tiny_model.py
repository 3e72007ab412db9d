"""A tiny Persian NER model for Stanza, trained on a corpus generated from our lexicons.

Why: Stanza's Persian models live on a model hub that CI (and many users'
machines) cannot reach, yet the Stanza backend's real code path — building a
`stanza.Pipeline`, feeding it our tokens, mapping entities back to original
offsets — must be tested. So we generate sentences from templates filled with
names from the project's lexicons (given names, surnames, organisations, news
agencies, provinces, cities, countries, titles, honorifics), label them in BIO,
and train Stanza's own NER tagger with tiny dimensions, no pretrained word
vectors and no character language model. The model is a code-path fixture,
not a quality claim.

    python -m kg.entities.ner.tiny_model --out DIR

writes ``DIR/fa_tiny_ner.pt`` (load it with ``ner_model_path`` /
``--stanza-ner-model``), the corpus (``train.json``, ``dev.json``,
``test.json``) and ``DIR/fa_tiny_ner.json`` (fingerprint of the generator
inputs, timings, held-out precision/recall). Generation and training are
deterministic for a seed.

Sentences are tokenised with the project's own normaliser and segmenter, so the
training tokens are exactly the tokens the backend feeds Stanza at run time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from functools import lru_cache
from importlib import resources as _res
from pathlib import Path

from kg.document import Document
from kg.errors import KgError
from kg.resources import load_table, split_multi

MODEL_NAME = "fa_tiny_ner.pt"
META_NAME = "fa_tiny_ner.json"
ZWNJ = "\u200c"

# Lexicons the corpus is built from; their bytes are part of the fingerprint.
LEXICONS = (
    "given_names",
    "surnames",
    "honorifics",
    "titles",
    "organizations",
    "org_heads",
    "news_agencies",
    "provinces",
    "cities",
    "countries",
) + (
    # non-entity words: inserted at random into sentences so the model does not
    # learn "a word I have not seen is a name"
    "speech_verbs",
    "periods",
    "months",
    "weekdays",
    "units",
    "hedges",
    "directions",
    "numbers",
    "function_words",
)
FILLER_LEXICONS = LEXICONS[-9:]

# Templates: the corpus' sentence frames (training data, not run-time language
# knowledge). Slots: {P} person's full name, {S} surname alone (PER), {H}
# honorific (O), {T} title (O), {O} organisation (ORG), {A} news agency (ORG),
# {TL} title + jurisdiction, e.g. "استاندار فارس" (title O, place LOC),
# {PR} province, {C} city, {K} country (LOC), {N} a number (O).
TRAIN_TEMPLATES = (
    "{T} {O} {P} گفت: {N} نفر در این طرح شرکت کردند.",
    "به گزارش {A}، {H} {P} {T} {O} در نشست خبری اظهار کرد: اجرای این برنامه از هفته آینده آغاز می‌شود.",
    "{P} در سفر به {C} از افتتاح {N} طرح عمرانی خبر داد.",
    "{S} افزود: در سال گذشته {N} میلیارد ریال برای این بخش هزینه شد.",
    "{TL} با اشاره به وضعیت بارندگی در استان {PR} گفت: میزان بارش‌ها {N} درصد کاهش یافته است.",
    "{H} «{P}» {T} {O} امروز در جمع خبرنگاران حاضر شد.",
    "وی که در {C} سخن می‌گفت، همکاری {O} و {O} را ضروری دانست.",
    "{O} اعلام کرد که {N} هزار نفر از خدمات این مرکز استفاده کرده‌اند.",
    "به نقل از {A}، {P} سخنگوی {O} تصریح کرد: این تصمیم به زودی اجرایی می‌شود.",
    "{P} سفیر {K} در تهران با {H} {P} دیدار کرد.",
    "{P} و {P} در این مراسم درباره توسعه روابط ایران و {K} گفت‌وگو کردند.",
    "{S} همچنین گفت: {O} در {N} شهرستان استان {PR} شعبه دارد.",
    "در این جلسه که با حضور {P} {T} {O} برگزار شد، گزارش عملکرد {O} ارائه شد.",
    "{T} {O} از کاهش {N} درصدی تصادفات در جاده‌های {PR} خبر داد.",
    "{P}، {T} {O}، در گفت‌وگو با {A} بیان کرد: {N} تن کالا از {C} صادر شد.",
    "نشست مشترک {O} و {O} در محل {O} برگزار شد.",
    "{H} {P} در پاسخ به پرسشی درباره {K} گفت: مواضع ما تغییر نکرده است.",
    "{A} گزارش داد که {N} نفر در {C} دچار مصدومیت شدند.",
    "{TL} تأکید کرد: مردم {C} از این طرح حمایت می‌کنند.",
    "{P} با بیان اینکه {O} در حال بررسی این موضوع است، افزود: نتایج به زودی اعلام می‌شود.",
    "هیئتی از {K} به ریاست {P} وارد {C} شد.",
    "{S} در ادامه به عملکرد {O} در سال {N} اشاره کرد.",
    "بر اساس اعلام {O}، جمعیت استان {PR} به {N} هزار نفر رسیده است.",
    "{P} ({T} {O}) در این دیدار گفت: همکاری با {K} ادامه دارد.",
    "{H} {P}، {T} {O} با حضور در {C} از روند ساخت {N} واحد مسکونی بازدید کرد.",
    "{T} {O} تصریح کرد: {N} درصد از پروژه‌ها به پایان رسیده است.",
    "به گزارش خبرنگار {A} از {C}، {P} امروز از {O} بازدید کرد.",
    "این مطلب را {P} {T} {O} در گفت‌وگو با خبرنگاران بیان کرد.",
    "{S}، وضعیت {O} را مطلوب دانست و گفت: {N} میلیون نفر تحت پوشش هستند.",
    "مردم {PR} و {C} در انتخابات شرکت کردند.",
    "{O} و {O} تفاهم‌نامه همکاری امضا کردند.",
    "{TL} در دیدار با {P} بر ضرورت حل مشکلات مردم {C} تأکید کرد.",
)

# Held out: the test split uses only these frames (and held-out names), so the
# reported precision/recall is measured on combinations the model never saw.
TEST_TEMPLATES = (
    "{H} {P} {T} {O} روز گذشته در جلسه شورای اداری {C} اظهار داشت: {N} میلیارد تومان اعتبار اختصاص یافت.",
    "{S} در بخش دیگری از سخنان خود گفت: {O} آماده همکاری با {K} است.",
    "به گزارش {A}، {TL} و {P} در دیدار با مردم {C} حضور یافتند.",
    "{P} که ریاست {O} را بر عهده دارد، از اجرای طرح جدید در {PR} خبر داد.",
    "در همین حال {O} نیز اعلام کرد که {N} نفر در این آزمون پذیرفته شدند.",
    "{T} {O}، {H} «{P}»، وضعیت {N} پروژه را بررسی کرد.",
)

_SLOT_LABEL = {"P": "PER", "S": "PER", "O": "ORG", "A": "ORG", "PR": "LOC", "C": "LOC", "K": "LOC"}
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@dataclass(slots=True)
class TrainSettings:
    """Everything that shapes the model; all of it goes into the fingerprint."""

    seed: int = 1234
    train_sentences: int = 2000
    dev_sentences: int = 200
    test_sentences: int = 300
    max_steps: int = 500
    eval_interval: int = 100
    batch_size: int = 32
    hidden_dim: int = 48
    char_hidden_dim: int = 32
    word_emb_dim: int = 32
    char_emb_dim: int = 16
    lr: float = 0.01
    zwnj_drop: float = 0.25  # share of sentences written without ZWNJ, as in real copy-pasted news
    filler_rate: float = 0.25  # chance of a non-entity lexicon word at each space of a template
    word_dropout: float = 0.2  # Stanza's: replace words by UNK while training, so UNK is not a name cue
    char: bool = True  # Stanza's character model over each word


@dataclass(slots=True)
class Pools:
    """Fillers for one split: every list is non-empty."""

    given: list[str]
    surnames: list[str]
    honorifics: list[str]
    titles: list[str]
    place_titles: list[tuple[str, str]]  # (title, "province" | "city")
    organizations: list[str]
    agencies: list[str]
    provinces: list[str]
    cities: list[str]
    countries: list[str]
    fillers: list[str]  # non-entity words and phrases
    # composed organisations: (head, "province" | "city") and directorate domains
    org_heads: list[tuple[str, str]] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)


# -- lexicons -> pools ----------------------------------------------------------


def _names(table: str, *columns: str) -> list[str]:
    out: list[str] = []
    for row in load_table(table):
        for col in columns:
            cell = row.get(col, "")
            values = split_multi(cell) if col == "aliases" else [cell]
            out.extend(v for v in values if v and not v.isascii())
    return sorted(set(out))


def _domains(organizations: Iterable[dict[str, str]]) -> list[str]:
    """Domains of national bodies, for provincial directorates ("اداره کل X استان Y").

    "وزارت راه و شهرسازی" -> "راه و شهرسازی"; "سازمان دامپزشکی کشور" -> "دامپزشکی".
    """
    out = set()
    for row in organizations:
        name = row.get("fa", "")
        for head in ("وزارت ", "سازمان "):
            if name.startswith(head):
                rest = name[len(head) :].removesuffix(" کشور").removesuffix(" ایران").strip()
                if rest and len(rest.split()) <= 4 and "،" not in rest:
                    out.add(rest)
    return sorted(out)


def load_pools() -> Pools:
    """All fillers, from the lexicons."""
    heads = []
    for row in load_table("org_heads"):
        kind = row.get("kind", "")
        if kind == "governorate":
            heads.append((row["fa"], "province"))
        elif kind in ("county_governorate", "municipality", "university") and row["fa"] not in ("دهیاری",):
            heads.append((row["fa"], "city"))
    place_titles = []
    for row in load_table("titles"):
        org_head = row.get("org_head", "")
        for fa, where in heads:
            if org_head == fa:
                place_titles.append((row["fa"], where))
    pools = Pools(
        given=_names("given_names", "fa"),
        surnames=_names("surnames", "fa"),
        honorifics=_names("honorifics", "fa"),
        titles=_names("titles", "fa"),
        place_titles=sorted(set(place_titles)),
        organizations=_names("organizations", "fa", "aliases"),
        agencies=_names("news_agencies", "fa", "short"),
        provinces=_names("provinces", "fa", "aliases"),
        cities=_names("cities", "fa"),
        countries=_names("countries", "fa"),
        fillers=sorted({w for name in FILLER_LEXICONS for w in _names(name, "fa")}),
        org_heads=sorted(set(heads)),
        domains=_domains(load_table("organizations")),
    )
    empty = [f.name for f in fields(pools) if not getattr(pools, f.name)]
    if empty:
        raise KgError(f"cannot build the tiny NER corpus: no entries for {', '.join(empty)} in the lexicons")
    return pools


def split_pools(pools: Pools, rng: random.Random, held_out: float = 0.2) -> tuple[Pools, Pools]:
    """(train, test) pools: test person names are held out from training."""

    def split(values: list[str]) -> tuple[list[str], list[str]]:
        v = list(values)
        rng.shuffle(v)
        k = max(1, int(len(v) * held_out))
        return sorted(v[k:]), sorted(v[:k])

    g_train, g_test = split(pools.given)
    s_train, s_test = split(pools.surnames)
    return replace(pools, given=g_train, surnames=s_train), replace(pools, given=g_test, surnames=s_test)


# -- sentence generation ---------------------------------------------------------


@dataclass(slots=True)
class Sentence:
    text: str
    spans: list[tuple[int, int, str]]  # (start, end, label) in `text`


def _number(rng: random.Random) -> str:
    n = str(rng.choice([rng.randint(2, 99), rng.randint(100, 999), rng.randint(1000, 99999)]))
    if rng.random() < 0.15:
        n += "." + str(rng.randint(1, 9))
    return n.translate(_PERSIAN_DIGITS) if rng.random() < 0.7 else n


def _person(rng: random.Random, pools: Pools) -> str:
    name = rng.choice(pools.given)
    if rng.random() < 0.15:  # two given names, e.g. "محمد حسین"
        name += " " + rng.choice(pools.given)
    return f"{name} {rng.choice(pools.surnames)}"


def _organization(rng: random.Random, pools: Pools) -> str:
    r = rng.random()
    if r < 0.45:
        return rng.choice(pools.organizations)
    if r < 0.7:
        head, where = rng.choice(pools.org_heads)
        return f"{head} {rng.choice(pools.provinces if where == 'province' else pools.cities)}"
    return f"اداره کل {rng.choice(pools.domains)} استان {rng.choice(pools.provinces)}"


def _fill(slot: str, rng: random.Random, pools: Pools) -> list[tuple[str, str | None]]:
    """Pieces (text, label or None) for one slot."""
    if slot == "P":
        return [(_person(rng, pools), "PER")]
    if slot == "S":
        return [(rng.choice(pools.surnames), "PER")]
    if slot == "H":
        return [(rng.choice(pools.honorifics), None)]
    if slot == "T":
        return [(rng.choice(pools.titles), None)]
    if slot == "O":
        return [(_organization(rng, pools), "ORG")]
    if slot == "A":
        return [(rng.choice(pools.agencies), "ORG")]
    if slot == "TL":
        title, where = rng.choice(pools.place_titles)
        place = rng.choice(pools.provinces if where == "province" else pools.cities)
        return [(title + " ", None), (place, "LOC")]
    if slot == "PR":
        return [(rng.choice(pools.provinces), "LOC")]
    if slot == "C":
        return [(rng.choice(pools.cities), "LOC")]
    if slot == "K":
        return [(rng.choice(pools.countries), "LOC")]
    if slot == "N":
        return [(_number(rng), None)]
    raise KgError(f"unknown template slot {{{slot}}}")


def _drop_zwnj(s: str, rng: random.Random) -> str:
    return "".join(rng.choice(("", " ")) if ch == ZWNJ else ch for ch in s)


def _with_fillers(piece: str, rng: random.Random, pools: Pools, rate: float) -> str:
    if rate <= 0 or " " not in piece:
        return piece
    words = piece.split(" ")
    out = [words[0]]
    for w in words[1:]:
        if rng.random() < rate:
            out.append(rng.choice(pools.fillers))
        out.append(w)
    return " ".join(out)


def generate_sentence(
    template: str, rng: random.Random, pools: Pools, zwnj_drop: float, filler_rate: float = 0.0
) -> Sentence:
    """Fill ``template``; entity spans are offsets into the generated text."""
    pieces: list[tuple[str, str | None]] = []
    rest = template
    while rest:
        i = rest.find("{")
        if i < 0:
            pieces.append((_with_fillers(rest, rng, pools, filler_rate), None))
            break
        j = rest.index("}", i)
        if i:
            pieces.append((_with_fillers(rest[:i], rng, pools, filler_rate), None))
        pieces.extend(_fill(rest[i + 1 : j], rng, pools))
        rest = rest[j + 1 :]
    drop = rng.random() < zwnj_drop
    text = ""
    spans: list[tuple[int, int, str]] = []
    for piece, label in pieces:
        if drop:
            piece = _drop_zwnj(piece, rng)
        if label:
            spans.append((len(text), len(text) + len(piece), label))
        text += piece
    return Sentence(text, spans)


@lru_cache(maxsize=1)
def _text_pipeline():
    from kg.pipeline import Config, Pipeline

    return Pipeline(Config(ner="rules"), stages=("normalize", "segment"))


def tokenize(text: str, doc_id: str = "generated") -> Document:
    """A Document for ``text`` after the project's normalize and segment stages."""
    return _text_pipeline()(Document(id=doc_id, text=text))


def bio_tokens(sentence: Sentence) -> list[dict[str, str]]:
    """The sentence as Stanza NER training tokens: [{"text", "ner"}] in BIO."""
    out: list[dict[str, str]] = []
    previous = -1  # index of the span the previous token was in
    for tok in tokenize(sentence.text).tokens:
        tag, current = "O", -1
        for k, (start, end, label) in enumerate(sentence.spans):
            if start <= tok.start and tok.end <= end:
                tag, current = ("I-" if k == previous else "B-") + label, k
                break
            if tok.start < end and start < tok.end:
                raise KgError(f"token {tok.text!r} crosses an entity boundary in {sentence.text!r}")
        out.append({"text": tok.text, "ner": tag})
        previous = current
    return out


def generate_corpus(settings: TrainSettings, pools: Pools | None = None) -> dict[str, list[Sentence]]:
    """Train, dev and test sentences; deterministic for ``settings.seed``."""
    rng = random.Random(settings.seed)
    train_pools, test_pools = split_pools(pools or load_pools(), rng)

    def make(n: int, templates: tuple[str, ...], p: Pools) -> list[Sentence]:
        return [
            generate_sentence(rng.choice(templates), rng, p, settings.zwnj_drop, settings.filler_rate)
            for _ in range(n)
        ]

    return {
        "train": make(settings.train_sentences, TRAIN_TEMPLATES, train_pools),
        "dev": make(settings.dev_sentences, TRAIN_TEMPLATES, train_pools),
        "test": make(settings.test_sentences, TEST_TEMPLATES, test_pools),
    }


# -- fingerprint -----------------------------------------------------------------


def fingerprint(settings: TrainSettings) -> str:
    """Hash of everything the model depends on: this generator, the tokeniser, the lexicons,
    the settings and the Stanza version. A cached model is reused only when it matches."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256()
    h.update(Path(__file__).read_bytes())
    import kg.text.normalize
    import kg.text.segment

    for mod in (kg.text.normalize, kg.text.segment):
        h.update(Path(mod.__file__).read_bytes())  # type: ignore[arg-type]
    for name in LEXICONS:
        h.update(name.encode())
        h.update(_res.files("kg.resources").joinpath(f"{name}.tsv").read_bytes())
    h.update(json.dumps(asdict(settings), sort_keys=True).encode())
    try:
        h.update(version("stanza").encode())
    except PackageNotFoundError:
        pass
    return h.hexdigest()[:16]


def cached_model(out: Path, settings: TrainSettings | None = None) -> Path | None:
    """``out/fa_tiny_ner.pt`` if it was trained from the current generator inputs."""
    settings = settings or TrainSettings()
    meta, model = out / META_NAME, out / MODEL_NAME
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if info.get("fingerprint") == fingerprint(settings) and model.is_file():
        return model
    return None


# -- training and evaluation -------------------------------------------------------


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=None), encoding="utf-8")
    os.replace(tmp, path)


def train(out: Path, settings: TrainSettings | None = None, *, verbose: bool = False) -> dict:
    """Generate the corpus into ``out``, train the model, evaluate it; returns the metadata."""
    settings = settings or TrainSettings()
    try:
        import torch
        from stanza.models import ner_tagger
    except ImportError as exc:
        raise KgError("training the tiny NER model needs Stanza: pip install 'kg[stanza]'") from exc

    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    corpus = generate_corpus(settings)
    for split, sentences in corpus.items():
        _write_json(out / f"{split}.json", [bio_tokens(s) for s in sentences])
    t_gen = time.perf_counter() - t0

    work = Path(tempfile.mkdtemp(prefix=".train-", dir=out))
    args = [
        "--mode", "train",
        "--shorthand", "fa_tiny",
        "--train_file", str(out / "train.json"),
        "--eval_file", str(out / "dev.json"),
        "--save_dir", str(work),
        "--save_name", MODEL_NAME,
        "--no_pretrain",  # no word vectors: the delta embedding learns from the corpus
        "--scheme", "bioes",
        "--hidden_dim", str(settings.hidden_dim),
        "--char_hidden_dim", str(settings.char_hidden_dim),
        "--word_emb_dim", str(settings.word_emb_dim),
        "--char_emb_dim", str(settings.char_emb_dim),
        "--batch_size", str(settings.batch_size),
        "--max_steps", str(settings.max_steps),
        "--eval_interval", str(settings.eval_interval),
        "--optim", "adam",
        "--lr", str(settings.lr),
        "--word_dropout", str(settings.word_dropout),
        *([] if settings.char else ["--no_char"]),
        "--seed", str(settings.seed),
        "--cpu",
    ]  # fmt: skip
    logger = logging.getLogger("stanza")
    old_level = logger.level
    if not verbose:
        logger.setLevel(logging.WARNING)
    # One thread: the matrices are tiny, so more threads cost more than they give,
    # and the result would depend on the machine's thread count.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    t1 = time.perf_counter()
    try:
        ner_tagger.main(args)
        produced = work / MODEL_NAME
        if not produced.is_file():
            raise KgError("Stanza's NER trainer did not write a model")
        os.replace(produced, out / MODEL_NAME)
    finally:
        torch.set_num_threads(threads)
        logger.setLevel(old_level)
        shutil.rmtree(work, ignore_errors=True)
    t_train = time.perf_counter() - t1

    t2 = time.perf_counter()
    scores = evaluate(out / MODEL_NAME, corpus["test"])
    t_eval = time.perf_counter() - t2
    meta = {
        "fingerprint": fingerprint(settings),
        "model": MODEL_NAME,
        "settings": asdict(settings),
        "sentences": {k: len(v) for k, v in corpus.items()},
        "seconds": {"generate": round(t_gen, 2), "train": round(t_train, 2), "evaluate": round(t_eval, 2)},
        "test": scores,
    }
    _write_json(out / META_NAME, meta)  # written last: its presence marks a complete model
    return meta


def evaluate(model: Path, sentences: list[Sentence]) -> dict[str, float | int]:
    """Entity-level precision/recall/F1 of the model run through the Stanza backend."""
    from kg.entities.ner.stanza_backend import StanzaNer
    from kg.pipeline import Config

    ner = StanzaNer(Config(ner="stanza", stanza_ner_model=model))
    docs = [tokenize(s.text) for s in sentences]
    predicted = ner.annotate(docs)
    tp = n_pred = n_gold = 0
    for sentence, mentions in zip(sentences, predicted):
        gold = {(s, e, label) for s, e, label in sentence.spans}
        pred = {(m.start, m.end, m.label) for m in mentions}
        tp += len(gold & pred)
        n_pred += len(pred)
        n_gold += len(gold)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "gold": n_gold, "predicted": n_pred}


def default_out_dir() -> Path:
    """Where `kg models list` looks for the tiny model unless KG_TINY_NER_DIR says otherwise."""
    env = os.environ.get("KG_TINY_NER_DIR")
    if env:
        return Path(env)
    try:
        from platformdirs import user_cache_dir  # comes with stanza
    except ImportError:
        return Path.home() / ".cache" / "kg" / "tiny-ner"
    return Path(user_cache_dir("kg")) / "tiny-ner"


_DEFAULTS = TrainSettings()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kg.entities.ner.tiny_model",
        description="Generate a Persian NER corpus from kg's lexicons and train a tiny Stanza NER model on it.",
    )
    parser.add_argument("--out", type=Path, default=None, help=f"output folder (default: {default_out_dir()})")
    parser.add_argument("--seed", type=int, default=_DEFAULTS.seed)
    parser.add_argument("--steps", type=int, default=_DEFAULTS.max_steps, help="training steps")
    parser.add_argument("--force", action="store_true", help="retrain even if a matching model exists")
    parser.add_argument("--verbose", action="store_true", help="show Stanza's training log")
    args = parser.parse_args(argv)
    out = args.out or default_out_dir()
    settings = TrainSettings(seed=args.seed, max_steps=args.steps)
    try:
        if not args.force and cached_model(out, settings):
            print(f"{out / MODEL_NAME}: up to date")
            return 0
        meta = train(out, settings, verbose=args.verbose)
    except KgError as exc:
        print(f"tiny_model: error: {exc}", file=sys.stderr)
        return exc.exit_code
    t, s = meta["test"], meta["seconds"]
    print(
        f"{out / MODEL_NAME}: trained in {s['train']}s; held-out entities: "
        f"precision {t['precision']:.3f}, recall {t['recall']:.3f}, F1 {t['f1']:.3f} ({t['gold']} gold)"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
