"""The single-flight rule and the pool's order (core.flights)."""

from __future__ import annotations

import threading

import pytest

from core.flights import Board, Cancelled


def _gate_work(gate: threading.Event, calls: list, value=None):
    def work(flight):
        calls.append(flight.key)
        while not gate.wait(0.01):
            flight.report(0.5, "working")
        return value

    return work


def test_two_sessions_asking_for_the_same_work_compute_it_once_and_both_get_it():
    board, gate, calls = Board(workers=2), threading.Event(), []
    results, joined = [], threading.Barrier(3)

    def session():
        flight = board.join("fit grid", _gate_work(gate, calls, value=42))
        joined.wait(10)
        try:
            results.append(flight.result(timeout=10))
        finally:
            board.leave(flight)

    threads = [threading.Thread(target=session) for _ in range(2)]
    for t in threads:
        t.start()
    joined.wait(10)  # both asked while the work runs
    gate.set()
    for t in threads:
        t.join(10)
    assert calls == ["fit grid"] and results == [42, 42]


def test_a_failure_reaches_every_waiter():
    board, gate = Board(workers=1), threading.Event()

    def work(flight):
        gate.wait(5)
        raise ValueError("the sampler cannot run on this data")

    a, b = board.join("k", work), board.join("k", work)
    assert a is b
    gate.set()
    for _ in range(2):
        with pytest.raises(ValueError, match="cannot run"):
            a.result(timeout=10)


def test_stop_in_one_session_leaves_the_work_to_the_other_and_the_last_to_leave_cancels_it():
    board, gate, calls = Board(workers=1), threading.Event(), []
    first = board.join("k", _gate_work(gate, calls, value="done"))
    second = board.join("k", _gate_work(gate, calls))
    board.leave(first)  # one student presses Stop
    assert not first.cancelled.is_set()
    gate.set()
    assert second.result(timeout=10) == "done" and calls == ["k"]
    board.leave(second)
    # alone, and leaving before the end: the work stops at its next report, and the slot is free again
    never = threading.Event()
    lone = board.join("other", _gate_work(never, []))
    while not lone.started.is_set():
        pass
    board.leave(lone)
    with pytest.raises(Cancelled):
        lone.result(timeout=10)
    again = board.join("other", lambda flight: "fresh")  # asked again later: a new flight, not the cancelled one
    assert again is not lone and again.result(timeout=10) == "fresh"


def test_the_pool_runs_flights_in_arrival_order_and_says_each_ones_place():
    board, gate, started = Board(workers=1), threading.Event(), []

    def work(name):
        def run(flight):
            started.append(name)
            if name == "a":
                gate.wait(10)
            return name

        return run

    flights = [board.join(n, work(n)) for n in "abcd"]
    while not flights[0].started.is_set():
        pass
    assert [board.ahead(f) for f in flights] == [0, 1, 2, 3]  # a runs; b waits for a; d for a, b and c
    gate.set()
    assert [f.result(timeout=10) for f in flights] == list("abcd") and started == list("abcd")
