"""`kg` command line: one subcommand per module in `kg.commands`.

Every error reaches the user as one line on stderr with a documented exit code
(see README, "Exit codes"); `--debug` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import kg.commands
from kg.errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_USAGE, KgError
from kg.safety import one_line


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2, like argparse but without the usage dump
        self.exit(EXIT_USAGE, f"kg: error: {message} (see kg --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kg", description="A knowledge graph of Persian news.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for info in sorted(pkgutil.iter_modules(kg.commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"kg.commands.{info.name}")
        # each command module defines register(subparsers) and sets func=run
        module.register(sub)
    return parser


def _terminate(signum, frame):  # SIGTERM: unwind like Ctrl-C so temp files are removed
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    import signal

    try:
        signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread (embedded use)
        pass
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KgError as exc:
        if args.debug:
            raise
        print(f"kg: error: {one_line(exc)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except Exception as exc:  # last resort: still one line, never a traceback
        if args.debug:
            raise
        print(f"kg: internal error: {one_line(f'{type(exc).__name__}: {exc}')} (rerun with --debug for details)",
              file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
