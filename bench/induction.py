"""The induction-head experiment (engine.induction) timed, over a few seeds:

    .venv/bin/python -m bench.induction [--seeds 0,1,2] [--steps 400] [--device cpu]

For each seed, a two-layer attention-only transformer trained on [BOS] + L random tokens + the same L again:

    drop step    the first step whose repeated-half loss is below half of its first-half loss (both measured on
                 that step's batch): the context has started to give the second copy away
    best head    the head with the highest induction score at the end (mean attention from each token of the
                 second copy to the token after its first occurrence; 1 = a perfect induction head)
    losses       first half / repeated half, the mean of the last 20 steps (chance: ln 32 = 3.47)
    wall         seconds for the whole run, one torch thread (a tiny model gains nothing from more)

`python -m bench --only induction` puts the same numbers in the suite's table (rows from `induction_rows`).
"""
from __future__ import annotations

import argparse
import json
import sys
import time

TARGET_DROP = 300       # the drop should come well before the end of the default 400 steps
TARGET_SCORE = 0.8
TARGET_WALL_S = 120.0   # "within a few minutes of CPU": aim for well under two


def measure(seed: int, steps: int, device: str = "cpu") -> dict:
    from engine.induction import InductionRun

    began = time.perf_counter()
    run = InductionRun(steps, seed, device=device)
    for _ in run.run():
        pass
    wall = time.perf_counter() - began
    summary = run.summary()
    return {"seed": seed, "steps": steps, "drop_step": summary["drop_step"], "best_head": summary["best_head"],
            "first_half_loss": summary["first_half_loss"], "repeated_loss": summary["repeated_loss"],
            "wall_s": wall}


def table(results: list[dict]) -> list[str]:
    header = ("seed", "drop step", "best head", "score", "first half", "repeated", "wall")
    rows = [header]
    for r in results:
        best = r["best_head"]
        rows.append((str(r["seed"]), str(r["drop_step"] or f"> {r['steps']}"),
                     f"layer {best['layer'] + 1} head {best['head'] + 1}", f"{best['score']:.2f}",
                     f"{r['first_half_loss']:.3f}", f"{r['repeated_loss']:.3f}", f"{r['wall_s']:.1f} s"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(row, widths)) for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    return lines


def induction_rows(args, env, log) -> list:
    """The suite's row group: each seed in its own process (bench.suite.worker)."""
    from bench.suite import Row, worker

    rows = []
    for seed in (0,) if args.quick else (0, 1, 2):
        log(f"induction: seed {seed}")
        r = worker("bench.induction", "measure", {"seed": seed, "steps": 400, "device": args.device}, env)
        if "error" in r:
            rows.append(Row(f"induction head, seed {seed}", "failed", r["error"][:90]))
            continue
        drop, best = r["drop_step"], r["best_head"]
        rows.append(Row(f"induction: steps until repeated-half loss < ½ first half (seed {seed})",
                        str(drop or "never"), "of 400", "", f"≤ {TARGET_DROP}",
                        drop is not None and drop <= TARGET_DROP))
        rows.append(Row(f"induction: best head's score (layer {best['layer'] + 1} head {best['head'] + 1})",
                        f"{best['score']:.2f}", "", "", f"≥ {TARGET_SCORE}", best["score"] >= TARGET_SCORE))
        rows.append(Row("induction: wall time of 400 steps", f"{r['wall_s']:.1f} s", "", "",
                        f"< {TARGET_WALL_S:g} s", r["wall_s"] < TARGET_WALL_S))
    return rows


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["measure"]:   # one seed for bench.suite's worker: one JSON line
        print(json.dumps(measure(**json.loads(argv[1]))))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.induction", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated seeds (default 0,1,2)")
    parser.add_argument("--steps", type=int, default=None, help="steps per run (default: engine.induction's)")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)
    from engine.induction import DEFAULT_STEPS

    try:
        seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--seeds takes whole numbers separated by commas, not {args.seeds!r}")
    steps = args.steps or DEFAULT_STEPS
    results = []
    for seed in seeds:
        results.append(measure(seed, steps, args.device))
        print(f"seed {seed}: done in {results[-1]['wall_s']:.1f} s", file=sys.stderr, flush=True)
    print("\n".join(table(results)))
    drops = [r["drop_step"] for r in results if r["drop_step"]]
    print(f"\ndrop step: the first step whose repeated-half loss fell below half the first-half loss; "
          f"{len(drops)} of {len(results)} runs dropped within {steps} steps"
          + (f" (median step {sorted(drops)[len(drops) // 2]})" if drops else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
