"""A failed or interrupted `kg build` leaves the earlier outputs intact and no temp files.

- a disk that fills up while the outputs are written (os.fsync or os.replace
  fails on the k-th file): every output is either the earlier complete file or the new
  complete one, never half of one, and no temp file remains;
- a stage that raises on one article: that article is listed in errors.jsonl
  (source, line, document, reason), the others are built, exit code 4;
- Ctrl-C in the middle of a corpus run (SIGINT to the process group, as a
  terminal sends it): exit 130, earlier outputs untouched, no temp files, and
  the next run finishes normally.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_PARTIAL

REPO = Path(__file__).resolve().parent.parent
OUTPUTS = ("graph.ttl", "claims.jsonl", "claims.csv", "consistency.jsonl", "graph.html")
SENTENCE = ("مدیر کل آموزش و پرورش استان گیلان گفت: امسال {n} مدرسه جدید ساخته شد و "
            "{m} درصد دانش‌آموزان در آن درس می‌خوانند.\n")


def _corpus(path: Path, n: int, first: int = 0, repeat: int = 1) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(first, first + n):
            text = SENTENCE.format(n=100 + i, m=10 + i % 80) * repeat
            fh.write(json.dumps({"id": f"art-{i}", "text": text}, ensure_ascii=False) + "\n")
    return path


def _snapshot(out: Path) -> dict[str, str]:
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in OUTPUTS if (out / name).exists()}


def _temps(out: Path) -> list[str]:
    return [str(p.relative_to(out)) for p in out.rglob("*") if p.name.endswith(".tmp")]


def _build(inputs: list[Path], out: Path, *extra: str) -> int:
    return main(["build", *map(str, inputs), "-o", str(out), "--quiet", "--ner", "rules", "--workers", "1", *extra])


# A full disk shows either when the data is flushed (fsync) or when the file is moved into place.
@pytest.mark.parametrize("call, fail_at", [("fsync", 1), ("fsync", 2), ("fsync", 3), ("fsync", 4),
                                           ("replace", 1), ("replace", 2), ("replace", 3), ("replace", 4),
                                           ("replace", 5)])
def test_a_full_disk_while_writing_leaves_only_whole_files(tmp_path, monkeypatch, capsys, call, fail_at):
    old_in = _corpus(tmp_path / "old.jsonl", 3)
    new_in = _corpus(tmp_path / "new.jsonl", 4, first=2)
    out, reference = tmp_path / "out", tmp_path / "reference"
    assert _build([old_in], out) == EXIT_OK
    assert _build([new_in], reference) == EXIT_OK
    old, new = _snapshot(out), _snapshot(reference)
    assert set(old) == set(OUTPUTS) and all(old[k] != new[k] for k in ("graph.ttl", "claims.jsonl"))
    capsys.readouterr()

    calls = {"n": 0}
    real = getattr(os, call)

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(os, call, failing)
    rc = _build([new_in], out)
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert calls["n"] >= fail_at, "the fault was never reached"
    assert rc == EXIT_ERROR
    assert len(err.strip().splitlines()) == 1 and "No space left" in err and "Traceback" not in err
    assert _temps(out) == []
    now = _snapshot(out)
    assert set(now) == set(OUTPUTS)
    for name in OUTPUTS:
        assert now[name] in (old[name], new[name]), f"{name} is neither the earlier nor the new file"
    # and the next run, with room on the disk, completes the new outputs
    assert _build([new_in], out) == EXIT_OK
    assert _snapshot(out) == new and _temps(out) == []


def test_a_stage_that_fails_on_one_article_fails_only_that_article(tmp_path, monkeypatch):
    import kg.stages  # noqa: F401  (fills the registry)
    from kg.pipeline import _REGISTRY

    corpus = _corpus(tmp_path / "c.jsonl", 4)
    spec = _REGISTRY["claims"]
    real = spec.func

    def flaky(doc, ctx):
        if doc.id == "art-1":
            raise RuntimeError("boom on purpose")
        return real(doc, ctx)

    monkeypatch.setattr(spec, "func", flaky)
    out = tmp_path / "out"
    assert _build([corpus], out) == EXIT_PARTIAL
    rows = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 1
    row = rows[0]
    assert row["document"] == "art-1" and row["line"] == 2 and row["source"].endswith("c.jsonl")
    assert "boom on purpose" in row["reason"]
    documents = {json.loads(line)["document"] for line in (out / "claims.jsonl").read_text(encoding="utf-8").splitlines()}
    assert documents == {"art-0", "art-2", "art-3"}
    assert _temps(out) == []
    # fixed and rerun: the failed article is built and the stale errors file goes away
    monkeypatch.undo()
    assert _build([corpus], out) == EXIT_OK
    assert not (out / "errors.jsonl").exists()


@pytest.mark.slow
def test_ctrl_c_in_the_middle_of_a_corpus_run(tmp_path):
    small = _corpus(tmp_path / "small.jsonl", 3)
    big = _corpus(tmp_path / "big.jsonl", 3000, first=10, repeat=3)  # ~20 s of work: it is stopped long before
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    cmd = [sys.executable, "-m", "kg", "build", "-o", str(out), "--quiet", "--ner", "rules", "--workers", "1"]
    first = subprocess.run([*cmd, str(small)], capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert first.returncode == EXIT_OK, first.stderr
    before = _snapshot(out)

    proc = subprocess.Popen([*cmd, str(big)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=REPO, start_new_session=True)
    try:
        journal = out / ".kg" / "journal.sqlite"
        size0 = journal.stat().st_size
        deadline = time.monotonic() + 60
        # wait until this run has journaled some articles, so it is stopped mid-way
        while time.monotonic() < deadline and proc.poll() is None:
            wal = journal.with_name(journal.name + "-wal")
            if journal.stat().st_size > size0 or (wal.exists() and wal.stat().st_size > 0):
                break
            time.sleep(0.1)
        time.sleep(0.5)
        assert proc.poll() is None, "the run finished before it could be interrupted"
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == EXIT_INTERRUPTED
    assert err.strip() == "kg: interrupted"
    assert _snapshot(out) == before
    assert _temps(out) == []

    again = subprocess.run([*cmd, str(small)], capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert again.returncode == EXIT_OK, again.stderr
    assert _snapshot(out) == before and _temps(out) == []
