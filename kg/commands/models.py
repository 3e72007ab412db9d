"""`kg models`: download, list and locate the Stanza Persian models.

    kg models download [--dir DIR] [--lang fa]   fetch tokenize + ner (needs internet)
    kg models list [--dir DIR]                   what is installed where, and the tiny test model
    kg models path [--dir DIR] [--tiny]          print the resources folder (or the tiny model file)
"""

from __future__ import annotations

import argparse
import re
import socket
import sys
from pathlib import Path

from kg.errors import KgError

LANGS = ("fa",)
PROCESSORS = "tokenize,ner"


def register(subparsers) -> None:
    p = subparsers.add_parser("models", help="download and list Stanza models", description=__doc__,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="models_command", metavar="ACTION", parser_class=type(p))
    sub.required = True

    d = sub.add_parser("download", help="download Stanza's Persian tokenizer and NER models (needs internet)")
    d.add_argument("--dir", type=Path, default=None, help="Stanza resources folder (default: Stanza's own)")
    d.add_argument("--lang", choices=LANGS, default="fa")
    d.add_argument("--resources-url", default=None, help="where Stanza's resources.json lives (default: Stanza's)")
    d.add_argument("--timeout", type=float, default=60.0, help="network timeout in seconds (default: 60)")
    d.add_argument("--verbose", action="store_true", help="show Stanza's download progress")
    d.set_defaults(func=run_download)

    ls = sub.add_parser("list", help="show installed Stanza models and the tiny test model")
    ls.add_argument("--dir", type=Path, default=None, help="Stanza resources folder (default: Stanza's own)")
    ls.set_defaults(func=run_list)

    pa = sub.add_parser("path", help="print the Stanza resources folder (or, with --tiny, the tiny test model)")
    pa.add_argument("--dir", type=Path, default=None, help="Stanza resources folder (default: Stanza's own)")
    pa.add_argument("--tiny", action="store_true", help="print the tiny test model's file instead")
    pa.set_defaults(func=run_path)


def _resources_dir(arg: Path | None) -> Path:
    from kg.entities.ner.stanza_backend import default_stanza_dir, stanza_importable

    if arg is not None:
        return arg
    if not stanza_importable():
        from kg.entities.ner.stanza_backend import NOT_INSTALLED_MESSAGE

        raise KgError(NOT_INSTALLED_MESSAGE)
    return default_stanza_dir()


def _reason(exc: BaseException) -> str:
    """The innermost cause of a download failure, in a few words."""
    seen = set()
    inner = exc
    while id(inner) not in seen:
        seen.add(id(inner))
        nxt = getattr(inner, "reason", None) or inner.__cause__ or inner.__context__
        if nxt is None and inner.args and isinstance(inner.args[0], BaseException):
            nxt = inner.args[0]
        if not isinstance(nxt, BaseException):
            break
        inner = nxt
    text = " ".join(str(inner).split()) or type(inner).__name__
    # urllib3 prefixes "HTTPSConnection(host='...', port=443): "; the host is in the URL anyway
    text = re.sub(r"^\w+\(host='[^']*', port=\d+\): ", "", text)
    text = re.sub(r"^<[^>]*>: ", "", text)
    return text if len(text) <= 160 else text[:157] + "..."


def run_download(args: argparse.Namespace) -> int:
    from kg.entities.ner.stanza_backend import NOT_INSTALLED_MESSAGE, stanza_importable

    if not stanza_importable():
        raise KgError(NOT_INSTALLED_MESSAGE)
    directory = _resources_dir(args.dir)
    try:
        import stanza
    except Exception as exc:
        raise KgError(f"could not import Stanza: {_reason(exc)}") from exc
    kwargs: dict[str, object] = {
        "lang": args.lang,
        "model_dir": str(directory),
        "processors": PROCESSORS,
        "logging_level": "INFO" if args.verbose else "WARNING",
    }
    if args.resources_url:
        kwargs["resources_url"] = args.resources_url
    # requests has no default timeout; a silently dropped connection would hang forever
    old_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(args.timeout)
    try:
        stanza.download(**kwargs)
    except KeyboardInterrupt:
        raise
    except Exception as exc:
        raise KgError(
            f"could not download Stanza models for {args.lang} from the model hub (network unreachable?): {_reason(exc)}"
        ) from exc
    finally:
        socket.setdefaulttimeout(old_timeout)
    print(f"installed Stanza {args.lang} models ({PROCESSORS}) in {directory}")
    return 0


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.0f} kB"


def run_list(args: argparse.Namespace) -> int:
    from importlib.metadata import PackageNotFoundError, version

    from kg.entities.ner import tiny_model
    from kg.entities.ner.stanza_backend import LANG, default_stanza_dir, installed_models, stanza_available
    from kg.pipeline import Config

    out = sys.stdout
    try:
        stanza_version: str | None = version("stanza")
    except PackageNotFoundError:
        stanza_version = None
    print(f"stanza: {stanza_version or 'not installed (pip install kg[stanza])'}", file=out)
    directory = args.dir if args.dir is not None else (default_stanza_dir() if stanza_version else None)
    if directory is not None:
        has_json = (directory / "resources.json").is_file()
        print(f"resources: {directory}{'' if has_json else '  (no resources.json)'}", file=out)
        found = False
        lang_dir = directory / LANG
        for proc in sorted(p.name for p in lang_dir.iterdir() if p.is_dir()) if lang_dir.is_dir() else []:
            for model in installed_models(directory, proc):
                found = True
                print(f"  {LANG}/{proc}/{model.name}  {_size(model)}", file=out)
        if not found:
            print(f"  no {LANG} models (run: kg models download)", file=out)
    tiny_dir = tiny_model.default_out_dir()
    tiny_file = tiny_dir / tiny_model.MODEL_NAME
    if tiny_model.cached_model(tiny_dir):
        state = "present, up to date"
    elif tiny_file.is_file():
        state = "present, trained from older inputs"
    else:
        state = "missing (python -m kg.entities.ner.tiny_model)"
    print(f"tiny test model: {tiny_file}  {state}", file=out)
    auto = "combined (stanza + rules)" if stanza_available(Config(stanza_dir=args.dir)) else "rules"
    print(f"--ner auto uses: {auto}", file=out)
    return 0


def run_path(args: argparse.Namespace) -> int:
    if args.tiny:
        from kg.entities.ner import tiny_model

        path = tiny_model.default_out_dir() / tiny_model.MODEL_NAME
        if not path.is_file():
            raise KgError(f"no tiny NER model at {path}; train it with: python -m kg.entities.ner.tiny_model")
        print(path)
        return 0
    print(_resources_dir(args.dir))
    return 0
