"""Import the modelling modules in the background once the server's first page is drawn.

The Data and Class balance pages need neither scikit-learn nor imbalanced-learn, so a fresh server
draws its first chart without loading them (about 2.5 s on two cores). They are then imported in a
background thread while the user reads that page, so the first visit to Resample or Train does not
wait for them either. Python's import lock makes a page that needs a module before the thread is
done wait for it, never import it twice.
"""

from __future__ import annotations

import importlib
import threading

#: Modules the modelling pages import, heaviest first.
MODULES = (
    "core.modelling.evaluation",
    "core.modelling.strategies",
    "core.resampling.resample",
    "core.resampling.projection",
    "core.output.script",
    "core.output.shared_settings",
    "core.comparison.compare",
)
#: Seconds to wait after the first page's script run: its messages are still being sent and the browser
#: is still drawing (on a two-core machine an import thread started at once delayed the first chart by ~1 s).
DELAY = 3.0
_started = threading.Lock()
_done = threading.Event()


def _import_all() -> None:
    try:
        for name in MODULES:
            importlib.import_module(name)
    finally:
        _done.set()


def warm_up() -> threading.Event:
    """Start the background import (once per server process); the event is set when it has finished."""
    if _started.acquire(blocking=False):
        timer = threading.Timer(DELAY, _import_all)
        timer.name, timer.daemon = "ie-warm-up", True
        timer.start()
    return _done
