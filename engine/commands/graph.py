"""python -m engine graph NAME [--json] [--unfold] [--expand STACK] [--compare OTHER]"""
from __future__ import annotations

import json

NAME = "graph"
HELP = ("a preset's architecture as a graph, read from its module: components with parameters, shapes and "
        "recorded steps, data-flow and residual edges; repeated layers folded (x N)")


def add_arguments(parser) -> None:
    parser.add_argument("name", help="a preset name (`python -m engine presets` lists them)")
    parser.add_argument("--json", action="store_true", help="print JSON: {name, params, notes, stacks, nodes: [{id, "
                        "kind, label, params, repeat, shape, steps, ...}], edges: [{from, to, kind}]}")
    parser.add_argument("--unfold", action="store_true", help="every layer its own nodes (default: folded, x N)")
    parser.add_argument("--expand", action="append", default=[], metavar="STACK",
                        help="unfold one stack only: layers, encoder or decoder (repeatable)")
    parser.add_argument("--compare", metavar="OTHER", help="also compare one block with OTHER's, in words")


def run(args) -> int:
    from engine.graph import build_graph, compare_blocks, describe_comparison, describe_graph, graph_to_json

    graph = build_graph(args.name, fold=not args.unfold, expand=args.expand)
    comparison = compare_blocks(args.name, args.compare) if args.compare else None
    if args.json:
        data = graph_to_json(graph)
        if comparison is not None:
            data["compare"] = comparison.to_json()
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print(describe_graph(graph))
    if comparison is not None:
        print()
        print(describe_comparison(comparison))
    return 0
