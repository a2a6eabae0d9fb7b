"""python -m engine lens --model NAME (--text TEXT [--pair TEXT] | --ids "1 2 3") [--top K] [--all-positions]
[--json]"""
from __future__ import annotations

import json

NAME = "lens"
HELP = ("the logit lens: every layer's hidden state read through the model's final norm and output head, its top "
        "tokens at each position (decoders: every position; MLM heads: the [MASK] positions)")


def add_input_arguments(parser) -> None:
    """--model and what it reads (--text or --ids, --pair): the lens's and ablate's inputs."""
    parser.add_argument("--model", required=True, help="preset name, 'minilm', or a checkpoint folder")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--text")
    source.add_argument("--ids", help="token ids instead of text, e.g. \"5 9 13\"")
    parser.add_argument("--pair", default=None, help="second sentence (BERT pairs) or target text (T5)")


def add_arguments(parser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--top", type=int, default=3, help="top tokens per layer and position (default 3)")
    parser.add_argument("--all-positions", action="store_true",
                        help="MLM heads: read every position, not only the [MASK]s")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--json", action="store_true",
                        help="print JSON: {model, kind, tokens, positions, note, layers: [{layer, step, positions: "
                             "[{position, token, top: [{id, token, probability}], final_token_probability}]}]}")


def run(args) -> int:
    import engine
    from engine.commands.generate import _p
    from engine.commands.trace import parse_ids
    from engine.errors import InputError
    from engine.lens import logit_lens

    if args.top < 1:
        raise InputError(f"--top must be at least 1, not {args.top}")
    loaded = engine.load(args.model, device=args.device)
    ids = parse_ids(args.ids) if args.ids is not None else None
    result = logit_lens(loaded, text=args.text, text_pair=args.pair, input_ids=ids, top=args.top,
                        all_positions=args.all_positions)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return 0
    what = "the next token" if result.kind == "lm" else "the token at each position"
    print(f"{loaded.name}: {loaded.family.title}, {loaded.weights} weights; each row reads one layer's hidden "
          f"state through the output head ({what}); top {args.top} with probabilities")
    if result.note:
        print(result.note)
    for pi, position in enumerate(result.positions):
        print(f"position {position + 1} {result.tokens[position]!r}:")
        width = max(len(layer) for layer in result.layers)
        for li, layer in enumerate(result.layers):
            cells = "  ".join(f"{token!r} {_p(float(p))}" for token, p in
                              zip(result.top_tokens[li][pi], result.top_probs[li, pi]))
            print(f"  {layer:<{width}}  {cells}")
    return 0
