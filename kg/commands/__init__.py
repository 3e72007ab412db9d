"""Subcommands of the `kg` CLI: each module defines `register(subparsers)`."""
