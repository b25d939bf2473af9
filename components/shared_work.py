"""Heavy work every session shares, for both kinds of target: the server's board of work (identical work once, the
rest in arrival order, :mod:`core.flights`), the stores of finished results, the wait with a progress bar and a
Stop button, and where the fits run (this server, or the Dask cluster named by ``IE_DASK_SCHEDULER``).

A page asks :func:`wait_for` for a piece of work by its key; it joins the flight already under way for that key
or starts one, draws its progress, and returns **the flight's own result**: a store may have let an entry go
while the page waited, so nothing is read back from it.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import streamlit as st

from components import state
from components.messages import show_message
from core.flights import Board, Flight

__all__ = ["POLL_SECONDS", "STORE_SIZE", "Store", "fit_runner", "heavy_board", "store", "wait_for", "waiting_text"]

#: How often a waiting page redraws the shared work's progress, in seconds.
POLL_SECONDS = 0.25
#: Finished results each store keeps (the least recently used go first).
STORE_SIZE = 64


class Store:
    """Finished results every session shares, by key (only identical data and settings ever share one), the
    latest :data:`STORE_SIZE`. Safe to use from every session's thread. A store rather than ``st.cache_data``, so
    the work can report progress while it runs."""

    def __init__(self, size: int = STORE_SIZE):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """The result kept for ``key``, or None."""
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` for ``key``; the least recently used go once there are more than :attr:`size`."""
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every result."""
        with self._lock:
            self._items.clear()


@st.cache_resource
def store(kind: str) -> Store:
    """The server's store of one kind of result ("evaluations", "number fits")."""
    return Store()


@st.cache_resource
def heavy_board() -> Board:
    """The server's one board of heavy work, with ``IE_HEAVY_SLOTS`` workers (default: the machine's cores): every
    session's training goes through it, so identical work runs once."""
    setting = os.environ.get(state.SLOTS_SETTING, "").strip()
    workers = int(setting) if setting.isdigit() and int(setting) > 0 else (os.cpu_count() or 1)
    return Board(workers=workers)


def waiting_text(board: Board, flight: Flight, head: str) -> str:
    """What the progress bar says: the place in the queue while waiting, then the shared work's progress."""
    if not flight.started.is_set():
        ahead = board.ahead(flight)
        if ahead:
            wait = board.wait_seconds(flight)
            about = f" (about {wait:,.0f} s)" if wait >= 1 else ""
            return (f"Waiting for {ahead} other training{'s' if ahead != 1 else ''} on this server{about}; "
                    "yours starts next." if ahead == 1 else
                    f"Waiting for {ahead} other trainings on this server{about}.")  # fmt: skip
        return f"{head}: starting…"
    others = flight.waiters - 1
    shared = f" (shared with {others} other session{'s' if others != 1 else ''} asking for the same)" if others else ""
    return f"{head}: {flight.progress[1]}{shared}"


def wait_for(
    key: Hashable,
    work: Callable[[Flight], Any],
    *,
    head: str,
    stop_key: str,
    on_stop: Callable[..., None],
    seconds: float = 0.0,
) -> Any:
    """The result of ``work`` for ``key``: the flight already under way for it, joined, or a new one; its progress
    drawn with a Stop button (``stop_key``, calling ``on_stop``) until it ends; then its notes. Pressing Stop, or
    any rerun, leaves the flight (the last one out stops it) and passes through as Streamlit's stop."""
    board = heavy_board()
    flight = board.join(key, work, seconds=seconds)
    holder = st.empty()
    with holder.container():
        bar = st.progress(0.0, text="Preparing…")
        st.button("Stop training", key=stop_key, on_click=on_stop, args=(None,), icon=":material/stop:")
    try:
        while not flight.done.wait(POLL_SECONDS):
            bar.progress(min(flight.progress[0], 1.0), text=waiting_text(board, flight, head))
        result = flight.result()
    finally:
        board.leave(flight)
    holder.empty()
    for note in flight.notes:
        show_message("warning", note)
    return result


_CLIENTS: dict[str, object] = {}
_CLIENTS_LOCK = threading.Lock()


def _dask_client(address: str):
    """One ``distributed.Client`` per scheduler address for the whole server (not ``st.cache_resource``: a Client
    is awaitable, which Streamlit's caches refuse); made again if it has closed."""
    from distributed import Client

    with _CLIENTS_LOCK:
        client = _CLIENTS.get(address)
        if client is None or client.status not in ("running", "connecting"):
            client = _CLIENTS[address] = Client(address, set_as_default=False, timeout="10s")
        return client


def fit_runner() -> tuple[object | None, str]:
    """Where the fits run: the Dask cluster named by ``IE_DASK_SCHEDULER`` (through joblib's "dask" backend),
    or this server. Returns the runner (``None`` for this server) and a phrase for the progress bar. A cluster
    that cannot be reached is said on the page, and the fits run here."""
    address = os.environ.get(state.DASK_SETTING, "").strip()
    if not address:
        return None, ""
    from core.modelling.fitting import joblib_runner

    try:
        client = _dask_client(address)
    except (OSError, TimeoutError, ValueError) as exc:
        show_message("warning", f"The Dask cluster at {address} (IE_DASK_SCHEDULER) could not be reached ({exc}), so "
                     "the models are trained on this server.")  # fmt: skip
        return None, ""
    workers = len(client.scheduler_info().get("workers", {}))
    return joblib_runner(backend="dask", client=client), f" on the Dask cluster at {address} ({workers} workers)"
