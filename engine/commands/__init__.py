"""Subcommands of `python -m engine`: each module here defines NAME, HELP, add_arguments(parser) and run(args)."""
