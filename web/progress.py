"""A progress bar for long ingests, drawn only when the output is a terminal."""

from __future__ import annotations

import time
from typing import IO

BAR_WIDTH = 30
REDRAW_SECONDS = 0.1


class TerminalProgress:
    """Draws ``[#####-----] 42% 12,345 records 2,100/s`` on one terminal line.

    ``graph.ingest`` calls ``start``, ``update`` and ``finish``; on anything that is not a
    terminal (a log file, a pipe, CI) every call does nothing, so logs stay clean.
    """

    def __init__(self, stream: IO[str] | None) -> None:
        self._stream = stream
        self._total = 0
        self._started = 0.0
        self._last_drawn = 0.0
        self._drawn = False

    @classmethod
    def for_stream(cls, stream: IO[str]) -> TerminalProgress:
        """A bar on ``stream`` if it is a terminal, else a silent one."""
        isatty = getattr(stream, "isatty", None)
        return cls(stream if isatty is not None and isatty() else None)

    @property
    def enabled(self) -> bool:
        """True when the bar is drawn."""
        return self._stream is not None

    def start(self, total_bytes: int) -> None:
        """Begin a run that will read ``total_bytes`` bytes of files."""
        self._total = max(total_bytes, 1)
        self._started = time.monotonic()

    def update(self, bytes_done: int, records: int) -> None:
        """Redraw (at most ten times a second) with the bytes read and records seen so far."""
        if self._stream is None:
            return
        now = time.monotonic()
        if now - self._last_drawn < REDRAW_SECONDS:
            return
        self._last_drawn = now
        self._stream.write("\r" + self.line(bytes_done, records, now - self._started))
        self._stream.flush()
        self._drawn = True

    def finish(self) -> None:
        """End the bar's line so the summary starts on a fresh one."""
        if self._stream is not None and self._drawn:
            self._stream.write("\n")
            self._stream.flush()

    def line(self, bytes_done: int, records: int, elapsed: float) -> str:
        """The text of the bar for this much progress."""
        fraction = min(bytes_done / self._total, 1.0) if self._total else 0.0
        filled = round(fraction * BAR_WIDTH)
        rate = records / elapsed if elapsed > 0 else 0.0
        return (
            f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {fraction:4.0%} "
            f"{records:,} records {rate:,.0f}/s"
        )
