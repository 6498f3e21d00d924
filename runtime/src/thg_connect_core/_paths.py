"""Ids as URL path segments (issue 14): nothing an id holds can change a path's shape.

Its own module, free of pydantic, because the generated registry uses it on the client's import
path, which loads no pydantic until the first call (issue 17's import cost)."""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["path_id"]

_DOT_SEGMENTS = frozenset({".", ".."})


def path_id(value: object, name: str) -> str:
    """An id for a URL path segment: refused before sending when empty or a dot segment, and
    percent-encoded, so an id can never change the path's shape.

    ``.`` and ``..`` are refused rather than encoded: URL normalisation (RFC 3986 §5.2.4, done by
    httpx, proxies and servers alike) removes them, and ``%2E`` is the same unreserved character,
    which a server may decode back to a dot segment. ``/`` and every other reserved character are
    percent-encoded."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must not be empty")
    if value in _DOT_SEGMENTS:
        raise ValueError(f"{name} must not be {value!r}: a dot segment would address another path")
    return quote(value, safe="")
