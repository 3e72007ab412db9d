"""The run journal: one SQLite row per article, the resume point of corpus runs.

A row holds the article's content hash and its outputs (compressed N-Quads of
its named graph, claim and consistency lines). Rows are committed in batches
as results arrive, so an interrupted run loses at most the uncommitted batch;
the next run skips every article whose id and content hash are already there.
Keyed by article id, a changed article replaces its row — never a second copy
— which is why resuming cannot duplicate triples or claims.

The journal also records a fingerprint of the pipeline (configuration and the
code and lexicons of the `kg` package): when it changes, earlier results are
stale and every article is processed again.

Columns: ``seq`` orders outputs as the inputs of the latest run; ``run`` says
which run last saw the article (rows not seen by a finished run are dropped);
``loaded`` says whether the store holds the article's current graph.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from kg.corpus.work import ArticleResult
from kg.errors import KgError

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    doc_id TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    graph_iri TEXT NOT NULL,
    source TEXT,
    seq INTEGER NOT NULL,
    run INTEGER NOT NULL,
    nquads BLOB NOT NULL,
    claims TEXT NOT NULL,
    consistency TEXT NOT NULL,
    n_claims INTEGER NOT NULL,
    n_triples INTEGER NOT NULL,
    loaded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS articles_seq ON articles (seq);
-- the end of a run looks rows up by run and by loaded; without these indexes each
-- lookup reads the whole table, N-Quads blobs included (≈ 25 s at 100k articles)
CREATE INDEX IF NOT EXISTS articles_run ON articles (run);
CREATE INDEX IF NOT EXISTS articles_unloaded ON articles (seq) WHERE loaded = 0;
-- graphs the store may still hold that no current article owns (removed articles,
-- results of an older pipeline); cleared from the store at the next sync
CREATE TABLE IF NOT EXISTS retired (graph_iri TEXT PRIMARY KEY);
"""


class Journal:
    def __init__(self, path: Path, fingerprint: str, *, commit_every: int = 256, commit_seconds: float = 2.0):
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path), isolation_level="DEFERRED")
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise KgError(f"cannot open the run journal {path}: {exc}") from None
        self.commit_every = commit_every
        self.commit_seconds = commit_seconds
        self._uncommitted = 0
        self._last_commit = time.monotonic()
        self.reset = False
        if self._meta("schema") not in (None, SCHEMA_VERSION):
            raise KgError(f"{path} was written by another version of kg; delete it to start over")
        old = self._meta("fingerprint")
        if old is not None and old != fingerprint:
            # stale results: force reprocessing, but keep the rows' graph IRIs so the
            # store's old graphs are replaced (or dropped) rather than left behind
            self.db.execute("INSERT OR IGNORE INTO retired SELECT graph_iri FROM articles")
            self.db.execute("UPDATE articles SET digest = ''")
            self.reset = True
        self._set_meta("schema", SCHEMA_VERSION)
        self._set_meta("fingerprint", fingerprint)
        self.run = int(self._meta("run") or 0) + 1
        self._set_meta("run", str(self.run))
        self.db.commit()

    # -- meta ------------------------------------------------------------------
    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- during the run ----------------------------------------------------------
    def lookup(self, doc_id: str) -> tuple[str, int, int] | None:
        """(content hash, run, loaded) of the article's row, if any."""
        return self.db.execute("SELECT digest, run, loaded FROM articles WHERE doc_id = ?", (doc_id,)).fetchone()

    def touch(self, doc_id: str, seq: int) -> None:
        """An unchanged article seen again: keep its outputs, move it to this run's order."""
        self.db.execute("UPDATE articles SET seq = ?, run = ? WHERE doc_id = ?", (seq, self.run, doc_id))
        self._maybe_commit()

    def put(self, r: ArticleResult, graph_iri: str, seq: int) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO articles (doc_id, digest, graph_iri, source, seq, run, nquads, claims, consistency,"
            " n_claims, n_triples, loaded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
            (r.doc_id, r.digest, graph_iri, r.source, seq, self.run, r.nquads, r.claims, r.consistency,
             r.n_claims, r.n_triples),
        )
        self._maybe_commit()

    def _maybe_commit(self) -> None:
        self._uncommitted += 1
        now = time.monotonic()
        if self._uncommitted >= self.commit_every or now - self._last_commit >= self.commit_seconds:
            self.commit()

    def commit(self) -> None:
        self.db.commit()
        self._uncommitted = 0
        self._last_commit = time.monotonic()

    # -- after a finished run ----------------------------------------------------
    def drop_unseen(self) -> None:
        """Forget articles this run did not read (their graphs are retired from the store)."""
        # runs are numbered upwards, so "not seen by this run" is run < this run (an index range)
        self.db.execute("INSERT OR IGNORE INTO retired SELECT graph_iri FROM articles WHERE run < ?", (self.run,))
        self.db.execute("DELETE FROM articles WHERE run < ?", (self.run,))
        self.commit()

    def retired(self) -> Iterator[str]:
        cur = self.db.cursor()
        for (iri,) in cur.execute("SELECT graph_iri FROM retired"):
            yield iri

    def clear_retired(self) -> None:
        self.db.execute("DELETE FROM retired")
        self.commit()

    def unloaded(self) -> Iterator[tuple[str, bytes, int]]:
        """(graph IRI, compressed N-Quads, triples) of articles the store does not hold yet, in order."""
        cur = self.db.cursor()  # a cursor of its own: the caller may update rows meanwhile
        yield from cur.execute("SELECT graph_iri, nquads, n_triples FROM articles WHERE loaded = 0 ORDER BY seq")

    def unloaded_graphs(self) -> Iterator[str]:
        cur = self.db.cursor()
        for (iri,) in cur.execute("SELECT graph_iri FROM articles WHERE loaded = 0"):
            yield iri

    def mark_loaded(self, doc_ids: list[str] | None = None) -> None:
        """The store now holds these articles' graphs (None: every article's)."""
        if doc_ids is None:
            self.db.execute("UPDATE articles SET loaded = 1 WHERE loaded = 0")
            self.commit()
        elif doc_ids:
            self.db.executemany("UPDATE articles SET loaded = 1 WHERE doc_id = ?", ((d,) for d in doc_ids))

    def unload_retired(self) -> None:
        """The retired graphs were dropped from the store: rows that owned them must be loaded again."""
        self.db.execute("UPDATE articles SET loaded = 0 WHERE graph_iri IN (SELECT graph_iri FROM retired)")
        self.clear_retired()

    def outputs(self, column: str) -> Iterator[str]:
        """Claim or consistency lines of all articles, in input order, streamed."""
        if column not in ("claims", "consistency"):
            raise ValueError(column)
        cur = self.db.cursor()
        for (text,) in cur.execute(f"SELECT {column} FROM articles ORDER BY seq"):
            if text:
                yield text

    def nquads(self, limit: int | None = None) -> Iterator[bytes]:
        """Compressed N-Quads per article in input order (the first ``limit`` articles)."""
        cur = self.db.cursor()
        sql = "SELECT nquads FROM articles ORDER BY seq" + (" LIMIT ?" if limit else "")
        for (blob,) in cur.execute(sql, (limit,) if limit else ()):
            yield blob

    def totals(self) -> tuple[int, int, int]:
        """(articles, claims, triples before merging) over the whole journal."""
        row = self.db.execute("SELECT COUNT(*), COALESCE(SUM(n_claims), 0), COALESCE(SUM(n_triples), 0)"
                              " FROM articles").fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def close(self) -> None:
        try:
            self.db.commit()
        finally:
            self.db.close()
