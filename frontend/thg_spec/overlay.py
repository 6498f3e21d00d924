"""OpenAPI Overlay 1.0 documents beside a spec: the hints a published document lacks, kept apart
so the platform's document stays byte-for-byte as downloaded (CONVENTIONS §16).

`<stem>.overlay.yaml` (or .yml, .json) beside `<stem>.json` is read with the same loader as a
spec, checked (every problem a located THG080 in the overlay file), and its actions applied in
order to the spec's data before anything validates it: `target` is an RFC 9535 JSONPath;
`update` merges into every node it selects (objects recursively, arrays appended, other values
replaced), `remove: true` deletes them. A target that selects nothing is a warning: the document
may have changed under the overlay.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import pointer as jp
from .diagnostics import Diagnostic, Severity
from .loader import LoadedSpec, load_spec
from .paths import overlay_for

RULE = "THG080"


@dataclass(frozen=True)
class _Action:
    index: int
    target: Any  # a compiled JSONPath
    update: Any
    remove: bool


def _problem(overlay: LoadedSpec, pointer: str, message: str, hint: str = "") -> Diagnostic:
    return overlay.diagnostic(pointer, RULE, message, hint)


def _actions(overlay: LoadedSpec) -> tuple[list[_Action], list[Diagnostic]]:
    """The actions of a loaded overlay document, or the problems that keep it from applying."""
    import jsonpath  # imported only when an overlay exists

    data = overlay.data
    if not isinstance(data, dict):
        return [], [
            _problem(overlay, "", "an overlay is a mapping", "Start it with overlay: 1.0.0")
        ]
    problems = []
    version = data.get("overlay")
    if not isinstance(version, str) or not version.startswith("1."):
        problems.append(
            _problem(overlay, "/overlay", "the overlay version must be 1.x", "Write overlay: 1.0.0")
        )
    info = data.get("info")
    if not isinstance(info, dict) or not all(
        isinstance(info.get(k), str) for k in ("title", "version")
    ):
        problems.append(
            _problem(
                overlay,
                "/info",
                "info needs a title and a version",
                "info: {title: …, version: '1'}",
            )
        )
    raw_actions = data.get("actions")
    if not isinstance(raw_actions, list) or not raw_actions:
        problems.append(
            _problem(overlay, "/actions", "actions must be a list of at least one action")
        )
        return [], problems
    actions = []
    for i, raw in enumerate(raw_actions):
        at = f"/actions/{i}"
        if not isinstance(raw, dict):
            problems.append(_problem(overlay, at, "an action is a mapping with a target"))
            continue
        target = raw.get("target")
        if not isinstance(target, str):
            problems.append(
                _problem(overlay, at + "/target", "an action needs a target: a JSONPath string")
            )
            continue
        try:
            compiled = jsonpath.compile(target)
        except jsonpath.JSONPathError as error:
            first = str(error).splitlines()[0]
            problems.append(
                _problem(overlay, at + "/target", f"the target is not a JSONPath: {first}")
            )
            continue
        remove = raw.get("remove", False)
        if not isinstance(remove, bool):
            problems.append(_problem(overlay, at + "/remove", "remove must be true or false"))
            continue
        if "update" not in raw and not remove:
            problems.append(
                _problem(
                    overlay,
                    at,
                    "the action neither updates nor removes",
                    "Add update: or remove: true",
                )
            )
            continue
        actions.append(_Action(i, compiled, raw.get("update"), remove))
    return actions, problems


def merge(target: Any, update: Any) -> Any:
    """`update` merged into `target` as Overlay 1.0 says: objects recursively, arrays appended,
    anything else replaced. `target` is changed in place where it is a container; the result is
    what the node becomes."""
    if isinstance(target, dict) and isinstance(update, dict):
        for key, value in update.items():
            target[key] = merge(target[key], value) if key in target else copy.deepcopy(value)
        return target
    if isinstance(target, list):
        target.extend(
            copy.deepcopy(update) if isinstance(update, list) else [copy.deepcopy(update)]
        )
        return target
    return copy.deepcopy(update)


def _container(data: Any, parts: tuple[Any, ...]) -> Any:
    node = data
    for part in parts:
        node = node[part]
    return node


def _apply(spec: LoadedSpec, overlay: LoadedSpec, actions: list[_Action]) -> list[Diagnostic]:
    problems = []
    for action in actions:
        matches = [m.parts for m in action.target.finditer(spec.data)]
        if not matches:
            problems.append(
                Diagnostic(
                    overlay.display_name,
                    *_where(overlay, f"/actions/{action.index}/target"),
                    f"/actions/{action.index}/target",
                    RULE,
                    f"the target selects nothing in {spec.display_name}",
                    "The document may have changed: update or remove this action",
                    Severity.WARNING,
                )
            )
            continue
        # Deepest and last first, so removing one node never shifts the path of another.
        for parts in sorted(matches, key=lambda p: (len(p), p), reverse=True):
            if not parts:
                spec.data = None if action.remove else merge(spec.data, action.update)
                continue
            parent, key = _container(spec.data, tuple(parts[:-1])), parts[-1]
            if action.remove:
                del parent[key]
            else:
                parent[key] = merge(parent[key], action.update)
    return problems


def _where(overlay: LoadedSpec, pointer: str) -> tuple[int, int]:
    position = overlay.position(pointer)
    return position.line, position.column


def apply_overlay(spec: LoadedSpec) -> list[Diagnostic]:
    """Apply the overlay beside `spec`'s file, if there is one, to `spec.data`; the overlay's
    problems (errors leave the data as loaded). The spec's hash then covers the overlay too, so
    the verdict cache and `check` see an overlay edit."""
    path = overlay_for(spec.path)
    if path is None:
        return []
    overlay, problems = load_spec(path)
    if problems:
        return problems
    actions, problems = _actions(overlay)
    if problems:
        return problems
    applied = _apply(spec, overlay, actions)
    spec.sha256 = combined_sha256(spec.sha256, overlay.sha256)
    spec.overlay = overlay.display_name
    return applied


def combined_sha256(spec_sha256: str, overlay_sha256: str) -> str:
    """As paths.input_sha256 combines them."""
    import hashlib

    return hashlib.sha256(f"{spec_sha256}+{overlay_sha256}".encode()).hexdigest()


def pointer_to_jsonpath(pointer: str) -> str:
    """A JSON pointer as the RFC 9535 JSONPath selecting the same node."""
    return "$" + "".join(f"['{_jsonpath_string(token)}']" for token in jp.split(pointer))


def _jsonpath_string(text: str) -> str:
    """`text` inside a single-quoted RFC 9535 string literal."""
    out = []
    for char in text:
        if char in "\\'":
            out.append("\\" + char)
        elif ord(char) < 0x20:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def overlay_path(spec_path: Path) -> Path:
    """Where the overlay of `spec_path` is written: `<stem>.overlay.yaml` beside it."""
    return spec_path.with_name(f"{spec_path.stem}.overlay.yaml")
