"""Query budgets: how many seconds of expensive queries a client may spend per minute.

Every uWSGI worker process answers the same clients, so the spending is kept in files under
the store directory (``DIR/ratelimit/``), one small append-only file per client that has run
an expensive query. Cheap queries cost nothing and write nothing.

Checking a client costs one ``stat`` of its file (no open, no read): a process keeps what it
last read of each file, keyed by the file's inode, size and modification time, and reads the file
again only when another query has been charged to that client since. Compaction folds the
entries of each second into one line, so a file holds at most one line per second of the window.
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
REMEMBERED_CLIENTS = 4096  # past this many, what a process remembers is forgotten and re-read

Entry = tuple[float, float]  # when (epoch seconds), query seconds


class QueryBudget:
    """Seconds of expensive queries each client may spend per window, shared across processes."""

    def __init__(
        self,
        folder: Path | None,
        seconds: float,
        window: float = WINDOW_SECONDS,
        expensive: float = EXPENSIVE_SECONDS,
    ) -> None:
        if folder is None:
            # an in-memory store has no directory: a private one, removed with this budget
            folder = Path(tempfile.mkdtemp(prefix="labourgraph-ratelimit-"))
            weakref.finalize(self, shutil.rmtree, folder, True)
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.seconds = seconds
        self.window = window
        self.expensive = expensive
        self._paths: dict[str, str] = {}
        # by client: the file version last read, its entries, and their sum
        self._seen: dict[str, tuple[tuple[int, int, int], list[Entry], float]] = {}

    def _path(self, client: str) -> str:
        path = self._paths.get(client)
        if path is None:
            if len(self._paths) >= REMEMBERED_CLIENTS:
                self._paths.clear()
                self._seen.clear()
            digest = hashlib.sha1(client.encode("utf-8")).hexdigest()[:20]
            path = self._paths[client] = os.path.join(self.folder, digest)
        return path

    def _entries(self, client: str) -> tuple[list[Entry], float]:
        """The client's charges as last written, and their sum; read again only if changed."""
        path = self._path(client)
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            return [], 0.0
        version = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        seen = self._seen.get(client)
        if seen is not None and seen[0] == version:
            return seen[1], seen[2]
        entries = self._read(path)
        total = sum(cost for _, cost in entries)
        self._seen[client] = (version, entries, total)
        return entries, total

    @staticmethod
    def _read(path: str) -> list[Entry]:
        try:
            with open(path, encoding="ascii") as file:
                text = file.read()
        except FileNotFoundError:
            return []
        entries = []
        for line in text.splitlines():
            at, _, cost = line.partition(" ")
            try:
                entries.append((float(at), float(cost)))
            except ValueError:
                continue  # a line cut by a concurrent compaction
        return entries

    def _recent(self, client: str, now: float) -> list[Entry]:
        return [(at, cost) for at, cost in self._entries(client)[0] if at > now - self.window]

    def retry_after(self, client: str) -> int | None:
        """Seconds until ``client`` may query again, or None if it is within its budget."""
        if self._entries(client)[1] < self.seconds:  # everything in the file, old or not
            return None
        now = time.time()
        recent = self._recent(client, now)
        spent = sum(cost for _, cost in recent)
        if spent < self.seconds:
            return None
        over = spent - self.seconds
        for at, cost in sorted(recent):
            over -= cost
            if over < 0:
                # entries are folded to whole seconds, so one may sit a moment in the
                # future: never ask a client to wait longer than the window itself
                return min(math.ceil(self.window), max(1, math.ceil(at + self.window - now)))
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
        """Drop entries past the window; fold the rest into one line per second."""
        now = time.time()
        per_second: dict[int, Entry] = {}
        for at, cost in self._recent(client, now):
            last, total = per_second.get(int(at), (at, 0.0))
            per_second[int(at)] = (max(last, at), total + cost)
        path = self._path(client)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="ascii") as file:
            file.writelines(f"{at:.3f} {cost:.3f}\n" for at, cost in sorted(per_second.values()))
        os.replace(tmp, path)
