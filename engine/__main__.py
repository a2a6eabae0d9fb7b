"""python -m engine <command> ...: parameters, traces, tokenizers and exports without the GUI."""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import engine.commands
from engine.errors import PLMError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    commands = {}
    for info in sorted(pkgutil.iter_modules(engine.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"engine.commands.{info.name}")
        commands[module.NAME] = module
        module.add_arguments(sub.add_parser(module.NAME, help=module.HELP, description=module.HELP))
    args = parser.parse_args(argv)
    try:
        return commands[args.command].run(args) or 0
    except PLMError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
