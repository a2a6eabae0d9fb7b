"""python -m engine <command> ...: parameters, traces, tokenizers and exports without the GUI."""
from __future__ import annotations

import argparse
import os
import importlib
import pkgutil
import sys

import engine.commands
from engine.errors import PLMError


class OneLineParser(argparse.ArgumentParser):
    """Usage mistakes end like every other error here: one line on stderr, exit status 2."""

    def error(self, message):
        self.exit(2, f"error: {message} (python -m engine {self.prog.split()[-1]} --help)\n")


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(prog="python -m engine", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    commands = {}
    for info in sorted(pkgutil.iter_modules(engine.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"engine.commands.{info.name}")
        commands[module.NAME] = module
        module.add_arguments(sub.add_parser(module.NAME, help=module.HELP, description=module.HELP))
    args = parser.parse_args(argv)
    try:
        return commands[args.command].run(args) or 0
    except BrokenPipeError:   # `python -m engine params gpt2 | head`: the reader has seen enough
        sys.stdout = open(os.devnull, "w")
        return 0
    except PLMError as error:
        print(f"error: {one_line(str(error))}", file=sys.stderr)
        return 2
    except Exception as error:   # noqa: BLE001 - a bug still ends in one line, named, never a traceback
        print(f"error: {type(error).__name__} in {args.command}: {one_line(str(error))} (this is a bug in PLM "
              f"Explorer; please report it with the command you ran)", file=sys.stderr)
        return 2


def one_line(message: str) -> str:
    return " ".join(message.split())


if __name__ == "__main__":
    sys.exit(main())
