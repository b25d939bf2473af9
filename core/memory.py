"""Give freed memory back to the operating system after large temporary arrays.

glibc keeps freed heap memory for reuse, so a long-running server that trains on large data grows
step by step even though its live data does not. :func:`return_large_blocks_promptly` makes every
large block its own mapping, returned to the system the moment it is freed, and sends Arrow's
allocations (pandas' text columns) through the same allocator instead of Arrow's own pool, which
keeps what it frees. :func:`share_heaps_between_threads` stops glibc giving every thread that
allocates a heap of its own (up to 8 per core), where freed memory stays. :func:`release_freed_memory`
(``malloc_trim``) returns what is free. The glibc parts are no-ops on other C libraries.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

__all__ = [
    "HEAPS",
    "LARGE_BLOCK",
    "release_freed_memory",
    "return_large_blocks_promptly",
    "share_heaps_between_threads",
]

_LIBC_NAME = ctypes.util.find_library("c")
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameters
_M_ARENA_MAX = -8

#: Blocks at least this large (bytes) get their own mapping.
LARGE_BLOCK = 1 << 20
#: Heaps (glibc "arenas") the threads of the process share, at most.
HEAPS = 2


def _libc():
    try:
        libc = ctypes.CDLL(_LIBC_NAME)
    except (OSError, TypeError):
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


_LIBC = _libc()


def release_freed_memory() -> bool:
    """Return freed heap memory to the system; True when the C library could do it."""
    if _LIBC is None:
        return False
    _LIBC.malloc_trim(0)
    return True


@functools.cache  # once per process: app.py calls it on every rerun
def return_large_blocks_promptly() -> bool:
    """Give every allocation of :data:`LARGE_BLOCK` bytes or more its own mapping; True when set.

    Arrow's allocations are sent through the C library too (its own pool keeps freed memory).

    glibc starts out doing this for blocks of 128 kB and up, but raises that limit (up to 32 MB) each
    time such a block is freed, after which arrays of several MB come from the heap, where freed
    space can stay with the process. Fixing the limit stops that rise. Measured at 300,000 rows it
    lowers peak memory by about 30 MB and stops the growth between trainings, with no change in time.
    """
    try:
        import pyarrow
    except ImportError:  # pragma: no cover - pyarrow is in requirements.txt
        pass
    else:
        pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    if _LIBC is None:
        return False
    return bool(_LIBC.mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK))


@functools.cache
def share_heaps_between_threads() -> bool:
    """Let threads share at most :data:`HEAPS` heaps from now on; True when set.

    glibc gives every thread that allocates a heap of its own, up to 8 per core, and memory freed in
    one heap is not reused by the others. A Streamlit server runs every session in its own thread and
    the forests grow trees in worker threads, so each of them ends up holding its own freed memory.
    Sharing two heaps lowered the peak of training the four default strategies on 10,000 rows by
    about 1.5 MB (a tenth), with no change in time at 100,000 rows (``docs/benchmarks.md``). Threads
    that already have a heap keep it; ``scripts/start.sh`` sets ``MALLOC_ARENA_MAX`` so that the
    server's own threads share too.
    """
    if _LIBC is None:
        return False
    return bool(_LIBC.mallopt(_M_ARENA_MAX, HEAPS))
