"""Where the work runs: in this process, in a local process pool, or on a Dask cluster.

Every executor has the same shape: `map_ordered(chunks)` takes an iterator of
chunks (lists of (Document, hash) pairs), runs `process_chunk` on each and
yields the results in input order. At most `window` chunks are in flight, so
however long the corpus, only a bounded number of articles is held in memory
(the reader is pulled only as results are consumed). Ordered results make the
outputs of a parallel run identical to those of a serial run.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from kg.corpus.work import ArticleResult, process_chunk
from kg.errors import KgError, RemoteError
from kg.pipeline import Config

Chunk = list  # list[tuple[Document, str]]


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(slots=True)
class SerialExecutor:
    config: Config
    raise_errors: bool = False
    name: str = "serial"

    def map_ordered(self, chunks: Iterable[Chunk]) -> Iterator[list[ArticleResult]]:
        for chunk in chunks:
            yield process_chunk(chunk, self.config, self.raise_errors)

    def close(self) -> None:
        pass


MAX_WORKER_CRASHES = 20  # then the run stops (it can be resumed)


class PoolExecutor:
    """A local process pool; each worker builds its pipeline once (see `kg.corpus.work`)."""

    name = "processes"

    def __init__(self, config: Config, workers: int, window_per_worker: int = 4):
        import multiprocessing as mp

        self.config = config
        self.workers = workers
        self.window = workers * window_per_worker
        # forkserver: children start from a clean process, not a copy of this one
        # (which may hold threads, open stores and large buffers).
        self._context = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
        self._crashes = 0
        self._pool = self._new_pool()

    def _new_pool(self):
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=self.workers, mp_context=self._context, initializer=_ignore_sigint)

    def _restart(self) -> None:
        self._crashes += 1
        if self._crashes > MAX_WORKER_CRASHES:
            raise KgError(f"worker processes died {self._crashes} times; stopping (rerun to resume)")
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()

    def map_ordered(self, chunks: Iterable[Chunk]) -> Iterator[list[ArticleResult]]:
        work = partial(process_chunk, config=self.config)
        pending: deque = deque()  # (chunk, future), in input order
        try:
            for chunk in chunks:
                pending.append((chunk, self._pool.submit(work, chunk)))
                if len(pending) >= self.window:
                    yield self._result(work, pending)
            while pending:
                yield self._result(work, pending)
        finally:
            for _, f in pending:
                f.cancel()

    def _result(self, work, pending: deque) -> list[ArticleResult]:
        """The next chunk's results. A worker that dies (segfault, out of memory) takes the
        pool down: the pool is restarted, the chunk is redone one article at a time so only
        the article that kills a worker fails, and the chunks in flight are resubmitted."""
        from concurrent.futures.process import BrokenProcessPool

        chunk, future = pending.popleft()
        try:
            return future.result()
        except BrokenProcessPool:
            self._restart()
        results = []
        for item in chunk:
            try:
                results.extend(self._pool.submit(work, [item]).result())
            except BrokenProcessPool:
                self._restart()
                doc, digest = item
                results.append(ArticleResult(doc.id, digest, doc.metadata.source,
                                             error="a worker process died on this article; skipped"))
        for i, (c, _) in enumerate(pending):
            pending[i] = (c, self._pool.submit(work, c))
        return results

    def close(self) -> None:
        # on Ctrl-C do not wait for running chunks: the journal already holds what finished
        interrupted = isinstance(sys.exc_info()[1], KeyboardInterrupt)
        self._pool.shutdown(wait=not interrupted, cancel_futures=True)


class DaskExecutor:
    """The same work on a Dask distributed cluster (``--executor dask --scheduler ADDRESS``).

    Chunks are submitted as tasks; the reader is pulled only while fewer than
    `window` tasks are pending, and results are yielded in input order.
    """

    name = "dask"

    def __init__(self, config: Config, scheduler: str | object, window: int | None = None):
        try:
            from distributed import Client
        except ImportError:
            raise KgError("--executor dask needs dask.distributed: pip install 'kg[dask]'") from None
        self.config = config
        if isinstance(scheduler, str):
            try:
                self._client = Client(scheduler, timeout="20s", set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise RemoteError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
            self._own = True
        else:  # an existing Client (tests, notebooks)
            self._client = scheduler
            self._own = False
        n = sum(w.get("nthreads", 1) for w in self._client.scheduler_info().get("workers", {}).values())
        self.window = window or max(4, 4 * n)

    def map_ordered(self, chunks: Iterable[Chunk]) -> Iterator[list[ArticleResult]]:
        import uuid

        config = self.config
        run = uuid.uuid4().hex  # task keys unique on a shared cluster
        pending: deque = deque()
        try:
            for i, chunk in enumerate(chunks):
                # pure=False: two identical chunks are still two tasks (no result sharing by key)
                pending.append(self._client.submit(process_chunk, chunk, config, pure=False, key=f"kg-chunk-{run}-{i}"))
                if len(pending) >= self.window:
                    fut = pending.popleft()
                    yield fut.result()
                    fut.release()
            while pending:
                fut = pending.popleft()
                yield fut.result()
                fut.release()
        finally:
            for f in pending:
                f.cancel()

    def close(self) -> None:
        if self._own:
            self._client.close()


def make_executor(config: Config, *, executor: str = "processes", workers: int | None = None,
                  scheduler: str | object | None = None, raise_errors: bool = False):
    if executor == "dask":
        if scheduler is None:
            raise KgError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        return DaskExecutor(config, scheduler)
    if executor != "processes":
        raise KgError(f"unknown executor {executor!r} (processes or dask)")
    n = workers or default_workers()
    if n < 1:
        raise KgError("--workers must be at least 1")
    if n == 1:
        return SerialExecutor(config, raise_errors)
    return PoolExecutor(config, n)


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the main process, which stops the run cleanly."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
