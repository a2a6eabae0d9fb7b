"""python -m engine generate --model NAME (--text TEXT | --ids "1 2 3") [--max-new-tokens N] [--temperature X
[--top-k K] [--top-p P] [--seed S]] [--candidates N] [--no-cache] [--json]"""
from __future__ import annotations

import json

NAME = "generate"
HELP = ("continue a text with a decoder (GPT, LLaMA, GLM, ChatGLM) or T5, greedily or sampled, printing each new "
        "token with the model's top candidates")


def add_arguments(parser) -> None:
    parser.add_argument("--model", required=True, help="preset name, 'minilm', or a checkpoint folder")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--text")
    source.add_argument("--ids", help="token ids instead of text, e.g. \"5 9 13\" (checkpoints without tokenizer files)")
    parser.add_argument("--max-new-tokens", type=int, default=16)
    parser.add_argument("--temperature", type=float, default=0.0,
                        help="0 (default): always the most probable token (greedy); above 0: sample from "
                             "softmax(logits / temperature)")
    parser.add_argument("--top-k", type=int, default=None, help="sample only among the K most probable tokens")
    parser.add_argument("--top-p", type=float, default=None,
                        help="sample only among the most probable tokens whose probabilities add up to P")
    parser.add_argument("--seed", type=int, default=None,
                        help="seed of the sampling (the same seed gives the same tokens; one is drawn and printed "
                             "when not given)")
    parser.add_argument("--candidates", type=int, default=5, help="top candidates shown per step (default 5)")
    parser.add_argument("--no-cache", action="store_true", help="recompute every earlier token at each step")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--json", action="store_true",
                        help="print JSON: {prompt_tokens, prompt_ids, new_ids, new_tokens, text, stopped, settings, "
                             "vocabulary_note, steps: [{index, id, token, probability, sample_probability, "
                             "candidates: [{id, token, probability, logit}], context_length, kv_cache_bytes, "
                             "kv_cache_total}]}")


def _size(n_bytes: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n_bytes < 1024 or unit == "GiB":
            return f"{n_bytes:.0f} {unit}" if unit == "B" else f"{n_bytes:.1f} {unit}"
        n_bytes /= 1024
    return ""


def _p(probability: float) -> str:
    """A probability in few characters: 0.734, 0.0123, 3.2e-05."""
    return f"{probability:.3f}" if probability >= 0.01 else f"{probability:.1e}"


def run(args) -> int:
    import engine
    from engine.commands.trace import parse_ids
    from engine.generation import generate

    loaded = engine.load(args.model, device=args.device)
    ids = parse_ids(args.ids) if args.ids is not None else None
    result = generate(loaded, text=args.text, input_ids=ids, max_new_tokens=args.max_new_tokens,
                      use_cache=not args.no_cache, temperature=args.temperature, top_k=args.top_k,
                      top_p=args.top_p, seed=args.seed, candidates=args.candidates)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return 0
    settings = result.settings
    how = "greedy" if settings["greedy"] else (
        f"sampled: temperature {settings['temperature']:g}"
        + (f", top-k {settings['top_k']}" if settings["top_k"] is not None else "")
        + (f", top-p {settings['top_p']:g}" if settings["top_p"] is not None else "")
        + f", seed {settings['seed']}")
    print(f"{loaded.name}: {loaded.family.title}, {loaded.weights} weights on {loaded.device}; {how}; "
          f"KV cache {'on' if settings['use_cache'] else 'off'}")
    if result.vocabulary_note:
        print(result.vocabulary_note)
    print("prompt:", " ".join(result.prompt_tokens))
    sampled = not settings["greedy"]
    print(f"{'step':>4}  {'id':>8}  {'token':<16} {'p':>7}  " + (f"{'p drawn':>7}  " if sampled else "")
          + f"{'KV cache':>10}  top candidates (the model's probabilities)")
    for step in result.steps:
        top = ", ".join(f"{c.token!r} {_p(c.probability)}" for c in step.candidates)
        cache = _size(step.kv_cache_total) if step.kv_cache_bytes is not None else "-"
        drawn = f"{_p(step.sample_probability):>7}  " if sampled else ""
        print(f"{step.index + 1:4d}  {step.id:>8}  {step.token!r:<16} {_p(step.probability):>7}  {drawn}{cache:>10}  "
              f"{top}")
    print(f"stopped: {'the model gave its end token' if result.stopped == 'eos' else 'max-new-tokens reached'}")
    print("text:", result.text)
    return 0
