"""One measurement in its own process (so its memory and its imports are its own); prints one JSON line.

    python -m bench.worker forward '{"case": "bert-base", "lengths": [128, 512], "repeats": 5, "device": "cpu"}'
    python -m bench.worker memory  '{"length": 512, "device": "cpu"}'
    python -m bench.worker lens    '{"cases": ["gpt2"], "length": 128, "repeats": 3}'
    python -m bench.worker keeping '{"case": "t5-small", "length": 128}'
"""
from __future__ import annotations

import gc
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import torch  # noqa: E402

from bench import models  # noqa: E402


# ------------------------------------------------------------------------------------------------ helpers
def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def synchronizer(device: torch.device):
    if device.type == "cuda":
        return torch.cuda.synchronize
    return lambda: None


def cpu_seconds() -> float:
    """User + system time of this process: what a call cost, less the waits for a core on a loaded machine (the
    system part keeps page faults in)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def paired(first, second, repeats: int, sync, clock=time.perf_counter) -> dict:
    """Time two functions alternately (ABBA...), after one warm-up call each. Medians of each and the median of
    the per-pair ratios second/first: drift on a shared machine hits both sides of a pair alike."""
    for fn in (first, second):
        fn()
        sync()
    a, b = [], []
    for i in range(repeats):
        for fn, out in ((first, a), (second, b)) if i % 2 == 0 else ((second, b), (first, a)):
            gc.collect()
            sync()
            start = clock()
            fn()
            sync()
            out.append(clock() - start)
    return {"a_ms": 1e3 * statistics.median(a), "b_ms": 1e3 * statistics.median(b),
            "ratio": statistics.median(y / x for x, y in zip(a, b)), "a_all": a, "b_all": b}


def held_bytes(cache) -> tuple[int, int]:
    """(the memory the cache keeps: each storage once; the bytes of every step as read, as copies would take)."""
    if hasattr(cache, "nbytes") and hasattr(cache, "nominal_bytes"):
        return cache.nbytes(), cache.nominal_bytes()
    seen = {}
    nominal = 0
    for step in cache.steps():
        t = step.tensor
        nominal += t.numel() * t.element_size()
        s = t.untyped_storage()
        seen[s.data_ptr()] = s.nbytes()
    return sum(seen.values()), nominal


# ------------------------------------------------------------------------------------------------ sections
def forward(case: str, lengths: list[int], repeats: int, device: str = "cpu", flops: bool = False) -> dict:
    """Ours recording every step vs transformers eager with output_attentions + output_hidden_states; ours fused
    (not recording) vs transformers SDPA; same weights, same input. With flops: the fused path's GFLOP/s and a
    large matmul's, in this process."""
    from engine.hooks import record

    device = torch.device(device)
    sync = synchronizer(device)
    hf = models.reference(case, "eager").to(device)
    ours = models.ours_for(case, hf).to(device)
    keep = None if device.type != "cpu" else "cpu"   # recorded tensors stay on the device they were computed on
    out = {"case": case, "params": models.parameters(ours), "lengths": {}}
    with torch.no_grad():
        for length in lengths:
            inputs = models.inputs(case, length, device)

            def reference_with_outputs():
                hf(**inputs, output_attentions=True, output_hidden_states=True)

            def recorded():
                with record(device=keep):
                    ours(**inputs)

            hf.set_attn_implementation("eager")
            rec = paired(reference_with_outputs, recorded, repeats, sync)
            sdpa_note = ""
            try:
                hf.set_attn_implementation("sdpa")
            except (ValueError, ImportError) as error:   # a model transformers has no SDPA path for
                sdpa_note = f"transformers has no SDPA for {case} ({error}); eager without outputs"
                hf.set_attn_implementation("eager")

            def reference_fused():
                hf(**inputs)

            def fused():
                ours(**inputs)

            fus = paired(reference_fused, fused, repeats, sync)
            row = {"reference_eager_ms": rec["a_ms"], "recorded_ms": rec["b_ms"], "recorded_ratio": rec["ratio"],
                   "reference_sdpa_ms": fus["a_ms"], "fused_ms": fus["b_ms"], "fused_ratio": fus["ratio"],
                   "note": sdpa_note}
            if flops:
                from torch.utils.flop_counter import FlopCounterMode

                counter = FlopCounterMode(display=False)
                with counter:
                    ours(**inputs)
                row["fused_flops"] = counter.get_total_flops()
                row["fused_gflops"] = row["fused_flops"] / (fus["b_ms"] / 1e3) / 1e9
            out["lengths"][str(length)] = row
            hf.set_attn_implementation("eager")
        if flops:
            out["matmul_gflops"] = matmul_gflops(device, sync)
    return out


def matmul_gflops(device: torch.device, sync, size: int | None = None, repeats: int = 5) -> float:
    """What one large float32 matmul reaches here: the ceiling for the fused forward's GFLOP/s."""
    size = size or (8192 if device.type == "cuda" else 2048)
    a = torch.randn(size, size, device=device)
    b = torch.randn(size, size, device=device)
    a @ b
    sync()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        sync()
        times.append(time.perf_counter() - start)
    return 2 * size ** 3 / statistics.median(times) / 1e9


def memory(length: int = 512, device: str = "cpu") -> dict:
    """A full bert-base trace at `length` tokens: how much the process grows (RSS; on a GPU, the memory torch has
    allocated there, the trace kept on the GPU) against the bytes of the tensors the cache holds; and the peak."""
    from engine.hooks import record

    device = torch.device(device)
    gpu = device.type == "cuda"
    hf = models.reference("bert-base", "eager")
    ours = models.ours_for("bert-base", hf).to(device)
    del hf
    gc.collect()
    inputs = models.inputs("bert-base", length, device)

    def used() -> int:
        return torch.cuda.memory_allocated(device) if gpu else rss_bytes()

    def in_use() -> int | None:
        """RSS once malloc has handed its free pages back (glibc's malloc_trim): what the process's live data
        takes, without the freed temporaries a heap keeps resident. None where there is no malloc_trim."""
        from engine.memory import release_free_memory

        if gpu:
            return used()
        return rss_bytes() if release_free_memory() else None

    with torch.no_grad():
        ours(**inputs)            # first-use allocations (thread pools, kernels) happen before the baseline
        gc.collect()
        if gpu:
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats(device)
        before = used()
        before_in_use = in_use()
        peak_before = peak_rss_bytes()
        with record(device=None if gpu else "cpu") as cache:
            outputs = ours(**inputs)
        del outputs
        gc.collect()
        after = used()
        after_in_use = in_use()
    held, nominal = held_bytes(cache)
    peak = torch.cuda.max_memory_allocated(device) if gpu else peak_rss_bytes()
    return {"length": length, "rss_growth": after - before, "held": held, "nominal": nominal,
            "in_use_growth": None if before_in_use is None else after_in_use - before_in_use,
            "steps": len(cache), "peak_rss": peak, "peak_before_trace": peak_before, "baseline_rss": before,
            "device": device.type}


def lens(cases: list[str], length: int, repeats: int) -> dict:
    """TransformerLens (TransformerBridge over the same transformers model) run_with_cache against our recorded
    forward, same weights and input: time ratio and bytes the two caches hold."""
    from bench import lens_support
    from engine.hooks import record

    bridge_cls, why = lens_support.load()
    if bridge_cls is None:
        return {"skipped": why}
    out = {"version": lens_support.version(), "cases": {}}
    for case in cases:
        try:
            hf = models.reference(case, "eager")
            ours = models.ours_for(case, hf)
            bridge = lens_support.bridge(hf)
            inputs = models.inputs(case, length, torch.device("cpu"))
            args = lens_support.call_args(case, inputs)
            with torch.no_grad():
                def theirs():
                    bridge.run_with_cache(*args["args"], **args["kwargs"])

                def mine():
                    with record():
                        ours(**inputs)

                timing = paired(theirs, mine, repeats, lambda: None)
                _, tl_cache = bridge.run_with_cache(*args["args"], **args["kwargs"])
                tl_bytes = lens_support.cache_bytes(tl_cache)
                tl_steps = len(tl_cache)
                del tl_cache
                with record() as cache:
                    ours(**inputs)
                held, nominal = held_bytes(cache)
            out["cases"][case] = {"lens_ms": timing["a_ms"], "ours_ms": timing["b_ms"], "ratio": timing["ratio"],
                                  "lens_bytes": tl_bytes, "ours_bytes": held, "ours_nominal": nominal,
                                  "lens_steps": tl_steps, "ours_steps": len(cache)}
            del bridge, hf, ours, cache
            gc.collect()
        except Exception as error:   # noqa: BLE001 - one family TransformerLens cannot bridge: say so, go on
            out["cases"][case] = {"error": f"{type(error).__name__}: {str(error)[:200]}"}
    return out


def keeping(case: str, length: int, repeats: int = 7) -> dict:
    """Where the recorded forward's extra time goes (CPU, one thread): ours against transformers eager with outputs
    when each call's result is dropped at once (as the forward rows), when it is kept until the next call replaces
    it (as the app keeps a trace), and ours on the explicit path keeping nothing (record(names=set())). CPU-time
    ratios (user + system, see cpu_seconds)."""
    from engine.hooks import record

    hf = models.reference(case, "eager")
    ours = models.ours_for(case, hf)
    inputs = models.inputs(case, length, torch.device("cpu"))
    held: dict = {}

    def reference(keep: bool):
        out = hf(**inputs, output_attentions=True, output_hidden_states=True)
        if keep:
            held["reference"] = out

    def recorded(keep: bool, names=None):
        with record(names) as cache:
            out = ours(**inputs)
        if keep:
            held["ours"] = (cache, out)

    out = {"case": case, "length": length}
    with torch.no_grad():
        for label, ref, mine in (("dropped", lambda: reference(False), lambda: recorded(False)),
                                 ("kept", lambda: reference(True), lambda: recorded(True)),
                                 ("keeping_nothing", lambda: reference(True), lambda: recorded(True, set()))):
            timing = paired(ref, mine, repeats, lambda: None, clock=cpu_seconds)
            out[label] = {"reference_cpu_ms": timing["a_ms"], "ours_cpu_ms": timing["b_ms"], "ratio": timing["ratio"]}
            held.clear()
    return out


SECTIONS = {"forward": forward, "memory": memory, "lens": lens, "keeping": keeping}


def main() -> None:
    section, args = sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    if os.environ.get("PLM_BENCH_THREADS"):
        torch.set_num_threads(int(os.environ["PLM_BENCH_THREADS"]))
    torch.manual_seed(0)
    result = SECTIONS[section](**args)
    print(json.dumps(result, default=float))


if __name__ == "__main__":
    main()
