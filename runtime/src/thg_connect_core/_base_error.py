"""The root of every error the runtime raises, in a module of its own so that the lowest
modules (reference strings, lenient decoding) can raise it without an import cycle, and the
decode error, here so that ``_errors`` (on the client's import path) exports it without
importing pydantic."""

from __future__ import annotations

__all__ = ["ResponseDecodeError", "ThgConnectError"]


class ThgConnectError(Exception):
    """Base class of every error the runtime raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ResponseDecodeError(ThgConnectError, ValueError):
    """A response body that cannot be read as its documented type at all: not JSON, or a
    document without the members every document has. Nothing narrower (a broken constraint, an
    unknown value, an odd record) raises it."""
