"""Recording keeps the memory of a dropped trace for the next one (glibc's mmap and trim thresholds raised): a
freed block stays resident instead of being handed back to the kernel and faulted in again page by page."""
import sys

import pytest
import torch

from engine.hooks import record
from engine.memory import keep_freed_memory

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt: Linux only")


def resident_bytes() -> int:
    import resource
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


@linux
def test_recording_raises_the_thresholds_once_and_says_so():
    with record():
        pass
    assert keep_freed_memory() is True and keep_freed_memory() is True
