"""Which names a generated module imports: exactly those its printed code names.

The model knows every piece of code a module prints (annotations, ``Field(...)`` arguments, the
resource methods of each kind), so it collects the names they use and prints one import block in
isort's order (stdlib, third-party, the runtime; members constants first, then classes, then
functions). Nothing is imported "just in case", so a reader (and ``ruff check``) sees no unused
import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Every name a generated models/resources module may import: name -> (module, imported name).
_SOURCES: dict[str, tuple[str, str]] = {
    **{n: ("datetime", n) for n in ("date",)},
    **{
        n: ("typing", n)
        for n in (
            "TYPE_CHECKING",
            "Annotated",
            "Any",
            "ClassVar",
            "Dict",
            "FrozenSet",
            "List",
            "Literal",
            "Optional",
            "Union",
        )
    },
    **{n: ("pydantic", n) for n in ("Discriminator", "Field", "Tag")},
    **{
        n: ("thg_connect_core", n)
        for n in (
            "NOT_GIVEN",
            "UNKNOWN_STATE_TAG",
            "ApiModel",
            "NotGiven",
            "OpenEnum",
            "Reference",
            "UnknownState",
            "UtcDateTime",
            "state_union_discriminator",
            "AsyncPaginator",
            "AsyncResource",
            "BoolField",
            "DateField",
            "DateTimeField",
            "EntityType",
            "EnumField",
            "FilterArg",
            "Headers",
            "IntField",
            "NumberField",
            "Paginator",
            "Query",
            "Resource",
            "StringField",
            "SyncResource",
            "path_id",
            "require_id",
        )
    },
    # private aliases: a spec may name a model Document
    "_Document": ("thg_connect_core", "Document"),
    "_ListDocument": ("thg_connect_core", "ListDocument"),
}
MODULE_IMPORTS = frozenset(_SOURCES) | {"annotations"}
_SECTIONS = (("datetime", "typing"), ("pydantic",), ("thg_connect_core",))

_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def names_in(*sources: str) -> set[str]:
    """The identifiers a piece of code names (outside its string literals)."""
    found: set[str] = set()
    for source in sources:
        found.update(_NAME.findall(_STRING.sub("", source)))
    return found


def member_key(name: str) -> tuple[int, str, str]:
    """isort's order of the members of one ``from`` import: CONSTANTS, Classes, functions."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return (kind, name.lower(), name)


def sorted_members(names: Iterable[str]) -> list[str]:
    return sorted(set(names), key=member_key)


def import_block(used: Iterable[str], runtime: Iterable[str] = ()) -> str:
    """The absolute imports of a module naming ``used`` (other names are ignored) and the runtime
    models ``runtime`` (x-thg-runtime-model: the model, and its documents as private aliases)."""
    sources = dict(_SOURCES)
    for r in runtime:
        sources[r] = ("thg_connect_core", r)
        sources[f"_{r}Document"] = ("thg_connect_core", f"{r}Document")
        sources[f"_{r}ListDocument"] = ("thg_connect_core", f"{r}ListDocument")
    plain: dict[str, set[str]] = {}
    aliased: dict[str, set[tuple[str, str]]] = {}
    for name in set(used):
        if name not in sources:
            continue
        module, imported = sources[name]
        if imported == name:
            plain.setdefault(module, set()).add(name)
        else:
            aliased.setdefault(module, set()).add((imported, name))
    sections = []
    for modules in _SECTIONS:
        lines = []
        for module in modules:
            if module in plain:
                lines.append(f"from {module} import {', '.join(sorted_members(plain[module]))}")
            for imported, alias in sorted(aliased.get(module, ()), key=lambda p: member_key(p[0])):
                lines.append(f"from {module} import {imported} as {alias}")
        if lines:
            sections.append("\n".join(lines))
    return "\n\n".join(sections)
