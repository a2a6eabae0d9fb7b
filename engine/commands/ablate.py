"""python -m engine ablate --model NAME (--text TEXT [--pair TEXT] | --ids "1 2 3") --heads L.H[,L.H...]
[--mode zero|mean] [--json]"""
from __future__ import annotations

import json

NAME = "ablate"
HELP = ("switch attention heads off (zero, or their mean over positions) and compare the model's predictions and "
        "attention patterns before and after")


def add_arguments(parser) -> None:
    from engine.commands.lens import add_input_arguments

    add_input_arguments(parser)
    parser.add_argument("--heads", required=True,
                        help="LAYER.HEAD pairs counted from 1 as the window counts, comma-separated: 1.2,3.1; "
                             "LAYER.* for every head of a layer; T5: decoder:1.2 or cross:1.2 for the decoder")
    parser.add_argument("--mode", choices=("zero", "mean"), default="zero",
                        help="zero: the head's output is 0; mean: its mean over the positions of this input")
    parser.add_argument("--top", type=int, default=3, help="top tokens shown per position (default 3)")
    parser.add_argument("--changes", type=int, default=10, help="largest probability changes listed (default 10)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--json", action="store_true",
                        help="print JSON: {model, intervention, heads, mode, kind, tokens, positions, top_before, "
                             "top_after, kl, max_logit_change, changes: [{position, token, id, candidate, before, "
                             "after}], pattern_change: {site: max |after - before|}}")


def run(args) -> int:
    import engine
    from engine.commands.generate import _p
    from engine.commands.trace import parse_ids
    from engine.errors import InputError
    from engine.interventions import ablate_heads, site_title

    if args.top < 1 or args.changes < 0:
        raise InputError("--top must be at least 1 and --changes at least 0")
    loaded = engine.load(args.model, device=args.device)
    ids = parse_ids(args.ids) if args.ids is not None else None
    result = ablate_heads(loaded, args.heads, args.mode, text=args.text, text_pair=args.pair, input_ids=ids,
                          top=args.top, changes=args.changes)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return 0
    print(f"{loaded.name}: {loaded.family.title}, {loaded.weights} weights; {result.intervention.describe()}")
    if not result.kind:
        print("this model has no token head: only the attention patterns are compared")
    else:
        print(f"largest change of any logit: {result.logit_change:.4g}")
        for i, position in enumerate(result.positions):
            before = ", ".join(f"{t!r} {_p(p)}" for _, t, p in result.top_before[i])
            after = ", ".join(f"{t!r} {_p(p)}" for _, t, p in result.top_after[i])
            print(f"position {position + 1} {result.tokens[position]!r}  KL {result.kl[i]:.3g} nats\n"
                  f"    before: {before}\n    after:  {after}")
        if result.changes:
            print("largest probability changes:")
            for c in result.changes:
                print(f"  position {c.position + 1} {c.token!r}: {c.candidate!r} {_p(c.before)} -> {_p(c.after)} "
                      f"({c.delta:+.3g})")
    changed = [(site, float(result.pattern(site, "diff").abs().max())) for site, _ in result.sites]
    print("attention patterns, largest |after - before| per layer: "
          + ", ".join(f"{site_title(s)} {d:.3g}" for s, d in changed))
    return 0
