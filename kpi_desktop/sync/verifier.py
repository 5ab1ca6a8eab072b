"""Many Ed25519 verifications at once, on every core (issue 18).

Verification dominates an import and ``kpi-desktop check`` (one core verifies ~5,000
signatures a second here; cryptography holds the GIL, so threads do not help). Work is cut into
chunks and handed to a pool of worker *processes* (started with ``spawn``: the application has
Qt and SQLite threads, which ``fork`` must not copy), one per core. The calling process does
not sit idle: it takes chunks back from the end of the queue that no worker has started and
verifies them itself, so a pool still starting (its first use, ~0.3 s) costs nothing, and on
one core everything simply runs here.

The answers are pure functions of the bytes: ``verify_many`` returns exactly what
``keys.verify`` would, form by form; the database work around it stays in one transaction of
the caller's.
"""

from __future__ import annotations

import atexit
import bisect
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from kpi_desktop.sync.keys import verify

__all__ = ["Pending", "Work", "cores", "parallel", "shutdown", "submit", "verify_chunk",
           "verify_many"]

# (public key, signature, the signed forms to try in order).
Work = tuple[bytes, bytes, Sequence[bytes]]

# Below this many signatures everything is verified here (~25 ms on one core): handing
# them to the pool would cost about as much as it saves.
POOL_THRESHOLD = 128
# Signatures a chunk (~40 ms on one core): small enough that the last chunk does not leave a
# core idle for long, large enough that passing it between processes costs little.
CHUNK = 200
# The first chunk of a batch (~2 ms), each next one twice the size up to CHUNK. The caller
# asks for the first answers at once (an import applies its first record): the first chunk
# is verified here (handing it over and back would only add the wait), the next ones by the
# workers meanwhile, small at first so that the answers keep ahead of the caller.
FIRST_CHUNK = 16

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_pid: int | None = None


def cores() -> int:
    """The cores this process may run on (the pool's size)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def verify_chunk(items: Sequence[Work]) -> list[int]:
    """For each (public key, signature, forms): the index of the first form the signature
    verifies, or -1 when it verifies none (a worker's task; also run here)."""
    found = []
    for public_key, signature, forms in items:
        for index, data in enumerate(forms):
            if verify(public_key, signature, data):
                found.append(index)
                break
        else:
            found.append(-1)
    return found


def parallel() -> bool:
    """Whether verification uses worker processes here (two cores or more)."""
    return cores() >= 2 and not os.environ.get("KPI_DESKTOP_ONE_CORE")


def _the_pool() -> ProcessPoolExecutor | None:
    global _pool, _pool_pid
    if not parallel():
        return None
    with _lock:
        if _pool is None or _pool_pid != os.getpid():
            _pool = ProcessPoolExecutor(max_workers=cores(),
                                        mp_context=multiprocessing.get_context("spawn"))
            _pool_pid = os.getpid()
        return _pool


def shutdown() -> None:
    """Stop the worker processes (at exit; the next ``verify_many`` starts them again)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None and _pool_pid == os.getpid():
        pool.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown)


class Pending:
    """The answers of :func:`verify_chunk` for ``items``, being worked out on every core in
    the background (:func:`submit`). :meth:`answer` waits for the chunk that holds an item —
    or, when no worker has started that chunk yet, verifies it here — so the caller can use
    the first answers (apply the first records) while the workers verify the rest."""

    def __init__(self, items: Sequence[Work], pool: ProcessPoolExecutor | None,
                 first_here: bool = True) -> None:
        self._starts: list[int] = []  # where each chunk begins in ``items``
        self._chunks: list[Sequence[Work]] = []
        start, size = 0, min(FIRST_CHUNK, CHUNK)
        while start < len(items):  # sizes 16, 32, 64, … up to CHUNK
            self._starts.append(start)
            self._chunks.append(items[start:start + size])
            start += size
            size = min(size * 2, CHUNK)
        self._futures: list[Future[list[int]] | None] = [None] * len(self._chunks)
        self._answers: list[list[int] | None] = [None] * len(self._chunks)
        if pool is not None:
            try:
                here = min(1, len(self._chunks)) if first_here else 0
                self._futures = [None] * here + [
                    pool.submit(verify_chunk, c) for c in self._chunks[here:]]
            except RuntimeError:  # the pool is shutting down (interpreter exit) or broken
                self.cancel()
                self._futures = [None] * len(self._chunks)

    def _settle(self, index: int) -> list[int]:
        answer = self._answers[index]
        if answer is None:
            future = self._futures[index]
            if future is None or future.cancel():
                answer = verify_chunk(self._chunks[index])
            else:
                try:
                    answer = future.result()
                except Exception:  # a worker died (killed, out of memory): here  # noqa: BLE001
                    answer = verify_chunk(self._chunks[index])
            self._answers[index] = answer
            self._futures[index] = None
        return answer

    def answer(self, index: int) -> int:
        """The answer for ``items[index]``: the index of the first form the signature
        verifies, or -1."""
        chunk = bisect.bisect_right(self._starts, index) - 1
        return self._settle(chunk)[index - self._starts[chunk]]

    def all(self) -> list[int]:
        """Every answer, in order. Chunks no worker has taken yet are taken back and verified
        here first, from the end (no core idles while the pool starts or finishes)."""
        for index in range(len(self._chunks) - 1, -1, -1):
            future = self._futures[index]
            if future is not None and future.cancel():
                self._answers[index] = verify_chunk(self._chunks[index])
                self._futures[index] = None
        return [found for index in range(len(self._chunks)) for found in self._settle(index)]

    def cancel(self) -> None:
        """Drop the chunks no worker has started (the caller no longer needs them)."""
        for future in self._futures:
            if future is not None:
                future.cancel()


def submit(items: Sequence[Work], *, first_here: bool = True) -> Pending:
    """:func:`verify_chunk` of ``items`` started on every core when there are enough of them
    (answers through :class:`Pending`); with few items, or one core, everything is verified
    here when asked. ``first_here``: the first chunk is left to the caller, who asks for it
    at once (``False``: the answers are wanted later, every chunk goes to the workers)."""
    return Pending(items, _the_pool() if len(items) >= POOL_THRESHOLD else None, first_here)


def verify_many(items: Sequence[Work]) -> list[int]:
    """:func:`verify_chunk` of ``items``, on every core when there are enough of them."""
    return submit(items).all()
