"""`python -m bench`: every benchmark in one run on this machine, one table of ratios with their targets.

    .venv/bin/python -m bench [--quick] [--device cuda] [--threads N] [--markdown bench/RESULTS.md]

Each measurement runs in its own process (bench/worker.py, bench/window.py, bench/params.py), so its memory and
imports are its own; timings alternate ours and the reference call by call and report medians (a shared machine
is noisy: read the ratios, which compare calls made side by side).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MiB = 2 ** 20


@dataclass
class Row:
    measure: str
    value: str
    versus: str = ""
    ratio: str = ""
    target: str = ""
    ok: bool | None = None


def worker(module: str, section: str, args: dict, env: dict, timeout: float = 3600) -> dict:
    command = [sys.executable, "-m", module, section, json.dumps(args)]
    try:
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as stopped:   # what it printed so far, when it printed results as it went
        out = stopped.stdout.decode() if isinstance(stopped.stdout, bytes) else (stopped.stdout or "")
        partial = [line for line in out.splitlines() if line.startswith("{")]
        if partial:
            return dict(json.loads(partial[-1]), timed_out=timeout)
        return {"error": f"{module} {section}: no answer after {timeout:g} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"error": f"{module} {section} failed: {' | '.join(tail)}"}
    return json.loads(lines[-1])


def ms(x: float) -> str:
    return f"{x:,.1f} ms" if x < 1e4 else f"{x / 1e3:,.2f} s"


def at_most(ratio: float, limit: float) -> tuple[str, bool]:
    return f"≤ {limit:.2f}x", ratio <= limit


# ------------------------------------------------------------------------------------------------ sections
def forward_rows(args, env, log) -> list[Row]:
    rows: list[Row] = []
    cases = ("bert-base", "gpt2", "t5-small", "llama-100m")
    lengths = [128] if args.quick else [128, 512]
    recorded, fused, flops = [], [], []
    for case in cases:
        case_lengths = lengths + ([512] if case == "bert-base" and 512 not in lengths else [])
        log(f"forward: {case} at {case_lengths} tokens")
        result = worker("bench.worker", "forward", {"case": case, "lengths": case_lengths, "repeats": args.repeats,
                                                    "device": args.device, "flops": case == "bert-base"}, env)
        if "error" in result:
            rows.append(Row(f"{case}: forward", "failed", result["error"][:90]))
            continue
        for length, r in result["lengths"].items():
            if case == "bert-base" and args.quick and length == "512":
                pass
            else:
                recorded.append(Row(f"recorded / eager+outputs  {case} @{length}", ms(r["recorded_ms"]),
                                    ms(r["reference_eager_ms"]), f"{r['recorded_ratio']:.2f}x",
                                    *at_most(r["recorded_ratio"], 1.0)))
            fused.append(Row(f"fused / SDPA  {case} @{length}" + (" (†)" if r.get("note") else ""),
                             ms(r["fused_ms"]), ms(r["reference_sdpa_ms"]), f"{r['fused_ratio']:.2f}x",
                             *at_most(r["fused_ratio"], 1.0)))
            if "fused_gflops" in r and length == "512":
                share = r["fused_gflops"] / result["matmul_gflops"]
                flops.append(Row(f"fused GFLOP/s / matmul GFLOP/s  {case} @{length}",
                                 f"{r['fused_gflops']:.1f} GFLOP/s", f"{result['matmul_gflops']:.1f} GFLOP/s",
                                 f"{share:.0%}", "≥ 60%", share >= 0.60))
    return recorded + fused + flops


def memory_rows(args, env, log) -> list[Row]:
    log("memory: bert-base trace at 512 tokens")
    r = worker("bench.worker", "memory", {"length": 512, "device": args.device}, env)
    if "error" in r:
        return [Row("bert-base trace memory", "failed", r["error"][:90])]
    what = "GPU memory" if r.get("device") == "cuda" else "RSS"
    # the target: what the trace's live data takes (the heap's free pages handed back at both ends); the raw growth
    # also counts the freed temporaries malloc keeps resident for the next trace (engine/memory.py)
    measured = r["in_use_growth"] if r.get("in_use_growth") is not None else r["rss_growth"]
    growth = measured / r["held"]
    trimmed = " (free pages released)" if r.get("in_use_growth") is not None and what == "RSS" else ""
    return [
        Row(f"trace {what} growth{trimmed} / bytes held  bert-base @512", f"{measured / MiB:,.0f} MiB",
            f"{r['held'] / MiB:,.0f} MiB", f"{growth:.2f}x", "0.90–1.10x", 0.9 <= growth <= 1.1),
        Row(f"trace {what} growth as it stands / bytes held  bert-base @512", f"{r['rss_growth'] / MiB:,.0f} MiB",
            f"{r['held'] / MiB:,.0f} MiB", f"{r['rss_growth'] / r['held']:.2f}x", "(info)"),
        Row("bytes held / every step as its own copy  bert-base @512", f"{r['held'] / MiB:,.0f} MiB",
            f"{r['nominal'] / MiB:,.0f} MiB", f"{r['held'] / r['nominal']:.2f}x", "(info)"),
        Row(f"peak {what}, bert-base model + one trace @512", f"{r['peak_rss'] / MiB:,.0f} MiB",
            f"{r['baseline_rss'] / MiB:,.0f} MiB before", f"{r['peak_rss'] / r['baseline_rss']:.2f}x",
            "(info)"),
    ]


def lens_rows(args, env, log) -> list[Row]:
    cases = ["bert-base"] if args.quick else ["bert-base", "gpt2", "t5-small", "llama-100m"]
    rows = []
    for length in [64] if args.quick else [128, 512]:
        log(f"TransformerLens: {cases} at {length} tokens")
        r = worker("bench.worker", "lens", {"cases": cases, "length": length, "repeats": max(1, args.repeats - 2)},
                   env)
        if "error" in r:
            return rows + [Row("TransformerLens run_with_cache", "failed", r["error"][:90])]
        if "skipped" in r:
            return rows + [Row("TransformerLens run_with_cache", "skipped", r["skipped"][:90])]
        for case, c in r["cases"].items():
            if "error" in c:
                rows.append(Row(f"TransformerLens {case} @{length}", "failed", c["error"][:90]))
                continue
            rows.append(Row(f"recorded / TL {r['version']} run_with_cache  {case} @{length}", ms(c["ours_ms"]),
                            ms(c["lens_ms"]), f"{c['ratio']:.2f}x", *at_most(c["ratio"], 1.0)))
            ratio = c["ours_bytes"] / c["lens_bytes"]
            rows.append(Row(f"cache bytes / TL cache bytes  {case} @{length}", f"{c['ours_bytes'] / MiB:,.1f} MiB",
                            f"{c['lens_bytes'] / MiB:,.1f} MiB", f"{ratio:.2f}x", *at_most(ratio, 1.0)))
    return rows


def params_rows(args, env, log) -> list[Row]:
    log("accounting every preset (bench/params.py phases)")
    sys.path.insert(0, str(REPO / "bench"))
    import params as params_bench   # bench/params.py

    def phase(name):
        timed = params_bench.measure(name, trace=False)
        if not args.quick:
            timed["tracemalloc_mib"] = params_bench.measure(name, trace=True)["tracemalloc_mib"]
        return timed

    try:
        ours, reference = phase("ours"), phase("reference")
    except SystemExit as error:
        return [Row("accounting every preset", "failed", str(error)[:90])]
    ratio = ours["seconds"] / reference["seconds"]
    rows = [Row(f"account {ours['count']} presets / transformers meta build ({reference['count']})",
                f"{ours['seconds']:.2f} s", f"{reference['seconds']:.2f} s", f"{ratio:.2f}x", *at_most(ratio, 1.0))]
    if not args.quick:
        mem = ours["tracemalloc_mib"] / reference["tracemalloc_mib"]
        rows.append(Row("  peak Python allocations (tracemalloc)", f"{ours['tracemalloc_mib']:.1f} MiB",
                        f"{reference['tracemalloc_mib']:.1f} MiB", f"{mem:.2f}x", *at_most(mem, 1.0)))
    rows.append(Row("  peak RSS of the process", f"{ours['peak_rss_mib']:.0f} MiB",
                    f"{reference['peak_rss_mib']:.0f} MiB", f"{ours['peak_rss_mib'] / reference['peak_rss_mib']:.2f}x",
                    *at_most(ours["peak_rss_mib"] / reference["peak_rss_mib"], 1.0)))
    return rows


WINDOW_TARGETS = {"step": 50.0, "layer": 50.0, "head": 16.0}


def window_rows(args, env, log) -> list[Row]:
    env = dict(env, QT_QPA_PLATFORM="offscreen")
    log("window: bert-base-uncased at 512 tokens, offscreen")
    r = worker("bench.window", "views", {"length": 512, "samples": 6 if args.quick else 20}, env,
               timeout=args.window_timeout)
    if "error" in r:
        return [Row("window", "failed", r["error"][:90])]
    rows = []
    if "timed_out" in r:
        rows.append(Row("window measurements", "stopped", f"after {r['timed_out']:g} s: a change never repainted",
                        "", "", False))
    rows += [Row(f"longest event-loop stall during a bert-base run @{r['tokens']}", ms(1e3 * r["run"]["stall_s"]),
                f"run {r['run']['run_s']:.1f} s", "", "≤ 50 ms", 1e3 * r["run"]["stall_s"] <= 50)]
    for kind, changes in r["views"].items():
        for change, s in changes.items():
            limit = WINDOW_TARGETS[change]
            rows.append(Row(f"{change} change → repainted  {kind} @{r['tokens']}", f"p95 {ms(s['p95_ms'])}",
                            f"median {ms(s['median_ms'])}", "", f"p95 ≤ {limit:g} ms", s["p95_ms"] <= limit))
    g = r.get("grid")
    if g is None:
        return rows
    rows.append(Row(f"open the all-heads grid 12x12 @{r['grid_tokens']}", f"p95 {ms(g['open']['p95_ms'])}",
                    f"median {ms(g['open']['median_ms'])}", "", "< 200 ms", g["open"]["p95_ms"] < 200))
    for change in ("head", "layer"):
        limit = WINDOW_TARGETS[change]
        rows.append(Row(f"{change} change in the grid @{r['grid_tokens']}", f"p95 {ms(g[change]['p95_ms'])}",
                        f"median {ms(g[change]['median_ms'])}", "", f"p95 ≤ {limit:g} ms",
                        g[change]["p95_ms"] <= limit))
    log("window: launch to first paint vs a bare import torch, PySide6")
    launches, bares = [], []
    for _ in range(1 if args.quick else 3):
        bares.append(worker("bench.window", "bare", {"start": time.time()}, env).get("seconds"))
        launches.append(worker("bench.window", "launch", {"start": time.time()}, env).get("seconds"))
    if None in launches or None in bares:
        rows.append(Row("launch to first painted window", "failed"))
    else:
        launch, bare = sorted(launches)[len(launches) // 2], sorted(bares)[len(bares) // 2]
        rows.append(Row("launch → first painted window / bare import torch, PySide6", f"{launch:.2f} s",
                        f"{bare:.2f} s", f"{launch / bare:.2f}x", *at_most(launch / bare, 1.5)))
    return rows


def induction_rows(args, env, log) -> list[Row]:
    from bench.induction import induction_rows as rows   # the experiment, not a comparison: bench/induction.py
    return rows(args, env, log)


SECTIONS = {"forward": forward_rows, "memory": memory_rows, "lens": lens_rows, "params": params_rows,
            "window": window_rows, "induction": induction_rows}


# ------------------------------------------------------------------------------------------------ output
def machine(args) -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    import torch

    threads = args.threads or torch.get_num_threads()
    load = ""
    try:
        load = " · load average " + Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        pass
    gpu = f" · {torch.cuda.get_device_name()}" if args.device.startswith("cuda") and torch.cuda.is_available() else ""
    return (f"nproc {os.cpu_count()} · {cpu}{gpu} · torch {torch.__version__} · {threads} torch thread(s){load} · "
            f"device {args.device}" + (" · --quick" if args.quick else ""))


def table(rows: list[Row]) -> list[str]:
    header = ("measure", "ours", "versus", "ratio", "target", "ok")
    cells = [header] + [(r.measure, r.value, r.versus, r.ratio, r.target,
                         "" if r.ok is None else ("yes" if r.ok else "NO")) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    lines = []
    for k, c in enumerate(cells):
        lines.append("  ".join(text.ljust(w) if i == 0 else text.rjust(w) if i < 4 else text.ljust(w)
                               for i, (text, w) in enumerate(zip(c, widths))).rstrip())
        if k == 0:
            lines.append("-" * len(lines[0]))
    return lines


def markdown(rows: list[Row], about: str) -> str:
    out = [f"Machine: {about}", "", "| measure | ours | versus | ratio | target | ok |", "|---|---:|---:|---:|---|---|"]
    for r in rows:
        ok = "" if r.ok is None else ("yes" if r.ok else "**no**")
        out.append(f"| {r.measure} | {r.value} | {r.versus} | {r.ratio} | {r.target} | {ok} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 128 tokens, fewer models")
    parser.add_argument("--device", default="cpu", help="cpu or cuda: where the models run (the window: CPU)")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch threads in every measurement (default: torch's own); 1 steadies a loaded machine")
    parser.add_argument("--repeats", type=int, default=None, help="timed calls per side (default 5, --quick 2)")
    parser.add_argument("--window-timeout", type=float, default=1800.0,
                        help="seconds the window's measurements may take before they are stopped")
    parser.add_argument("--only", default=None, help=f"comma-separated sections of {', '.join(SECTIONS)}")
    parser.add_argument("--markdown", default=None, help="also write the table to this file (bench/RESULTS.md)")
    args = parser.parse_args(argv)
    args.repeats = args.repeats or (2 if args.quick else 5)
    wanted = args.only.split(",") if args.only else list(SECTIONS)
    unknown = [name for name in wanted if name not in SECTIONS]
    if unknown:
        print(f"--only: no section {unknown[0]!r}; sections: {', '.join(SECTIONS)}", file=sys.stderr)
        return 2
    if args.device.startswith("cuda"):
        import torch
        if not torch.cuda.is_available():
            print("--device cuda: no GPU here", file=sys.stderr)
            return 2
    if args.threads:   # every measuring process inherits these (bench/params.py's phases too)
        os.environ.update(PLM_BENCH_THREADS=str(args.threads), OMP_NUM_THREADS=str(args.threads),
                          MKL_NUM_THREADS=str(args.threads))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO)] + [p for p in
                                                                       [os.environ.get("PYTHONPATH")] if p]))
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {message}", file=sys.stderr, flush=True)

    rows: list[Row] = []
    for name in wanted:
        rows += SECTIONS[name](args, env, log)
    about = machine(args)
    lines = table(rows)
    print(f"\n{about}\n")
    print("\n".join(lines))
    notes = "Ratios: ours / the reference, timed call by call in one process (median of the per-pair ratios)."
    if any("(†)" in r.measure for r in rows):
        notes = "(†) transformers has no SDPA path for this model: the reference runs eager without outputs.\n" + notes
    print("\n" + notes)
    print(f"\n{sum(r.ok is True for r in rows)} of {sum(r.ok is not None for r in rows)} targets met · "
          f"{time.perf_counter() - started:.0f} s")
    if args.markdown:
        Path(args.markdown).write_text(markdown(rows, about) + "\n" + notes + "\n")
    return 0
