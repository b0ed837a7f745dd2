"""Sub-commands of the `lsoplan` console command.

Each module exposes ``register(subparsers)``, which adds its parser and sets ``func`` to a
callable ``(args) -> int``. Commands that need the database call ``lsoplan.cli.setup_django()``
first; pure commands (``smart``, ``stats``) must not, so that they start fast.
"""
