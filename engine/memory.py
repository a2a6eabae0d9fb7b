"""Freed tensor memory stays with the process, ready for the next trace.

A recorded forward keeps every step, so it touches hundreds of MB of fresh memory (bert-base at 512 tokens: ~570
MiB). glibc's malloc hands blocks over 128 KiB to the kernel and back one by one (mmap / munmap) and trims the
heap's free top; every page of the next trace is then a new page fault the kernel must zero, about a sixth of the
recorded forward's time. With the thresholds raised, the memory of the trace just dropped is reused as it is: the
resident size stays at its peak (what the app needs again at the next text) instead of falling between traces.

Blocks above 32 MiB (glibc's ceiling for the mmap threshold: a T x 50257 logits matrix is 103 MB at 512 tokens)
would still be mapped afresh whenever the heap has no free block that large, which is every time while a trace
fills it: mapping is switched off for the main thread's heap, which grows instead and keeps them too. A worker
thread's heap cannot hold a block above 64 MiB; glibc maps those whatever the setting, as before.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_MMAP_MAX = -1, -3, -4   # mallopt's parameters (malloc.h)
MMAP_THRESHOLD_MAX = 32 * 2 ** 20                 # glibc's ceiling for M_MMAP_THRESHOLD on 64-bit systems
TRIM_THRESHOLD = 2 ** 31 - 1                      # give the heap's free top back only past 2 GiB

_kept: bool | None = None


def _glibc_function(name: str):
    """libc's `name` where the C library is glibc on Linux; None elsewhere (macOS, Windows, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), name)
    except (OSError, AttributeError):
        return None


def keep_freed_memory() -> bool:
    """Raise glibc's mmap and trim thresholds and keep the main heap's blocks off mmap, once per process. True
    where it took effect (Linux with glibc); False elsewhere, where the allocator is left as it is."""
    global _kept
    if _kept is None:
        mallopt = _glibc_function("mallopt")
        _kept = False
        if mallopt is not None:
            mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
            _kept = all([mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX), mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD),
                         mallopt(M_MMAP_MAX, 0)])
    return _kept


def release_free_memory() -> bool:
    """Hand the heap's free pages back to the system now (glibc's malloc_trim), as if the thresholds were never
    raised: what the process then holds is its live data. False where there is no malloc_trim."""
    malloc_trim = _glibc_function("malloc_trim")
    if malloc_trim is None:
        return False
    malloc_trim(0)
    return True
