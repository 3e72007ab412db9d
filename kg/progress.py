"""Progress for long runs: a live status line on a terminal, a periodic plain line otherwise.

On a terminal the line is redrawn about five times a second (articles done,
articles per second over the last few seconds, skipped and failed counts,
elapsed time) with an activity bar, since a streamed corpus has no known
length. When stderr is a file or a pipe (CI logs, nohup), a plain line is
written every `every_seconds` instead, so logs stay readable. `quiet` turns
both off.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from typing import IO

BAR = 20  # cells of the activity bar


def _clock(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class Progress:
    def __init__(self, label: str = "articles", *, quiet: bool = False, stream: IO[str] | None = None,
                 every_seconds: float = 10.0, clock=time.monotonic):
        self.label = label
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", None) and self.stream.isatty())
        self.every = 0.2 if self.tty else every_seconds
        self.clock = clock
        self.start = clock()
        self.last = self.start
        self.done = 0
        self.skipped = 0
        self.failed = 0
        self._window: deque[tuple[float, int]] = deque([(self.start, 0)])  # for the recent rate
        self._ticks = 0
        self._drawn = False

    def update(self, n: int = 1, *, failed: int = 0, skipped: int = 0) -> None:
        self.done += n
        self.failed += failed
        self.skipped += skipped
        now = self.clock()
        if not self.quiet and now - self.last >= self.every:
            self.last = now
            self._window.append((now, self.done))
            while len(self._window) > 2 and now - self._window[0][0] > 10.0:
                self._window.popleft()
            self._emit(final=False)

    def rate(self, recent: bool = False) -> float:
        """Articles processed per second (overall, or over the last ~10 s)."""
        now = self.clock()
        if recent and len(self._window) > 1:
            t0, n0 = self._window[0]
            return (self.done - n0) / max(now - t0, 1e-9)
        return self.done / max(now - self.start, 1e-9)

    def message(self, final: bool = False) -> str:
        elapsed = self.clock() - self.start
        msg = f"{self.done} {self.label}, {self.rate(recent=not final):.1f}/s"
        if self.skipped:
            msg += f", {self.skipped} unchanged"
        if self.failed:
            msg += f", {self.failed} failed"
        return msg + f", {_clock(elapsed)}"

    def _emit(self, final: bool) -> None:
        msg = self.message(final)
        if self.tty:
            self._ticks += 1
            pos = self._ticks % (2 * BAR - 2)
            pos = pos if pos < BAR else 2 * BAR - 2 - pos  # bounce: the run is alive
            bar = "=" * BAR if final else " " * pos + "<=>" + " " * (BAR - pos)
            self.stream.write(f"\r[{bar[:BAR]}] {msg}\x1b[K" + ("\n" if final else ""))
            self._drawn = True
        else:
            self.stream.write(msg + "\n")
        self.stream.flush()

    def close(self) -> None:
        if not self.quiet and self.tty and (self._drawn or self.done):
            self._emit(final=True)
