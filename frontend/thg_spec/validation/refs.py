"""Internal `$ref`s: find them, resolve them, and report the ones that lead nowhere (THG002)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .. import pointer as jp
from ..diagnostics import Diagnostic
from ..loader import LoadedSpec

MISSING = object()  # what lookup() answers for a ref that leads nowhere


def lookup(data: Any, ref: str) -> Any:
    """The value an internal `#/…` ref names, or `MISSING`."""
    if not ref.startswith("#"):
        return MISSING
    current = data
    try:
        for token in jp.split(ref[1:]):
            if isinstance(current, dict):
                current = current[token]
            elif isinstance(current, list):
                current = current[int(token)]
            else:
                return MISSING
    except (KeyError, IndexError, ValueError):
        return MISSING
    return current


def resolve(data: Any, value: Any, limit: int = 32) -> Any:
    """Follow `$ref` chains from `value`; an unresolvable ref yields an empty mapping."""
    seen = 0
    while isinstance(value, dict) and isinstance(value.get("$ref"), str) and seen < limit:
        target = lookup(data, value["$ref"])
        if target is MISSING:
            return {}
        value = target
        seen += 1
    return value


def iter_refs(value: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every (pointer of the $ref member, ref text) in document order."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                yield jp.child(pointer, key), item
            else:
                yield from iter_refs(item, jp.child(pointer, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from iter_refs(item, jp.child(pointer, i))


@dataclass(frozen=True)
class Scan:
    """What one walk of a document finds: every distinct `$ref` text and every mapping key."""

    refs: frozenset[str]
    keys: frozenset[str]

    def all_resolve(self, data: Any) -> bool:
        return all(ref.startswith("#") and lookup(data, ref) is not MISSING for ref in self.refs)


def scan(data: Any) -> Scan:
    """One walk, no pointers built: it runs on every spec, and several checks need its answers."""
    refs: set[str] = set()
    keys: set[str] = set()
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            keys.update(value)
            ref = value.get("$ref")
            if isinstance(ref, str):
                refs.add(ref)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return Scan(frozenset(refs), frozenset(keys))


def check_refs(spec: LoadedSpec, found: Scan | None = None) -> list[Diagnostic]:
    if (found or scan(spec.data)).all_resolve(spec.data):
        return []
    problems = []
    for where, ref in iter_refs(spec.data):
        if not ref.startswith("#/") and ref != "#":
            problems.append(
                spec.diagnostic(
                    where,
                    "THG002",
                    f"$ref {ref!r} points outside this document",
                    "Specs are self-contained: copy the component into this file's "
                    "components and use '#/components/…'",
                )
            )
        elif lookup(spec.data, ref) is MISSING:
            problems.append(
                spec.diagnostic(
                    where,
                    "THG002",
                    f"$ref {ref!r} does not resolve",
                    "Define it under that path or correct the reference",
                )
            )
    return problems


def without_dangling_refs(data: Any, found: Scan | None = None) -> Any:
    """``data``, or a copy where every unresolvable ref is an empty schema, so later checks can
    still run (the usual case, every ref resolving, copies nothing)."""
    if (found or scan(data)).all_resolve(data):
        return data

    def scrub(value: Any) -> Any:
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and (not ref.startswith("#") or lookup(data, ref) is MISSING):
                return {k: scrub(v) for k, v in value.items() if k != "$ref"}
            return {k: scrub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value

    return scrub(copy.deepcopy(data))
