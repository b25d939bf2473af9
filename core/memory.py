"""Give freed memory back to the operating system after large temporary arrays.

glibc keeps freed heap memory for reuse, so a long-running server that trains on large data grows
step by step even though its live data does not. ``malloc_trim`` returns what is free. On other C
libraries this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util

__all__ = ["release_freed_memory"]

_LIBC_NAME = ctypes.util.find_library("c")


def _libc():
    try:
        libc = ctypes.CDLL(_LIBC_NAME)
    except (OSError, TypeError):
        return None
    return libc if hasattr(libc, "malloc_trim") else None


_LIBC = _libc()


def release_freed_memory() -> bool:
    """Return freed heap memory to the system; True when the C library could do it."""
    if _LIBC is None:
        return False
    _LIBC.malloc_trim(0)
    return True
