"""python -m engine presets [--json] [--family F] [--runnable]"""
from __future__ import annotations

import json

NAME = "presets"
HELP = "list the named configurations: tiny ones and every published size, with parameters and sources"


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true",
                        help="print JSON: [{name, family, group, params, source, runnable, ...}]")
    parser.add_argument("--family", default=None, help="only this family (bert, t5, gpt2, llama, ...)")
    parser.add_argument("--runnable", action="store_true", help="only presets that random-initialise on a laptop")


def rows(family: str | None = None, runnable_only: bool = False) -> list[dict]:
    from engine.models import FAMILIES
    from engine.params import account
    from engine.presets import all_presets

    out = []
    for name, preset in all_presets().items():
        if (family and preset.family != family) or (runnable_only and not preset.runnable):
            continue
        counted = account(name)
        out.append({"name": name, "family": preset.family, "title": FAMILIES[preset.family].title,
                    "group": FAMILIES[preset.family].group, "params": counted.total_with_heads,
                    "total": counted.total, "stated": preset.extra.get("stated"), "source": preset.source,
                    "runnable": preset.runnable, "tiny": preset.is_tiny,
                    "analytic": bool(counted.extra.get("analytic"))})
    return out


def run(args) -> int:
    from engine.params import human

    listing = rows(args.family, args.runnable)
    if args.json:
        print(json.dumps(listing, ensure_ascii=False))
        return 0
    width = max(len(r["name"]) for r in listing)
    group = None
    for r in sorted(listing, key=lambda r: (r["group"] != "Encoder-only", r["group"] != "Encoder-decoder")):
        if r["group"] != group:
            group = r["group"]
            print(f"\n{group}")
        mark = "run " if r["runnable"] else "    "
        approx = "~" if r["analytic"] else " "
        print(f"  {r['name']:<{width}}  {r['title']:<10} {approx}{human(r['params']):>8}  {mark} {r['source']}")
    print("\nrun: small enough to random-initialise and step through; the others are for accounting "
          "(python -m engine params NAME).\n~: counted analytically from the released tensor layout; no class of "
          "ours builds it exactly (see its notes).")
    return 0
