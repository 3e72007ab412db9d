"""Errors users see as one line, with documented exit codes (see README)."""

from __future__ import annotations

from kg.safety import one_line

# Exit codes (documented in the README).
EXIT_OK = 0
EXIT_ERROR = 1  # unexpected internal error (reported in one line, details with --debug)
EXIT_USAGE = 2  # bad command line
EXIT_INPUT = 3  # unreadable or invalid input (missing path, bad encoding, empty, binary)
EXIT_PARTIAL = 4  # a corpus run finished but some articles failed (see errors.jsonl)
EXIT_REMOTE = 5  # a triplestore or other remote service failed after retries
EXIT_INTERRUPTED = 130


class KgError(Exception):
    """An error with a one-line message meant for the user."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, exit_code: int | None = None):
        # Messages quote file names, ids and article text: keep them one printable line.
        super().__init__(one_line(message))
        if exit_code is not None:
            self.exit_code = exit_code


class InputError(KgError):
    """The input cannot be read (missing, empty, binary, bad encoding, malformed)."""

    exit_code = EXIT_INPUT


class RemoteError(KgError):
    """A triplestore or other remote service failed after retries."""

    exit_code = EXIT_REMOTE
