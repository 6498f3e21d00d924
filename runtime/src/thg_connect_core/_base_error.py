"""The root of every error the runtime raises, in a module of its own so that the lowest
modules (reference strings, lenient decoding) can raise it without an import cycle."""

from __future__ import annotations

__all__ = ["ThgConnectError"]


class ThgConnectError(Exception):
    """Base class of every error the runtime raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
