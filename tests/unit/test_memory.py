"""core.memory: freed memory goes back to the system (glibc only)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.memory import HEAPS, release_freed_memory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mallopt and malloc_trim are glibc's")

FREED_MB = """
import os, sys
import numpy as np
sys.path.insert(0, {root!r})
from core.memory import return_large_blocks_promptly
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
if {promptly}:
    assert return_large_blocks_promptly()
big = np.ones(1 << 20); del big                  # an 8 MB block freed: glibc raises its limit to 8 MB
blocks = [np.ones(1 << 18) for _ in range(20)]   # then twenty blocks of 2 MB
before = rss()
del blocks[:-1]                                  # all freed but the last
print(before - rss())
"""


def _freed_mb(*, promptly: bool) -> float:
    code = FREED_MB.format(root=str(ROOT), promptly=promptly)
    return float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)


def test_large_blocks_go_back_to_the_system_as_soon_as_they_are_freed():
    assert _freed_mb(promptly=True) > 30  # 19 blocks of 2 MB returned at once
    assert _freed_mb(promptly=False) < 10  # glibc's default keeps them in the heap


def test_freed_memory_can_be_returned():
    assert release_freed_memory() is True


HEAPS_USED = """
import ctypes, os, sys, tempfile, threading
import numpy as np
sys.path.insert(0, {root!r})
from core.memory import HEAPS, share_heaps_between_threads
if {share}:
    assert share_heaps_between_threads()
barrier = threading.Barrier(8)
def work():
    kept = [np.ones(1000) for _ in range(50)]  # small blocks: from the thread's heap
    barrier.wait()                             # all eight threads alive at once
libc = ctypes.CDLL("libc.so.6")
libc.fopen.restype = ctypes.c_void_p
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
path = os.path.join(tempfile.mkdtemp(), "heaps.xml")
fp = libc.fopen(path.encode(), b"w")
libc.malloc_info(0, ctypes.c_void_p(fp))
libc.fclose(ctypes.c_void_p(fp))
print(open(path).read().count("<heap nr="))
"""


def _heaps(*, share: bool) -> int:
    code = HEAPS_USED.format(root=str(ROOT), share=share)
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    return int(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env).stdout)


def test_threads_share_a_few_heaps_instead_of_one_each():
    assert _heaps(share=False) >= 8  # glibc's default: a heap per thread (up to 8 per core)
    assert _heaps(share=True) <= HEAPS
