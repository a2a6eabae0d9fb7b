"""python -m engine finetune --model M [--steps N] [--seed S] [--lang en|zh|both] [--lr LR] [--batch B]
[--device D] [--threads N] [--lines K] [--json]"""
from __future__ import annotations

import json

NAME = "finetune"
HELP = ("fine-tune an encoder (bert-tiny, roberta-tiny, albert-tiny, minilm or a checkpoint folder) with a new "
        "classifier on its [CLS] vector, on the project's English and Chinese sentiment lines, and print the "
        "held-out accuracy before and after")


def add_arguments(parser) -> None:
    parser.add_argument("--model", required=True, help="an encoder: a preset (bert-tiny, ...), minilm, or a folder")
    parser.add_argument("--steps", type=int, default=None,
                        help="training steps (default: 30 for real weights, 150 for a random-weight tiny model)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seeds a preset's initial weights, the new head and the order of the lines")
    parser.add_argument("--lang", choices=("en", "zh", "both"), default="both", help="which lines (default both)")
    parser.add_argument("--lr", type=float, default=None,
                        help="peak learning rate (default: 1e-4 for real weights, 1e-3 for random ones)")
    parser.add_argument("--batch", type=int, default=16, help="lines per step (default 16)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads for torch (default: torch's choice; "
                                                                  "one for models under 2M parameters)")
    parser.add_argument("--lines", type=int, default=8, help="held-out lines to print with their prediction")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object per evaluation ({step, steps, epoch, loss, accuracy, lr, "
                             "elapsed_s, evaluation}), then the summary (before, after, predictions)")


def run(args) -> int:
    import engine
    from engine.errors import InputError
    from engine.finetune import LANGS, FineTuner, check_encoder

    if args.steps is not None and args.steps < 1:
        raise InputError(f"--steps must be at least 1, not {args.steps}.")
    if args.lines < 0:
        raise InputError(f"--lines must be 0 or more, not {args.lines}.")
    if args.threads is not None:
        if args.threads < 1:
            raise InputError(f"--threads must be at least 1, not {args.threads}.")
        import torch
        torch.set_num_threads(args.threads)
    loaded = engine.load(args.model, device=args.device, seed=args.seed)
    check_encoder(loaded)
    pretrained = loaded.weights == "real"      # before training turns them "trained"
    langs = LANGS if args.lang == "both" else (args.lang,)
    tuner = FineTuner(loaded, steps=args.steps, batch_size=args.batch, lr=args.lr, seed=args.seed, langs=langs)
    if not args.json:
        print(f"{loaded.name} ({loaded.family.title}, {loaded.weights} weights) on {tuner.device}: {tuner.steps} "
              f"steps of {args.batch} lines, lr {tuner.lr:g}, seed {args.seed}")
        print(f"sentiment lines ({', '.join(langs)}): {len(tuner.train_lines)} to train on, {len(tuner.held_out)} "
              f"held out (half positive, half negative: chance is 50%)")
        for lang, share in tuner.unk_share.items():
            if share > 0.05:
                print(f"note: {share:.0%} of the {lang} tokens are unknown to {loaded.name}'s tokenizer ([UNK]): it "
                      f"cannot tell those characters apart")
        print(f"{'step':>5}  {'loss':>6}  {'held-out accuracy':<30}  {'time':>6}")
    for record in tuner.run():
        if record.evaluation is None:
            continue
        if args.json:
            print(json.dumps(record.to_json(), ensure_ascii=False))
            continue
        evaluation = record.evaluation
        by_lang = ", ".join(f"{lang} {value:.0%}" for lang, value in evaluation.by_lang.items())
        print(f"{record.step:>5}  {record.loss:>6.3f}  {f'{evaluation.accuracy:.1%} ({by_lang})':<30}  "
              f"{record.elapsed_s:>5.1f}s")
    if args.json:
        print(json.dumps({"summary": tuner.summary(args.lines)}, ensure_ascii=False))
        return 0
    before, after = tuner.before, tuner.after
    print(f"held-out accuracy: {before.accuracy:.1%} before fine-tuning, {after.accuracy:.1%} after ("
          + ", ".join(f"{lang} {before.by_lang[lang]:.0%} -> {after.by_lang[lang]:.0%}" for lang in langs) + ")")
    final_loss = sum(r.loss for r in tuner.history[-5:]) / len(tuner.history[-5:]) if tuner.history else None
    if not pretrained and final_loss is not None and final_loss < 0.2 and after.accuracy < 0.75:
        print(f"random weights: the training lines are learned by heart (loss {final_loss:.3f}) but little carries "
              f"over to new lines; a pretrained encoder (minilm) learns the English lines in a few steps")
    for p in after.predictions[:args.lines] if args.lines else []:
        mark = "ok " if p.correct else "no "
        print(f"  {mark} {p.predicted:<8} {p.probability:>4.0%}  (is {p.label:<8})  {p.text}")
    return 0
