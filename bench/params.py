"""Benchmark: accounting every preset (engine.params) against building the reference classes of transformers on
the meta device, and against one tiny model with real weights.

    .venv/bin/python bench/params.py

Each phase runs in a fresh Python process (so peak RSS is its own) after its imports, twice: once timed (wall
time, growth of peak RSS during the phase) and once under tracemalloc (peak of Python allocations during the
phase; tracemalloc slows Python down, so it is not timed). Ratios are against our accounting of all presets.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PHASE = r'''
import json, resource, sys, time, tracemalloc, warnings
warnings.filterwarnings("ignore")
sys.path.insert(0, REPO)
import torch
from engine import params
from engine.presets import all_presets
if PHASE == "reference":
    import transformers
    transformers.logging.set_verbosity_error()

def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20

def run():
    names = list(all_presets())
    if PHASE in ("ours", "ours-warm"):
        params.account_all()
        return len(names)
    if PHASE == "ours-full":
        for name in names:
            params.account(name, full=True)
        return len(names)
    if PHASE == "reference":
        from tests.reference import reference_counts
        counted = [reference_counts(name) for name in names]
        return sum(c is not None for c in counted)
    if PHASE == "tiny":
        from engine.api import init_weights
        from engine.models import FAMILIES
        family = FAMILIES["bert"]
        module = family.model_cls(family.config(family.tiny_presets["bert-tiny"]))
        init_weights(module)
        return 1

if PHASE == "ours-warm":   # second pass in the same process: first-use costs paid, caches cleared
    run()
    params._account_cached.cache_clear()
before = rss_mib()
if TRACE:   # tracemalloc slows Python down several times: time is taken in a separate process without it
    tracemalloc.start()
start = time.perf_counter()
count = run()
seconds = time.perf_counter() - start
peak = tracemalloc.get_traced_memory()[1] if TRACE else 0
peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"count": count, "seconds": seconds, "tracemalloc_mib": peak / 2**20,
                  "rss_growth_mib": max(0.0, peak_rss - before), "peak_rss_mib": peak_rss}))
'''

PHASES = [
    ("ours", "engine.params: all presets (two-layer probe on meta), first use"),
    ("ours-warm", "engine.params: all presets again (caches cleared)"),
    ("ours-full", "engine.params: all presets, every layer built on meta"),
    ("reference", "transformers reference classes on meta, full depth"),
    ("tiny", "one tiny model with real weights (bert-tiny, CPU)"),
]


def measure(phase: str, trace: bool) -> dict:
    code = f"REPO = {str(REPO)!r}\nPHASE = {phase!r}\nTRACE = {trace!r}\n" + PHASE
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    if result.returncode != 0:
        raise SystemExit(f"phase {phase} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_both(phase: str) -> dict:
    timed = measure(phase, trace=False)
    timed["tracemalloc_mib"] = measure(phase, trace=True)["tracemalloc_mib"]
    return timed


def main() -> None:
    rows = {phase: measure_both(phase) for phase, _ in PHASES}
    base = rows["ours"]
    header = (f"{'phase':<62} {'models':>6} {'time s':>8} {'x ours':>7} {'tracemalloc MiB':>16} {'x ours':>7} "
              f"{'RSS growth MiB':>15} {'peak RSS MiB':>13}")
    print(header)
    print("-" * len(header))
    for phase, title in PHASES:
        r = rows[phase]
        print(f"{title:<62} {r['count']:>6} {r['seconds']:>8.2f} {r['seconds'] / base['seconds']:>7.2f} "
              f"{r['tracemalloc_mib']:>16.1f} {r['tracemalloc_mib'] / base['tracemalloc_mib']:>7.2f} "
              f"{r['rss_growth_mib']:>15.1f} {r['peak_rss_mib']:>13.1f}")
    print("\nx ours: ratio to the first row. The reference row builds only the presets that have a class in "
          "transformers (not GLM / GLM-130B / ChatGLM-6B) and only counts, without breakdown, formula or FLOPs.")


if __name__ == "__main__":
    main()
