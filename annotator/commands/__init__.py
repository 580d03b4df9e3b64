"""Command-line subcommands, one module each.

Every module here defines ``NAME`` (the subcommand), ``HELP`` (one line),
``register(parser)`` to add its arguments and ``run(args) -> int``.
:mod:`annotator.cli` discovers them automatically.
"""
