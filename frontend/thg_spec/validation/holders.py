"""Where a document carries an extension: every mapping holding a given key, with its pointer.

One walk for the rules that validate an `x-thg-*` extension wherever it sits (THG028's
`x-thg-unique`, THG032's `x-thg-price-regions`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import pointer as jp

_MAX_DEPTH = 64  # the walk is over any document, a hostile one included


def holders_of(document: Any, key: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(pointer, holder) for every mapping of ``document`` that has ``key``."""
    stack: list[tuple[str, Any, int]] = [("", document, 0)]
    while stack:
        at, node, depth = stack.pop()
        if depth > _MAX_DEPTH:
            continue
        if isinstance(node, dict):
            if key in node:
                yield at, node
            stack.extend((jp.child(at, str(k)), v, depth + 1) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((jp.child(at, i), v, depth + 1) for i, v in enumerate(node))
