"""python -m engine pretrain --model M --objective KIND --steps N --out DIR [--corpus FILE] [--seed S] [--lr LR]
[--batch B] [--seq-len T] [--static] [--mask-rate R] [--examples windows|sentences] [--device D] [--threads N]
[--log-every K] [--json]"""
from __future__ import annotations

import json

NAME = "pretrain"
HELP = ("pretrain a model (a tiny preset or a checkpoint folder) on the bundled corpus or a text file with one "
        "objective, printing the loss, and save it as a Hugging Face folder that engine.load reopens")


def add_arguments(parser) -> None:
    from engine.objectives import KINDS, UNITS

    parser.add_argument("--model", required=True, help="a preset (bert-tiny, gpt2-tiny, ...) or a checkpoint folder")
    parser.add_argument("--objective", required=True, choices=KINDS,
                        help="mlm, nsp or sop (encoders), clm (decoders), span (T5), blank (GLM)")
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--out", required=True, help="the folder to save the trained model into")
    parser.add_argument("--corpus", default=None,
                        help="a UTF-8 text file, blank lines between documents (default: the bundled corpus)")
    parser.add_argument("--seed", type=int, default=0, help="seeds the model's initial weights and the data")
    parser.add_argument("--lr", type=float, default=None, help="peak learning rate (default: 2e-3 for the "
                                                               "encoders' objectives, 5e-3 for clm, 3e-3 others)")
    parser.add_argument("--batch", type=int, default=16, help="sequences per step (default 16)")
    parser.add_argument("--seq-len", type=int, default=64, help="tokens per sequence (default 64)")
    parser.add_argument("--static", action="store_true", help="mlm: static masking (default: dynamic)")
    parser.add_argument("--mask-rate", type=float, default=0.15,
                        help="mlm, nsp, sop: the share of tokens chosen for prediction (default BERT's 0.15)")
    parser.add_argument("--examples", choices=UNITS, default="windows",
                        help="mlm, span: cut the corpus into fixed windows of running text (default) or one "
                             "sentence per example, framed as a typed prompt is")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=None,
                        help="CPU threads for torch (default: torch's choice; 1 is often fastest for tiny models)")
    parser.add_argument("--log-every", type=int, default=None, help="print every K steps (default: about 20 lines)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object per logged step ({step, steps, epoch, loss, parts, lr, tokens, "
                             "tokens_per_s, elapsed_s}), then the run's summary ({summary, saved})")


def run(args) -> int:
    import engine
    from engine.errors import InputError
    from engine.training import DEFAULT_LR, Trainer

    if args.steps < 1:
        raise InputError(f"--steps must be at least 1, not {args.steps}.")
    if args.threads is not None:
        if args.threads < 1:
            raise InputError(f"--threads must be at least 1, not {args.threads}.")
        import torch
        torch.set_num_threads(args.threads)
    loaded = engine.load(args.model, device=args.device, seed=args.seed)
    lr = args.lr if args.lr is not None else DEFAULT_LR[args.objective]
    trainer = Trainer(loaded, args.objective, args.corpus, steps=args.steps, batch_size=args.batch,
                      seq_len=args.seq_len, lr=lr, seed=args.seed, dynamic=not args.static,
                      mask_rate=args.mask_rate, unit=args.examples)
    every = args.log_every or max(1, args.steps // 20)
    if not args.json:
        print(f"{loaded.name} ({loaded.family.title}) on {trainer.device}: {args.objective}, {args.steps} steps of "
              f"{args.batch} x {args.seq_len} tokens, lr {lr:g}, seed {args.seed}")
        print(f"corpus: {trainer.corpus.source}; {len(trainer.items.content):,} tokens, {len(trainer.items):,} "
              f"{'sentence pairs' if args.objective in ('nsp', 'sop') else 'sequences'}; unigram entropy "
              f"{trainer.unigram_entropy:.3f} nats (the loss of guessing from token frequencies alone)")
        print(f"{'step':>6}  {'epoch':>5}  {'loss':>7}  {'parts':<24}  {'lr':>8}  {'tokens/s':>9}")
    for record in trainer.run():
        if record.step % every and record.step != args.steps and record.step != 1:
            continue
        if args.json:
            print(json.dumps(record.to_json()))
            continue
        parts = ", ".join(f"{k} {v:.3f}" for k, v in record.parts.items()) if len(record.parts) > 1 else ""
        print(f"{record.step:>6}  {record.epoch + 1:>5}  {record.loss:>7.3f}  {parts:<24}  {record.lr:>8.2e}  "
              f"{record.tokens_per_s:>9,.0f}")
    saved = trainer.save(args.out)
    summary = trainer.summary()
    if args.json:
        summary.pop("history")
        print(json.dumps({"summary": summary, "saved": {"folder": str(saved.folder), "files": saved.files,
                                                        "reopens": saved.reopens, "note": saved.note}},
                         ensure_ascii=False))
        return 0
    token_part = "mlm" if args.objective in ("nsp", "sop") else None
    final = trainer.mean_loss(part=token_part)
    gap = trainer.unigram_entropy - final
    print(f"final {'MLM ' if token_part else ''}loss {final:.3f} (mean of the last {min(20, trainer.step)} steps): "
          f"{abs(gap):.3f} nats {'below' if gap >= 0 else 'above'} the unigram entropy {trainer.unigram_entropy:.3f}")
    if token_part:
        print(f"final {args.objective.upper()} loss {trainer.mean_loss(part=args.objective):.3f} (a coin toss: "
              f"ln 2 = 0.693)")
    print(f"saved {saved.folder}: {', '.join(saved.files)} ({saved.parameters:,} parameters)")
    print(saved.note or f"engine.load({str(saved.folder)!r}) reopens it")
    return 0
