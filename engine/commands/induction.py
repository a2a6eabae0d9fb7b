"""python -m engine induction [--steps N] [--seed S] [--batch B] [--lr LR] [--device D] [--log-every K] [--json]"""
from __future__ import annotations

import json

NAME = "induction"
HELP = ("train a two-layer attention-only transformer on random token sequences repeated twice and watch an "
        "induction head appear: the loss on the repeated half falls far below the first half's, and one head of "
        "layer 2 attends to the token after the previous occurrence of the current one")


def add_arguments(parser) -> None:
    from engine.induction import DEFAULT_STEPS

    parser.add_argument("--steps", type=int, default=DEFAULT_STEPS, help=f"training steps (default {DEFAULT_STEPS})")
    parser.add_argument("--seed", type=int, default=0, help="seeds the initial weights and the sequences")
    parser.add_argument("--batch", type=int, default=64, help="sequences per step (default 64)")
    parser.add_argument("--lr", type=float, default=1e-2, help="AdamW's learning rate (default 1e-2)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--log-every", type=int, default=None, help="print every K steps (default: about 20 lines)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object per logged step ({step, steps, length, loss, first_half_loss, "
                             "repeated_loss, induction_scores, previous_scores, elapsed_s}), then the summary")


def run(args) -> int:
    from engine.errors import InputError
    from engine.induction import InductionRun

    if args.steps < 1:
        raise InputError(f"--steps must be at least 1, not {args.steps}.")
    if args.log_every is not None and args.log_every < 1:
        raise InputError(f"--log-every must be at least 1, not {args.log_every}.")
    induction = InductionRun(args.steps, args.seed, batch_size=args.batch, lr=args.lr, device=args.device)
    every = args.log_every or max(1, args.steps // 20)
    c = induction.config
    if not args.json:
        print(f"two attention-only layers x {c.n_heads} heads, d_model {c.d_model}, {c.vocab_size} tokens; "
              f"sequences [BOS] + L tokens + the same L again, L in {c.min_len}..{c.max_len}; {args.steps} steps of "
              f"{args.batch}, lr {args.lr:g}, seed {args.seed}, {induction.device}")
        print(f"{'step':>5}  {'first half':>10}  {'repeated':>8}  {'best induction head':<22}  {'time':>6}")
    for record in induction.run():
        if record.step % every and record.step not in (1, args.steps):
            continue
        if args.json:
            print(json.dumps(record.to_json()))
            continue
        score, layer, head = induction.best_head(record)
        print(f"{record.step:>5}  {record.first_half_loss:>10.3f}  {record.repeated_loss:>8.3f}  "
              f"{f'layer {layer + 1} head {head + 1}: {score:.2f}':<22}  {record.elapsed_s:>5.1f}s")
    summary = induction.summary()
    if args.json:
        print(json.dumps({"summary": summary}))
        return 0
    best = summary["best_head"]
    drop = summary["drop_step"]
    print(f"repeated-half loss {summary['repeated_loss']:.3f} vs first half {summary['first_half_loss']:.3f} (mean "
          f"of the last {min(20, induction.step)} steps; guessing among {c.vocab_size} tokens: ln {c.vocab_size} = "
          f"{summary['chance_loss']:.3f})")
    print("the repeated half's loss " + (f"fell below half the first half's at step {drop}" if drop else
                                         "never fell below half the first half's: train longer (--steps)"))
    print(f"best induction head: layer {best['layer'] + 1}, head {best['head'] + 1}, score {best['score']:.2f} "
          f"(its mean attention from each repeated token to the token after its first occurrence; 1 = perfect)")
    return 0
