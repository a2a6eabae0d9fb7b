"""python -m engine ship [NAME ...] [--out DIR] [--steps N] [--device D] [--threads N]: retrain the small models
this app ships (engine/shipped.py holds their recipes) and write their folders and cards."""
from __future__ import annotations

NAME = "ship"
HELP = ("retrain the small models shipped in assets/trained (bert-trained, gpt2-trained, ...) from their recipes "
        "in engine/shipped.py, printing each one's loss, held-out loss and example outputs")


def add_arguments(parser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME", help="shipped models to train (default: all of them)")
    parser.add_argument("--out", default=None,
                        help="folder to write <NAME>/ into (default: assets/trained, replacing the shipped ones)")
    parser.add_argument("--steps", type=int, default=None, help="train fewer steps than the recipe (a quick check)")
    parser.add_argument("--cards", action="store_true",
                        help="measure the saved models again and rewrite their shipped.json and README.md, no training")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=1,
                        help="CPU threads for torch (default 1: fastest for models this small, and reproducible)")


def run(args) -> int:
    from engine.errors import InputError
    from engine.shipped import SHIPPED, TRAINED_DIR, get_shipped
    from engine.shipping import describe, describe_batch, ship, write_index

    names = args.names or list(SHIPPED)
    for name in names:
        get_shipped(name)                      # every name checked before minutes are spent on the first
    if args.steps is not None and args.steps < 1:
        raise InputError(f"--steps must be at least 1, not {args.steps}.")
    if args.threads < 1:
        raise InputError(f"--threads must be at least 1, not {args.threads}.")
    import torch
    torch.set_num_threads(args.threads)
    if args.cards:
        from pathlib import Path
        root = Path(args.out).expanduser() if args.out else TRAINED_DIR
        for name in names:
            if not (root / name / "shipped.json").is_file():
                raise InputError(f"{root / name} holds no shipped model to describe: train it first.")
            record = describe(root / name)
            print(f"{name}: held-out loss {record['held_out_loss']:.3f}, training text "
                  f"{record['training_text_loss']:.3f}, unigram entropy {record['unigram_entropy']:.3f}")
        print(f"index: {write_index(root)}")
        return 0
    for name in names:
        model = SHIPPED[name]
        steps = args.steps or model.steps
        every = max(1, steps // 10)
        print(f"{name}: {model.preset} + {model.config or 'no changes'}, vocabulary {model.vocab_size}, "
              f"{model.objective}, {steps} steps of "
              f"{describe_batch(model.batch_size, model.seq_len, model.unit)}, lr {model.lr:g}, "
              f"seed {model.seed}", flush=True)

        def progress(record, every=every):
            if record.step % every == 0 or record.step == record.steps:
                print(f"  step {record.step:>5}  loss {record.loss:.3f}", flush=True)

        result = ship(name, args.out, args.steps, args.device, progress)
        gap = result["unigram_entropy"] - result["held_out_loss"]
        print(f"  held-out loss {result['held_out_loss']:.3f} nats, {abs(gap):.2f} {'below' if gap >= 0 else 'above'} "
              f"the unigram entropy {result['unigram_entropy']:.3f}; {result['parameters']:,} parameters, "
              f"{result['bytes'] / 1e6:.2f} MB, {result['train_seconds']:.0f} s")
        for prompt, answer in result["examples"]:
            print(f"  {prompt}  ->  {answer}")
        print(f"  saved {result['folder']}", flush=True)
    print(f"index: {write_index(args.out)}")
    return 0
