"""python -m engine generate --model NAME (--text TEXT | --ids "1 2 3") [--max-new-tokens N] [--no-cache] [--json]"""
from __future__ import annotations

import json

NAME = "generate"
HELP = "continue a text greedily with a decoder (GPT, LLaMA, GLM, ChatGLM) or T5, printing each new token"


def add_arguments(parser) -> None:
    parser.add_argument("--model", required=True, help="preset name or a checkpoint folder")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--text")
    source.add_argument("--ids", help="token ids instead of text, e.g. \"5 9 13\"")
    parser.add_argument("--max-new-tokens", type=int, default=16)
    parser.add_argument("--no-cache", action="store_true", help="recompute every earlier token at each step")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--json", action="store_true", help="print JSON: {prompt_tokens, new_ids, new_tokens, text}")


def run(args) -> int:
    import engine
    from engine.commands.trace import parse_ids
    from engine.generation import generate

    loaded = engine.load(args.model, device=args.device)
    ids = parse_ids(args.ids) if args.ids is not None else None
    result = generate(loaded, text=args.text, input_ids=ids, max_new_tokens=args.max_new_tokens,
                      use_cache=not args.no_cache)
    if args.json:
        print(json.dumps(result.__dict__, ensure_ascii=False))
        return 0
    print(f"{loaded.name}: {loaded.family.title}, {loaded.weights} weights on {loaded.device}")
    print("prompt:", " ".join(result.prompt_tokens))
    for step, (token_id, token) in enumerate(zip(result.new_ids, result.new_tokens), start=1):
        print(f"{step:4d}  {token_id:>8}  {token}")
    print("text:", result.text)
    return 0
