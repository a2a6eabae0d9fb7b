"""python -m engine params NAME [--json] [--ctx N] [--full]"""
from __future__ import annotations

import json

NAME = "params"
HELP = "count a preset's parameters exactly: totals, breakdown, sharing, weight memory, KV cache, FLOPs"


def add_arguments(parser) -> None:
    parser.add_argument("name", help="a preset name (`python -m engine presets` lists them)")
    parser.add_argument("--json", action="store_true", help="print JSON: {name, total, total_with_heads, "
                        "breakdown, memory_bytes, kv_cache_bytes_per_token, flops_per_token, ...}")
    parser.add_argument("--ctx", type=int, default=None, help="context length for the FLOPs attention term "
                        "and the KV cache at full context (default: the model's own)")
    parser.add_argument("--full", action="store_true", help="build every layer on meta instead of two per stack")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="change a config.json field first, e.g. --set num_hidden_layers=6 (repeatable)")


def run(args) -> int:
    from engine.errors import InputError
    from engine.params import account, describe, edit_preset, parse_setting

    if args.ctx is not None and not 1 <= args.ctx <= 2**24:
        raise InputError(f"--ctx is a context length in tokens: 1..{2**24:,}, not {args.ctx}.")
    target = args.name
    if args.set:
        target = edit_preset(args.name, dict(parse_setting(text) for text in args.set))
    result = account(target, full=args.full, n_ctx=args.ctx)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print(describe(result))
    return 0
