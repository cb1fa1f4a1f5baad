"""Query budgets: how many seconds of expensive queries a client may spend per minute.

Every gunicorn worker process answers the same clients, so the spending is kept in files under
the store directory (``DIR/ratelimit/``), one small append-only file per client that has run
an expensive query. Cheap queries cost nothing and touch no file; checking a client that never
ran an expensive query is one failed ``stat``.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import shutil
import tempfile
import time
import weakref
from pathlib import Path

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60.0
EXPENSIVE_SECONDS = 0.25  # queries faster than this are not counted
COMPACT_BYTES = 4096


class QueryBudget:
    """Seconds of expensive queries each client may spend per window, shared across processes."""

    def __init__(self, folder: Path | None, seconds: float, window: float = WINDOW_SECONDS,
                 expensive: float = EXPENSIVE_SECONDS) -> None:
        if folder is None:
            # an in-memory store has no directory: a private one, removed with this budget
            folder = Path(tempfile.mkdtemp(prefix="labourgraph-ratelimit-"))
            weakref.finalize(self, shutil.rmtree, folder, True)
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.seconds = seconds
        self.window = window
        self.expensive = expensive

    def _path(self, client: str) -> Path:
        return self.folder / hashlib.sha1(client.encode("utf-8")).hexdigest()[:20]

    def _recent(self, client: str, now: float) -> list[tuple[float, float]]:
        try:
            text = self._path(client).read_text(encoding="ascii")
        except FileNotFoundError:
            return []
        entries = []
        for line in text.splitlines():
            at, _, cost = line.partition(" ")
            try:
                if float(at) > now - self.window:
                    entries.append((float(at), float(cost)))
            except ValueError:
                continue  # a line cut by a concurrent compaction
        return entries

    def retry_after(self, client: str) -> int | None:
        """Seconds until ``client`` may query again, or None if it is within its budget."""
        now = time.time()
        recent = self._recent(client, now)
        spent = sum(cost for _, cost in recent)
        if spent < self.seconds:
            return None
        over = spent - self.seconds
        for at, cost in sorted(recent):
            over -= cost
            if over < 0:
                return max(1, math.ceil(at + self.window - now))
        return max(1, math.ceil(self.window))

    def charge(self, client: str, seconds: float) -> None:
        """Count a query of ``seconds`` against ``client`` (cheap queries are free)."""
        if seconds < self.expensive:
            return
        path = self._path(client)
        line = f"{time.time():.3f} {seconds:.3f}\n".encode("ascii")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, line)  # one small O_APPEND write: atomic between processes
            size = os.fstat(fd).st_size
        finally:
            os.close(fd)
        if size > COMPACT_BYTES:
            self._compact(client)

    def _compact(self, client: str) -> None:
        now = time.time()
        recent = self._recent(client, now)
        tmp = self._path(client).with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text("".join(f"{at:.3f} {cost:.3f}\n" for at, cost in recent), encoding="ascii")
        os.replace(tmp, self._path(client))
