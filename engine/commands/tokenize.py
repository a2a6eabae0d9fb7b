"""`python -m engine tokenize`: show how a model's tokenizer cuts a text, or compare tokenizer kinds.

    python -m engine tokenize --model gpt2 --text "Hello world" [--pair "..."] [--json]
    python -m engine tokenize --model minilm --text "你好，世界 😂"
    python -m engine tokenize --compare --text "The cat sat on the mat 😂"

--model takes what `engine.load` takes (a preset gets its model's tokenizer: the released vocabulary where a
package ships it, else the app's small trained one, and the output says which), or a recipe / released vocabulary.
"""

from __future__ import annotations

import argparse
import json
import sys

NAME = "tokenize"
HELP = "tokenize a text with a model's tokenizer, or compare tokenizer kinds side by side"

COMPARE_DEFAULT = ("gpt1", "gpt2", "bert", "t5", "llama")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", default="bert",
                        help="preset (gpt2, bert-base-uncased, llama-3-8b, bert-tiny, ...), recipe (bert, roberta, "
                             "t5, ...), released vocabulary (released-gpt2, ...), 'minilm', or a checkpoint folder "
                             "(default: bert)")
    parser.add_argument("--text", required=True, help="the text to tokenize")
    parser.add_argument("--pair", default=None, help="a second text, for sentence-pair input")
    parser.add_argument("--no-special", action="store_true", help="do not add the model's special tokens")
    parser.add_argument("--json", action="store_true",
                        help="print the encoding as JSON: {tokens, ids, offsets, special, unknown, segments, "
                             "released, vocabulary, mask_token}")
    parser.add_argument("--compare", action="store_true",
                        help="compare tokenizer kinds on the text (uses --models, ignores --model)")
    parser.add_argument("--models", default=",".join(COMPARE_DEFAULT),
                        help=f"comma-separated models for --compare (default: {','.join(COMPARE_DEFAULT)})")


def run(args: argparse.Namespace) -> int:
    # Imported here so `python -m engine --help` stays fast.
    from engine.api import model_tokenizer
    from engine.tokenization import compare

    try:
        if args.compare:
            names = [name.strip() for name in args.models.split(",") if name.strip()]
            tokenizers = [model_tokenizer(name) for name in names]
            rows = compare(args.text, tokenizers)
            for row, name, tokenizer in zip(rows, names, tokenizers):
                row["name"] = name  # "minilm" reads better than "checkpoint"
                row["released"] = tokenizer.released
            if args.json:
                print(json.dumps(rows, ensure_ascii=False, indent=2))
            else:
                print(_compare_table(args.text, rows))
            return 0
        tokenizer = model_tokenizer(args.model)
        encoding = tokenizer.encode(args.text, args.pair, add_special_tokens=not args.no_special)
    except ValueError as error:
        print(f"error: {' '.join(str(error).split())}", file=sys.stderr)
        return 2

    if args.json:
        data = encoding.to_json()
        data.update(released=tokenizer.released, vocabulary=tokenizer.vocabulary_note,
                    mask_token=tokenizer.mask_token)
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(tokenizer.description or repr(tokenizer))
        if tokenizer.vocabulary_note:
            print(tokenizer.vocabulary_note)
        print(_encoding_table(encoding, args.text, args.pair))
    return 0


def _encoding_table(encoding, text: str, pair: str | None) -> str:
    lines = [f"{'#':>4}  {'id':>6}  {'seg':>3}  {'span':<9}  {'token':<16}  text  flags"]
    for index, (token, token_id, (start, end), special, unknown, segment) in enumerate(zip(
            encoding.tokens, encoding.ids, encoding.offsets, encoding.special, encoding.unknown, encoding.segments)):
        # A pair's offsets point into that segment's own text; special tokens have no text.
        source = pair if (pair is not None and segment == 1 and not special) else text
        piece = "" if special else source[start:end]
        flags = " ".join(flag for flag, on in (("special", special), ("UNK", unknown)) if on)
        lines.append(f"{index:>4}  {token_id:>6}  {segment:>3}  {f'{start}-{end}':<9}  {token!r:<16}  {piece!r}  {flags}")
    lines.append(f"{len(encoding)} tokens, {sum(encoding.unknown)} unknown, {sum(encoding.special)} special")
    return "\n".join(lines)


def _compare_table(text: str, rows: list[dict]) -> str:
    name_width = max([len("model")] + [len(row["name"]) for row in rows])
    lines = [f"text: {text!r} ({len(text)} characters)", "",
             f"{'model':<{name_width}}  {'kind':<14}  {'tokens':>6}  {'unknown':>7}  {'chars/token':>11}  "
             f"vocabulary"]
    for row in rows:
        kind = row["kind"] + ("+bytes" if row.get("byte_fallback") else "")
        vocabulary = "released" if row.get("released") else "trained here: ids not the released ones"
        lines.append(f"{row['name']:<{name_width}}  {kind:<14}  {row['n_tokens']:>6}  {row['n_unknown']:>7}  "
                     f"{row['chars_per_token']:>11.2f}  {vocabulary}")
    lines.append("")
    for row in rows:
        lines.append(f"{row['name']:<{name_width}}  " + " | ".join(row["tokens"]))
    return "\n".join(lines)
