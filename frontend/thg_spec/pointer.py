"""JSON pointers (RFC 6901): the address every diagnostic and source-map entry uses."""

from __future__ import annotations

from collections.abc import Iterable


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(*tokens: str | int) -> str:
    return "".join("/" + escape(str(t)) for t in tokens)


def child(pointer: str, *tokens: str | int) -> str:
    return pointer + join(*tokens)


def split(pointer: str) -> list[str]:
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [unescape(t) for t in pointer[1:].split("/")]


def from_path(parts: Iterable[object]) -> str:
    return join(*(str(p) for p in parts))
