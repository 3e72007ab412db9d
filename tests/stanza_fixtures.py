"""The tiny Stanza NER model, trained once per machine and reused while its inputs match.

Import the fixture in a test module (or conftest) with
``from stanza_fixtures import tiny_stanza_model`` (tests/ is on sys.path, like ``servers``); scripts and other
fixtures can call `tiny_model_path()`.

The model is trained in a subprocess (`python -m kg.entities.ner.tiny_model`)
so Stanza's trainer does not leave seeds, thread counts or logging settings
behind in the test process. It is cached in ``tests/.cache/stanza-tiny`` (or
``$KG_TEST_CACHE/stanza-tiny``) and retrained only when the fingerprint of the
generator inputs (generator code, tokeniser, lexicons, settings, Stanza
version) changes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRAIN_TIMEOUT = 900  # seconds; training takes about a minute on 2 CPU cores


def tiny_model_dir() -> Path:
    base = Path(os.environ.get("KG_TEST_CACHE", ROOT / "tests" / ".cache"))
    return base / "stanza-tiny"


def tiny_model_path() -> Path:
    """Path of the tiny Persian NER model, training it first if needed."""
    from kg.entities.ner import tiny_model

    out = tiny_model_dir()
    cached = tiny_model.cached_model(out)
    if cached is not None:
        return cached
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run(
        [sys.executable, "-m", "kg.entities.ner.tiny_model", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TRAIN_TIMEOUT,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"training the tiny Stanza model failed:\n{proc.stderr[-3000:]}")
    cached = tiny_model.cached_model(out)
    if cached is None:
        raise RuntimeError(f"tiny model training finished but {out} holds no matching model")
    return cached


@pytest.fixture(scope="session")
def tiny_stanza_model() -> Path:
    """The tiny model file (``fa_tiny_ner.pt``) for ``Config(stanza_ner_model=...)``."""
    return tiny_model_path()
