"""Heavy work shared by every session of one server: identical work done once, different work in arrival order.

A :class:`Board` keeps one :class:`Flight` per key (the run identity and settings of a piece of work).
:meth:`Board.join` returns the flight already under way for that key, or starts one on a bounded pool
of worker threads; every session that joins waits on the same flight, reads its progress and gets its
result, or its error. The pool runs flights in the order they were started (first in, first out), so
a session's place in the queue is known (:meth:`Board.ahead`) and no session can jump it. A session
that stops waiting :meth:`Board.leave`\\ s the flight; when the last one leaves before it has finished,
the flight is cancelled: the work sees :class:`Cancelled` at its next progress report and the slot is
freed. One session's Stop never ends the work another session still waits on.

Pure Python (threads only): the pages poll a flight from their own script thread and draw its progress.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["Board", "Cancelled", "Flight"]


class Cancelled(Exception):
    """Raised inside a flight's work, at a progress report, once nobody waits for it any more."""


class Flight:
    """One piece of work that any number of sessions wait on.

    ``progress`` is the last ``(fraction, message)`` the work reported; ``notes`` are sentences the work
    wants every waiter to see (a fallback it made); ``started`` is set once a worker has picked it up.
    """

    def __init__(self, key: Hashable, order: int, seconds: float = 0.0):
        self.key = key
        self.order = order
        self.seconds = seconds  # the work's own estimate, for the wait of the flights behind it
        self.progress: tuple[float, str] = (0.0, "Waiting for a free worker…")
        self.notes: list[str] = []
        self.started = threading.Event()
        self.done = threading.Event()
        self.cancelled = threading.Event()
        self.waiters = 0
        self._result: Any = None
        self._error: BaseException | None = None

    def report(self, fraction: float, message: str) -> None:
        """Called by the work: record its progress, or raise :class:`Cancelled` when nobody waits any more."""
        if self.cancelled.is_set():
            raise Cancelled(f"nobody waits for {self.key!r} any more")
        self.progress = (float(fraction), message)

    def result(self, timeout: float | None = None) -> Any:
        """The work's result once it is done (its error raised in the caller); ``TimeoutError`` if not yet."""
        if not self.done.wait(timeout):
            raise TimeoutError("the work has not finished yet")
        if self._error is not None:
            raise self._error
        return self._result


class Board:
    """The server's flights, run on ``workers`` threads in the order they were started."""

    def __init__(self, *, workers: int):
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.workers = workers
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ie-heavy")
        self._lock = threading.Lock()
        self._flights: dict[Hashable, Flight] = {}
        self._order = itertools.count()

    def join(self, key: Hashable, work: Callable[[Flight], Any], *, seconds: float = 0.0) -> Flight:
        """The flight for ``key``: the one under way (``work`` is then not called), or a new one that runs
        ``work(flight)`` on the pool (``seconds``: its estimated length). The caller is counted as a waiter
        until it calls :meth:`leave`."""
        with self._lock:
            flight = self._flights.get(key)
            if flight is None or flight.cancelled.is_set():
                flight = self._flights[key] = Flight(key, next(self._order), seconds)
                self._pool.submit(self._run, flight, work)
            flight.waiters += 1
            return flight

    def leave(self, flight: Flight) -> None:
        """The caller stops waiting; the last waiter to leave an unfinished flight cancels it."""
        with self._lock:
            flight.waiters -= 1
            if flight.waiters <= 0 and not flight.done.is_set():
                flight.cancelled.set()
                if self._flights.get(flight.key) is flight:
                    del self._flights[flight.key]

    def ahead(self, flight: Flight) -> int:
        """How many flights started before ``flight`` still wait for a worker or hold one, beyond the free
        workers: 0 once it runs."""
        if flight.started.is_set():
            return 0
        with self._lock:
            earlier = [f for f in self._flights.values() if f.order < flight.order and not f.done.is_set()]
        return max(len(earlier) - self.workers + 1, 0) if earlier else 0

    def wait_seconds(self, flight: Flight) -> float:
        """About how long until ``flight`` gets a worker: what is left of the earlier flights' estimates, shared
        by the workers (0 once it runs)."""
        if flight.started.is_set():
            return 0.0
        with self._lock:
            earlier = [f for f in self._flights.values() if f.order < flight.order and not f.done.is_set()]
        left = sum(f.seconds * (1 - f.progress[0]) for f in earlier)
        return left / self.workers if len(earlier) >= self.workers else 0.0

    def running(self) -> int:
        """Flights holding a worker now."""
        with self._lock:
            return sum(f.started.is_set() and not f.done.is_set() for f in self._flights.values())

    def _run(self, flight: Flight, work: Callable[[Flight], Any]) -> None:
        if flight.cancelled.is_set():  # everyone left while it queued: never start it
            flight._error = Cancelled(f"nobody waits for {flight.key!r} any more")
            flight.done.set()
            return
        flight.started.set()
        try:
            flight._result = work(flight)
        except BaseException as exc:  # every waiter gets the error, whatever it is
            flight._error = exc
        finally:
            with self._lock:
                if self._flights.get(flight.key) is flight:
                    del self._flights[flight.key]
            flight.done.set()
