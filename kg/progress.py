"""Progress for long runs: a live line on a terminal, a periodic plain line otherwise."""

from __future__ import annotations

import sys
import time
from typing import IO


class Progress:
    def __init__(self, label: str = "articles", *, quiet: bool = False, stream: IO[str] | None = None,
                 every_seconds: float = 10.0):
        self.label = label
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.every = 0.2 if self.tty else every_seconds
        self.start = time.monotonic()
        self.last = self.start
        self.done = 0
        self.failed = 0

    def update(self, n: int = 1, *, failed: int = 0) -> None:
        self.done += n
        self.failed += failed
        now = time.monotonic()
        if not self.quiet and now - self.last >= self.every:
            self.last = now
            self._emit(final=False)

    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.start, 1e-9)

    def _emit(self, final: bool) -> None:
        msg = f"{self.done} {self.label}, {self.rate():.1f}/s"
        if self.failed:
            msg += f", {self.failed} failed"
        if self.tty:
            self.stream.write("\r" + msg + ("\n" if final else ""))
        else:
            self.stream.write(msg + "\n")
        self.stream.flush()

    def close(self) -> None:
        if not self.quiet and self.tty and self.done:
            self._emit(final=True)
