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


@linux
def test_a_freed_block_larger_than_the_mmap_ceiling_stays_with_the_process():
    # gpt2's logits at 512 tokens are 103 MB, above the 32 MiB glibc lets the mmap threshold reach: without keeping
    # the main heap off mmap, each is unmapped when freed and its 25,000 pages faulted in again at the next trace
    with record():
        pass
    block = torch.empty(100 * 2 ** 20 // 4).fill_(1.0)
    held = resident_bytes()
    del block
    assert resident_bytes() > held - 10 * 2 ** 20


@linux
def test_free_pages_can_be_handed_back_on_demand():
    from engine.memory import release_free_memory

    keep_freed_memory()
    block = torch.empty(100 * 2 ** 20 // 4).fill_(1.0)
    del block                              # kept resident for the next trace...
    before = resident_bytes()
    assert release_free_memory() is True   # ...until asked for
    assert resident_bytes() < before - 50 * 2 ** 20
