"""python -m engine models [--json] [--folder PATH ...] [--no-hub-cache] [--all] [--device DEVICE]"""
from __future__ import annotations

import json

NAME = "models"
HELP = ("list the checkpoints already on this computer (the Hugging Face cache and given folders) that this app "
        "can run: name, family, parameters, whether they fit in memory")


def add_arguments(parser) -> None:
    parser.add_argument("--folder", action="append", default=[], metavar="PATH",
                        help="also look in this folder: a checkpoint, a hub cache, or a folder with checkpoints "
                             "inside (repeatable)")
    parser.add_argument("--no-hub-cache", action="store_true", help="do not look in the Hugging Face cache")
    parser.add_argument("--all", action="store_true",
                        help="also list checkpoints this app cannot run, with the reason")
    parser.add_argument("--device", default="cpu", help="the device whose free memory decides 'fits' (default cpu)")
    parser.add_argument("--json", action="store_true",
                        help="print JSON: [{name, path, source, revision, family, title, parameters, weights_bytes, "
                             "memory_bytes, fits, problem}]")


def run(args) -> int:
    from engine.devices import resolve_device
    from engine.discovery import find_models, hub_cache_dir
    from engine.params import human, human_bytes

    device = resolve_device(args.device)
    models = find_models(args.folder, hub_cache=not args.no_hub_cache, device=str(device),
                         include_unusable=args.all)
    if args.json:
        print(json.dumps([m.to_json() for m in models], ensure_ascii=False))
        return 0
    places = ([] if args.no_hub_cache else [f"the Hugging Face cache ({hub_cache_dir()})"]) + list(args.folder)
    if not models:
        print(f"No checkpoint this app can run in {' or '.join(places) or 'no folder'}.")
        return 0
    width = max(len(m.name) for m in models)
    print(f"{'name':<{width}}  {'family':<10} {'parameters':>10}  {'memory':>10}  {'fits':<4}  path")
    for m in models:
        fits = "-" if m.fits is None else ("yes" if m.fits else "no")
        print(f"{m.name:<{width}}  {(m.title or '?'):<10} {human(m.parameters):>10}  {human_bytes(m.memory_bytes):>10}"
              f"  {fits:<4}  {m.path}")
        if m.problem:
            print(f"{'':<{width}}  cannot run: {m.problem}")
    print(f"\n{len(models)} found in {', '.join(places)}; memory: the weights on {device} "
          f"(fits: with a fifth more for the activations, within its free memory).")
    return 0
