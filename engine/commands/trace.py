"""python -m engine trace --model NAME (--text TEXT [--pair TEXT] | --ids "1 2 3") [--json] [--npz FILE]"""
from __future__ import annotations

import json

NAME = "trace"
HELP = "run a model on a text and print every recorded step with its shape"


def add_arguments(parser) -> None:
    parser.add_argument("--model", required=True, help="preset name, 'minilm', or a checkpoint folder")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--text")
    source.add_argument("--ids", help="token ids instead of text, e.g. \"5 9 13\" (checkpoints without tokenizer files)")
    parser.add_argument("--pair", default=None, help="second sentence (BERT pairs) or target text (T5)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--json", action="store_true", help="print JSON: {tokens, steps: [{name, shape, dims}]}")
    parser.add_argument("--npz", default=None, help="also save every recorded tensor to this .npz file")


def parse_ids(text: str) -> list[int]:
    from engine.errors import InputError

    try:
        return [int(i) for i in text.replace(",", " ").split()]
    except ValueError:
        raise InputError(f"--ids takes whole numbers separated by spaces, not {text!r}.") from None


def run(args) -> int:
    import engine
    from engine.files import writable_target

    if args.npz:   # a bad path is found before the model runs, not after
        writable_target(args.npz, ".npz")
    loaded = engine.load(args.model, device=args.device)
    if args.ids is not None:
        trace = loaded.trace(input_ids=parse_ids(args.ids))
    else:
        trace = loaded.trace(text=args.text, text_pair=args.pair)
    if args.npz:
        written = trace.save_npz(args.npz)
        if not args.json:
            print(f"saved {written}")
    if args.json:
        print(json.dumps(trace.to_json(), ensure_ascii=False))
        return 0
    print(f"{loaded.name}: {loaded.family.title}, {loaded.weights} weights on {loaded.device}")
    print("tokens:", " ".join(trace.tokens))
    width = max(len(s.name) for s in trace.cache.steps())
    for index, step in enumerate(trace.cache.steps(), start=1):   # step numbers count from 1, as in the window
        shape = "x".join(map(str, step.shape))
        print(f"{index:4d}  {step.name:<{width}}  {shape:<16} ({', '.join(step.dims)})")
    return 0
