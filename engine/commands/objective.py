"""python -m engine objective KIND --model M --text T [--pair T2] [--seed S] [--epochs E] [--static] [--json]"""
from __future__ import annotations

import json

NAME = "objective"
HELP = ("show what a pretraining objective makes of a text: MLM masks, NSP/SOP pairs, CLM shifts, T5 span "
        "corruption, GLM blank infilling, with every random choice")

MATRIX_LIMIT = 40   # the T x T mask is drawn only for inputs this short


def add_arguments(parser) -> None:
    from engine.objectives import KINDS, TITLES

    parser.add_argument("kind", choices=KINDS, metavar="KIND",
                        help="; ".join(f"{kind}: {TITLES[kind]}" for kind in KINDS))
    parser.add_argument("--model", required=True,
                        help="whose tokenizer reads the text: a preset, 'minilm', or a checkpoint folder")
    parser.add_argument("--text", required=True)
    parser.add_argument("--pair", default=None,
                        help="nsp: the other document the NotNext sentence comes from (default: a corpus document)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=1, help="one example per epoch (nsp/sop: a positive and a "
                                                              "negative per epoch)")
    parser.add_argument("--static", action="store_true",
                        help="mlm: static masking, the same mask every epoch (default: dynamic, drawn anew)")
    parser.add_argument("--json", action="store_true", help="print {kind, model, seed, examples: [...]} as JSON")


def run(args) -> int:
    from engine.api import model_tokenizer
    from engine.errors import InputError, UnknownModelError
    from engine.objectives import TITLES, build_examples

    try:
        tokenizer = model_tokenizer(args.model)
    except InputError:
        raise
    except ValueError as error:
        raise UnknownModelError(str(error)) from None
    examples = build_examples(args.kind, tokenizer, args.text, args.pair, seed=args.seed, epochs=args.epochs,
                              dynamic=not args.static)
    if args.json:
        print(json.dumps({"kind": args.kind, "model": args.model, "seed": args.seed, "epochs": args.epochs,
                          "examples": [e.to_json() for e in examples]}, ensure_ascii=False))
        return 0
    print(f"{args.kind}: {TITLES[args.kind]}; {args.model}'s tokenizer ({tokenizer.kind}, {tokenizer.vocab_size:,} "
          f"tokens); seed {args.seed}" + (f"; {'static' if args.static else 'dynamic'} masking"
                                          if args.kind == "mlm" else ""))
    for example in examples:
        print()
        SHOW[args.kind](example)
    return 0


def _cell(text: str, width: int = 14) -> str:
    text = repr(text)[1:-1] if text else "-"
    return text if len(text) <= width else text[:width - 1] + "…"


def _mlm(example) -> None:
    summary = example.summary
    print(f"epoch {summary['epoch'] + 1}: {summary['chosen']} of {summary['maskable']} maskable tokens chosen "
          f"({summary['mask']} -> mask, {summary['random']} -> random, {summary['keep']} kept); mask drawn "
          f"{'once (static)' if summary['masking'] == 'static' else 'for this epoch (dynamic)'}")
    chosen = {d["position"]: d for d in example.decisions}
    print(f"{'pos':>4}  {'segment':>7}  {'input':<14}  {'label':<14}  decision")
    for position, token in enumerate(example.tokens):
        decision = chosen.get(position)
        if decision is None:
            note = ""
        else:
            note = {"mask": "chosen -> mask (80%)", "random": f"chosen -> random token (10%) instead of "
                                                              f"{decision['token']!r}",
                    "keep": "chosen, kept as it is (10%)"}[decision["action"]]
        print(f"{position:>4}  {example.token_type_ids[position]:>7}  {_cell(token):<14}  "
              f"{_cell(example.label_tokens[position]):<14}  {note}")


def _pair(example) -> None:
    summary = example.summary
    decision = example.decisions[-1]
    print(f"epoch {summary['epoch'] + 1}, label {example.sentence_label} = {summary['label']}"
          + (f" (B from {decision['from']})" if example.sentence_label else ""))
    print(f"  A: {summary['first']}")
    print(f"  B: {summary['second']}")
    print(f"{'pos':>4}  {'segment':>7}  token")
    for position, token in enumerate(example.tokens):
        print(f"{position:>4}  {example.token_type_ids[position]:>7}  {_cell(token, 30)}")


def _matrix(rows, tokens) -> None:
    if len(rows) > MATRIX_LIMIT:
        print(f"(the {len(rows)} x {len(rows)} mask is in --json as 'visibility')")
        return
    print("mask (row = query, column = key; # may attend, . may not):")
    for position, row in enumerate(rows):
        print(f"{position:>4} {_cell(tokens[position], 12):<12} " + "".join("#" if v else "." for v in row))


def _clm(example) -> None:
    print(f"epoch {example.summary['epoch'] + 1}: {example.summary['predictions']} predictions; position t reads "
          f"tokens 0..t and predicts token t+1 (no random choice)")
    print(f"{'pos':>4}  {'input':<14}  label (the next token)")
    for position, token in enumerate(example.tokens):
        print(f"{position:>4}  {_cell(token):<14}  {_cell(example.label_tokens[position])}")
    _matrix(example.visibility, example.tokens)


def _span(example) -> None:
    summary = example.summary
    print(f"epoch {summary['epoch'] + 1}: {summary['noise']} of {summary['tokens']} tokens in {summary['spans']} "
          f"spans (mean length {summary['mean_span']:.1f})" + (f"; {summary['note']}" if "note" in summary else ""))
    for decision in example.decisions:
        print(f"  span {decision['span']}: tokens {decision['start']}..{decision['end'] - 1} -> "
              f"{decision['sentinel']}: {' '.join(decision['tokens'])}")
    print("input:  ", " ".join(example.tokens))
    print("target: ", " ".join(example.label_tokens))
    print("decoder:", " ".join(example.decoder_tokens), "(the start token, then the target shifted right)")


def _blank(example) -> None:
    summary = example.summary
    print(f"epoch {summary['epoch'] + 1}: {summary['blanked']} of {summary['tokens']} tokens in {summary['spans']} "
          f"spans (Poisson lengths); Part A = positions 0..{summary['part_a_length'] - 1}, Part B after; "
          f"Part B order: spans {summary['part_b_order']}")
    for decision in example.decisions:
        print(f"  span {decision['span']}: tokens {decision['start']}..{decision['end'] - 1} "
              f"({' '.join(decision['tokens'])}) -> [MASK] at {decision['mask_position']}, Part B piece "
              f"{decision['part_b_order'] + 1} from position {decision['part_b_start']}")
    rows = example.position_ids
    print(f"{'pos':>4}  {'part':<4}  {'input':<14}  {'pos 1':>5}  {'pos 2':>5}  target")
    for position, token in enumerate(example.tokens):
        part = "A" if position < example.part_a_length else "B"
        print(f"{position:>4}  {part:<4}  {_cell(token):<14}  {rows[0][position]:>5}  {rows[1][position]:>5}  "
              f"{_cell(example.label_tokens[position])}")
    _matrix(example.visibility, example.tokens)


SHOW = {"mlm": _mlm, "nsp": _pair, "sop": _pair, "clm": _clm, "span": _span, "blank": _blank}
