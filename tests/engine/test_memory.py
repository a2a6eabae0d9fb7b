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


def minor_faults() -> int:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


@linux
def test_a_block_larger_than_the_mmap_ceiling_is_reused_without_page_faults():
    # gpt2's logits at 512 tokens are 103 MB, above the 32 MiB glibc lets the mmap threshold reach: without
    # keeping the main heap off mmap, each one is mapped afresh and its 25,000 pages faulted in again
    with record():
        pass
    size = 100 * 2 ** 20 // 4
    torch.empty(size).fill_(1.0)          # the heap grows once to hold it, and keeps it when it is freed
    before = minor_faults()
    torch.empty(size).fill_(2.0)
    pages = size * 4 // 4096
    assert minor_faults() - before < pages // 10
