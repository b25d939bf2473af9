"""core.memory: freed memory goes back to the system (glibc only)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.memory import release_freed_memory

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
