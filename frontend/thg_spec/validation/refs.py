"""Internal `$ref`s: find them, resolve them, and report the ones that lead nowhere (THG002): out of
the document, to nothing, round a loop, or down a chain of more than MAX_REF_CHAIN references."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .. import pointer as jp
from ..diagnostics import Diagnostic
from ..loader import LoadedSpec

MISSING = object()  # what lookup() answers for a ref that leads nowhere
# A `$ref` to a `$ref` to ...: longer chains are refused (no spec needs them, and every walker
# that follows refs stops after this many).
MAX_REF_CHAIN = 32


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


def resolve(data: Any, value: Any, limit: int = MAX_REF_CHAIN) -> Any:
    """Follow `$ref` chains from `value`; an unresolvable ref yields an empty mapping."""
    seen = 0
    while isinstance(value, dict) and isinstance(value.get("$ref"), str) and seen < limit:
        target = lookup(data, value["$ref"])
        if target is MISSING:
            return {}
        value = target
        seen += 1
    return value


def chain(data: Any, ref: str) -> tuple[list[str], str]:
    """The refs followed from `ref` (itself first) while each target is a `$ref` again, and why
    the chain is refused: "loop", "long", or "" (it ends at a value, or dangles: check_refs
    reports that at the ref that dangles)."""
    followed = [ref]
    seen = {ref}
    target = lookup(data, ref)
    while isinstance(target, dict) and isinstance(target.get("$ref"), str):
        ref = target["$ref"]
        if ref in seen:
            followed.append(ref)
            return followed, "loop"
        seen.add(ref)
        followed.append(ref)
        target = lookup(data, ref)
    return followed, "long" if len(followed) > MAX_REF_CHAIN else ""


def refused_chains(data: Any, refs: Iterable[str]) -> set[str]:
    """Those of `refs` that lead round a loop or start a chain of more than MAX_REF_CHAIN refs
    (each chain walked once, however many refs share it)."""
    lengths: dict[str, int] = {}  # ref -> refs in its chain, itself included; -1: a loop
    for start in refs:
        path: list[str] = []
        on_path: set[str] = set()
        ref = start
        while True:
            if ref in lengths:
                tail = lengths[ref]
                break
            if ref in on_path:
                tail = -1
                break
            on_path.add(ref)
            path.append(ref)
            target = lookup(data, ref)
            if not (isinstance(target, dict) and isinstance(target.get("$ref"), str)):
                tail = 0
                break
            ref = target["$ref"]
        for i, ref in enumerate(reversed(path)):
            lengths[ref] = -1 if tail < 0 else tail + i + 1
    return {ref for ref, n in lengths.items() if n < 0 or n > MAX_REF_CHAIN}


def iter_refs(value: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every (pointer of the $ref member, ref text) in document order."""
    stack = [(pointer, value)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, dict):
            for key, item in reversed(value.items()):
                if key == "$ref" and isinstance(item, str):
                    stack.append((jp.child(pointer, key), _Ref(item)))
                else:
                    stack.append((jp.child(pointer, key), item))
        elif isinstance(value, list):
            stack.extend(
                (jp.child(pointer, i), item) for i, item in reversed(list(enumerate(value)))
            )
        elif isinstance(value, _Ref):
            yield pointer, value.text


@dataclass(frozen=True)
class _Ref:
    text: str


@dataclass(frozen=True)
class Scan:
    """What one walk of a document finds: every distinct `$ref` text and every mapping key."""

    refs: frozenset[str]
    keys: frozenset[str]

    def all_resolve(self, data: Any) -> bool:
        """Whether every ref resolves, and to a value (not round a loop or down a long chain)."""
        return all(
            ref.startswith("#") and lookup(data, ref) is not MISSING for ref in self.refs
        ) and not refused_chains(data, self.refs)


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
    refused = refused_chains(spec.data, (found or scan(spec.data)).refs)
    reported: set[str] = set()  # refs of the loops and chains reported: one problem each
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
        elif ref in refused and ref not in reported:
            followed, why = chain(spec.data, ref)
            if reported.intersection(followed):
                continue
            reported.update(followed)
            if why == "loop":
                start = followed.index(followed[-1])
                route = " -> ".join(followed[start:])
                message = f"$ref {ref!r} leads round a loop of references: {route}"
                hint = "A reference must end at a schema: point one of them at a value"
            else:
                message = f"$ref {ref!r} starts a chain of more than {MAX_REF_CHAIN} references"
                hint = f"Point it at the value the chain ends at ({followed[-1]!r})"
            problems.append(spec.diagnostic(where, "THG002", message, hint))
    return problems


def without_dangling_refs(data: Any, found: Scan | None = None) -> Any:
    """``data``, or a copy where every unresolvable ref (dangling, looping, or starting too long a
    chain) is an empty schema, so later checks can still run (the usual case, every ref
    resolving, copies nothing)."""
    found = found or scan(data)
    if found.all_resolve(data):
        return data
    refused = refused_chains(data, found.refs)

    def scrub(value: Any) -> Any:
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and (
                not ref.startswith("#") or lookup(data, ref) is MISSING or ref in refused
            ):
                return {k: scrub(v) for k, v in value.items() if k != "$ref"}
            return {k: scrub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value

    return scrub(copy.deepcopy(data))
