"""The URL tree of a path in any of the platform's generations, as Kiota reads one: a prefix, then
alternating entity segments and id parameters.

The prefixes seen in the platform's own documents and in ours (`platform-docs/recovered/`,
CONVENTIONS §2):

    /api/<product>/v<n>/{owner}/…      our specs, and the newest published pages
    /api/<product>/v<n>/…              the same with no owner (an events-like product)
    /{owner}/v<n>/…                    the published THG Fulfil reference pages
    /{owner}/…                         old event payloads' resourceUrl (no version)
    /v<n>/…                            the old Ingenuity API
    (none)                             the events API: /subscription/{subscription_id}/confirm

After the prefix, `entity/{id}/child/{childId}/…`, optionally ending in `/_values` (the possible
states of the status just before it). Parameter names are whatever the document says
(`inventory_item`, `subscription_id`, `inventoryItemId`). Nothing here reads operations: whether a
trailing segment is a child entity, a status or an action is decided by the caller (inference.py)
from the tree and the operations' shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VALUES_SEGMENT = "_values"
VERSION = re.compile(r"v[0-9]+")
PARAM = re.compile(r"\{([^{}/]+)\}")
# An entity segment as paths spell them: kebab (ours), snake or camel (FastAPI routes).
SEGMENT = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*")


@dataclass(frozen=True)
class ParsedPath:
    """One path split into its prefix and its URL tree; `problem` says why it is not a tree."""

    path: str
    prefix: str = ""  # the prefix as written: "/api/thg-fulfil/v1/{owner}", "/{owner}/v1", ""
    product: str = ""  # the product an /api/<product>/ prefix names, else ""
    version: str = ""  # "v1", or "" when the prefix has none
    owner_param: str = ""  # the owner parameter's name in the prefix, "" when there is none
    segments: tuple[str, ...] = ()  # the literal segments after the prefix, in order
    params: tuple[str, ...] = ()  # the parameter names after the prefix, in order
    values: bool = False  # the path ends in /_values (not counted in segments)
    problem: str = ""

    @property
    def ends_with_param(self) -> bool:
        return bool(self.segments) and len(self.segments) == len(self.params)


def _param(part: str) -> str | None:
    match = PARAM.fullmatch(part)
    return match.group(1) if match else None


def _prefix_length(parts: list[str]) -> int:
    """How many of `parts` (the path's parts after its leading "") belong to the prefix."""
    if (
        len(parts) >= 4
        and parts[0] == "api"
        and VERSION.fullmatch(parts[2])
        and _param(parts[3]) is not None
    ):
        return 4
    if len(parts) >= 3 and parts[0] == "api" and VERSION.fullmatch(parts[2]):
        return 3
    if len(parts) >= 2 and _param(parts[0]) is not None and VERSION.fullmatch(parts[1]):
        return 2
    if len(parts) >= 2 and _param(parts[0]) is not None:
        return 1  # /{owner}/<entity> with no version
    if len(parts) >= 3 and VERSION.fullmatch(parts[0]) and _param(parts[1]) is not None:
        return 2  # /v1/{owner}/<entity>
    if len(parts) >= 2 and VERSION.fullmatch(parts[0]):
        return 1
    return 0


def parse_path(path: str) -> ParsedPath:
    """Split `path` into its prefix and tree; never raises."""
    if not path.startswith("/"):
        return ParsedPath(path, problem="does not start with /")
    parts = path.split("/")[1:]
    size = _prefix_length(parts)
    head, body = parts[:size], parts[size:]
    prefix = "/" + "/".join(head) if head else ""
    product = head[1] if size >= 3 else ""
    version = next((p for p in head if VERSION.fullmatch(p)), "")
    owner = next((name for name in map(_param, head) if name is not None), "")
    base = ParsedPath(path, prefix, product, version, owner)
    values = bool(body) and body[-1] == VALUES_SEGMENT
    if values:
        body = body[:-1]
    if not body or body == [""]:
        return _problem(base, "names no entity after its prefix")
    segments: list[str] = []
    params: list[str] = []
    for i, part in enumerate(body):
        name = _param(part)
        if i % 2 == 0:
            if name is not None:
                return _problem(base, f"{part!r} stands where an entity segment belongs")
            if not SEGMENT.fullmatch(part):
                return _problem(base, f"{part!r} is not an entity segment")
            segments.append(part)
        else:
            if name is None:
                return _problem(
                    base, f"{part!r} follows {body[i - 1]!r} where an id parameter belongs"
                )
            params.append(name)
    parsed = ParsedPath(
        path, prefix, product, version, owner, tuple(segments), tuple(params), values
    )
    if values and parsed.ends_with_param:
        return _problem(base, "/_values follows an id; it belongs after a status segment")
    return parsed


def _problem(base: ParsedPath, problem: str) -> ParsedPath:
    return ParsedPath(
        base.path, base.prefix, base.product, base.version, base.owner_param, problem=problem
    )


def render_path(
    prefix: str, segments: tuple[str, ...], params: tuple[str, ...], values: bool
) -> str:
    """The path a parse came from: the inverse of `parse_path` on well-formed paths."""
    parts: list[str] = []
    for i, segment in enumerate(segments):
        parts.append(segment)
        if i < len(params):
            parts.append("{" + params[i] + "}")
    if values:
        parts.append(VALUES_SEGMENT)
    return prefix + "/" + "/".join(parts)
