"""The runtime's public API as data, and the classified difference between two such snapshots.

`describe(module)` turns every name of `module.__all__` into JSON: its kind, and for callables
and for the public methods of classes the signature as text plus its parameters, so a
difference can be classified: a removed name, member or parameter, a parameter made required
and any other signature change are breaking; new names, members and optional parameters are
additions. `tests/runtime/test_api_baseline.py` compares the live runtime to the committed
`api_baseline.json`; after an intended change, refresh it with

    .venv/bin/python -m tests.runtime.api_baseline --update
"""

from __future__ import annotations

import enum
import inspect
import json
import re
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, List, Optional, Tuple

BASELINE = Path(__file__).with_name("api_baseline.json")
REFRESH = ".venv/bin/python -m tests.runtime.api_baseline --update"
PACKAGE = "thg_connect_core"

# Dunder methods that are part of how users call a class (operators, protocols), as opposed to
# object plumbing (__repr__, __hash__, __init_subclass__, pydantic's and dataclasses' hooks).
PROTOCOL_METHODS = frozenset(
    {
        "__call__",
        "__iter__",
        "__next__",
        "__aiter__",
        "__anext__",
        "__enter__",
        "__exit__",
        "__aenter__",
        "__aexit__",
        "__getitem__",
        "__len__",
        "__contains__",
        "__bool__",
        "__eq__",
        "__ne__",
        "__lt__",
        "__le__",
        "__gt__",
        "__ge__",
        "__and__",
        "__or__",
        "__invert__",
    }
)
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")  # `<function sleep at 0x7f…>`: differs every run

Entry = Dict[str, Any]


def _text(value: object) -> str:
    return _ADDRESS.sub("", value if isinstance(value, str) else repr(value))


def _annotation(annotation: object) -> str:
    if annotation is inspect.Parameter.empty:
        return ""
    return _text(
        annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
    )


def _source_annotations(obj: Any) -> Dict[str, str]:
    """A pydantic model's fields as written (by wire alias): its signature holds the evaluated
    types, whose text depends on the pydantic version (validators, FieldInfo reprs)."""
    fields = getattr(obj, "model_fields", None) if inspect.isclass(obj) else None
    if not isinstance(fields, dict):
        return {}
    written: Dict[str, str] = {}
    for klass in reversed(obj.__mro__):
        written.update(
            {k: v for k, v in vars(klass).get("__annotations__", {}).items() if isinstance(v, str)}
        )
    return {(info.alias or name): written[name] for name, info in fields.items() if name in written}


def _signature(obj: Any) -> Optional[Entry]:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):  # some builtins and exception classes have none
        return None
    as_written = _source_annotations(obj)
    if as_written:
        signature = signature.replace(
            parameters=[
                p.replace(annotation=as_written.get(p.name, p.annotation))
                for p in signature.parameters.values()
            ]
        )
    parameters: List[Entry] = []
    for parameter in signature.parameters.values():
        described: Entry = {
            "name": parameter.name,
            "kind": parameter.kind.name,
            "annotation": _annotation(parameter.annotation),
        }
        if parameter.default is not inspect.Parameter.empty:
            described["default"] = _text(parameter.default)
        parameters.append(described)
    return {
        "text": _text(str(signature)),
        "parameters": parameters,
        "returns": _annotation(signature.return_annotation),
    }


def _alias_text(obj: object) -> str:
    """A type alias as text; `Annotated` metadata by type name only, since its reprs (pydantic's
    validators, FieldInfo) are the library's, not ours."""
    origin = typing.get_origin(obj)
    args = typing.get_args(obj)
    if origin is typing.Annotated:
        metadata = ", ".join(type(m).__name__ for m in getattr(obj, "__metadata__", ()))
        return f"Annotated[{_alias_text(args[0])}, {metadata}]"
    if isinstance(obj, list):
        return "[" + ", ".join(_alias_text(a) for a in obj) + "]"
    if isinstance(obj, type) and obj.__module__.startswith(PACKAGE):
        return obj.__qualname__  # which private module defines it is not part of the API
    if origin is None or not args:
        return _text(inspect.formatannotation(obj) if isinstance(obj, type) else repr(obj))
    if origin is typing.Union:
        head = "Union"  # not `Optional[X, NoneType]`, as a 3-member Optional would print
    else:
        head = getattr(obj, "_name", None) or getattr(origin, "__name__", None) or repr(origin)
    return f"{head}[{', '.join(_alias_text(a) for a in args)}]"


def _is_type_alias(obj: object) -> bool:
    return typing.get_origin(obj) is not None or isinstance(obj, typing.TypeVar)


def _member(value: object) -> Entry:
    if isinstance(value, property):
        return {"kind": "property", "returns": _annotation(_fget_returns(value))}
    if isinstance(value, classmethod):
        return {"kind": "classmethod", "signature": _signature(value.__func__)}
    if isinstance(value, staticmethod):
        return {"kind": "staticmethod", "signature": _signature(value.__func__)}
    if inspect.isfunction(value):
        kind = "async method" if inspect.iscoroutinefunction(value) else "method"
        return {"kind": kind, "signature": _signature(value)}
    if isinstance(value, (str, int, float, bool, type(None))):
        return {"kind": "attribute", "value": _text(value)}
    return {"kind": "attribute", "type": type(value).__name__}


def _fget_returns(prop: property) -> object:
    if prop.fget is None:
        return inspect.Parameter.empty
    return inspect.signature(prop.fget).return_annotation


def _members(cls: type, package: str) -> Dict[str, Entry]:
    """Public members defined by `package`'s classes in the MRO; the most derived one wins."""
    found: Dict[str, Entry] = {}
    for klass in cls.__mro__:
        if not klass.__module__.startswith(package):
            continue
        for name, value in vars(klass).items():
            public = not name.startswith("_") or name in PROTOCOL_METHODS
            if public and name not in found:
                found[name] = _member(value)
    if issubclass(cls, enum.Enum):
        for name in cls.__members__:
            found[name] = {"kind": "enum member", "value": _text(cls.__members__[name].value)}
    return dict(sorted(found.items()))


def _class(cls: type, package: str) -> Entry:
    if issubclass(cls, BaseException):
        kind = "exception"
    elif issubclass(cls, enum.Enum):
        kind = "enum"
    else:
        kind = "class"
    entry: Entry = {
        "kind": kind,
        "bases": [k.__name__ for k in cls.__mro__[1:] if not k.__name__.startswith("_")],
        "members": _members(cls, package),
    }
    if kind != "enum":  # an enum's call signature is Python's functional API, not ours
        entry["signature"] = _signature(cls)
    return entry


def describe_object(obj: object, package: str = PACKAGE) -> Entry:
    if inspect.isclass(obj):
        return _class(obj, package)
    if _is_type_alias(obj):
        return {"kind": "type alias", "value": _alias_text(obj)}
    if callable(obj):
        kind = "async function" if inspect.iscoroutinefunction(obj) else "function"
        return {"kind": kind, "signature": _signature(obj)}
    if isinstance(obj, (str, int, float, bool, bytes, tuple, frozenset, type(None))):
        return {"kind": "constant", "value": _text(obj)}
    return {"kind": "object", "type": type(obj).__name__}


def describe(module: ModuleType, package: Optional[str] = None) -> Dict[str, Entry]:
    """Every name of `module.__all__`, sorted, as JSON-ready data."""
    own = package or module.__name__
    return {name: describe_object(getattr(module, name), own) for name in sorted(module.__all__)}


# --- comparison ---

Findings = Tuple[List[str], List[str]]  # (breaking, additions), each a list of sentences


def _compare_parameters(where: str, old: Entry, new: Entry, found: Findings) -> None:
    breaking, additions = found
    before = {p["name"]: p for p in old["parameters"]}
    after = {p["name"]: p for p in new["parameters"]}
    for name, parameter in before.items():
        if name not in after:
            breaking.append(f"{where}: parameter `{name}` removed")
            continue
        now = after[name]
        if "default" in parameter and "default" not in now:
            breaking.append(f"{where}: parameter `{name}` made required")
        elif "default" not in parameter and "default" in now:
            additions.append(f"{where}: parameter `{name}` made optional")
        for aspect in ("kind", "annotation", "default"):
            was, is_ = parameter.get(aspect), now.get(aspect)
            if was is not None and is_ is not None and was != is_:
                breaking.append(f"{where}: parameter `{name}` {aspect} {was} → {is_}")
    for name, parameter in after.items():
        if name in before:
            continue
        variadic = parameter["kind"] in ("VAR_POSITIONAL", "VAR_KEYWORD")
        if "default" in parameter or variadic:
            additions.append(f"{where}: new optional parameter `{name}`")
        else:
            breaking.append(f"{where}: new required parameter `{name}`")
    positional = ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")
    order_before = [p["name"] for p in old["parameters"] if p["kind"] in positional]
    order_after = [p["name"] for p in new["parameters"] if p["kind"] in positional]
    common_after = [n for n in order_after if n in order_before]
    if [n for n in order_before if n in common_after] != common_after:
        breaking.append(f"{where}: positional parameters reordered {order_before} → {order_after}")
    if old["returns"] != new["returns"]:
        breaking.append(f"{where}: return type {old['returns']} → {new['returns']}")


def _compare_signatures(
    where: str, old: Optional[Entry], new: Optional[Entry], found: Findings
) -> None:
    if old is None or new is None:
        if old != new:
            found[0].append(f"{where}: signature changed {_sig_text(old)} → {_sig_text(new)}")
        return
    before = len(found[0]) + len(found[1])
    _compare_parameters(where, old, new, found)
    if old["text"] != new["text"] and len(found[0]) + len(found[1]) == before:
        found[0].append(f"{where}: signature changed {old['text']} → {new['text']}")


def _sig_text(signature: Optional[Entry]) -> str:
    return "(none)" if signature is None else str(signature["text"])


def _compare_entries(where: str, old: Entry, new: Entry, found: Findings) -> None:
    breaking, additions = found
    if old["kind"] != new["kind"]:
        breaking.append(f"{where}: was a {old['kind']}, now a {new['kind']}")
        return
    for aspect in ("value", "type", "returns"):
        if old.get(aspect) != new.get(aspect):
            breaking.append(f"{where}: {aspect} {old.get(aspect)} → {new.get(aspect)}")
    if "signature" in old or "signature" in new:
        _compare_signatures(where, old.get("signature"), new.get("signature"), found)
    if "bases" in old:
        for base in old["bases"]:
            if base not in new["bases"]:
                breaking.append(f"{where}: no longer a subclass of {base}")
        for base in new["bases"]:
            if base not in old["bases"]:
                additions.append(f"{where}: now also a subclass of {base}")
    if "members" in old:
        _compare_names(f"{where}.", old["members"], new["members"], found)


def _compare_names(
    prefix: str, old: Dict[str, Entry], new: Dict[str, Entry], found: Findings
) -> None:
    for name, entry in old.items():
        if name not in new:
            found[0].append(f"{prefix}{name}: removed ({entry['kind']})")
        else:
            _compare_entries(f"{prefix}{name}", entry, new[name], found)
    for name, entry in new.items():
        if name not in old:
            found[1].append(f"{prefix}{name}: new {entry['kind']}")


def compare(old: Dict[str, Entry], new: Dict[str, Entry]) -> Findings:
    """(breaking, additions) from `old` to `new`, as sentences naming where and what."""
    found: Findings = ([], [])
    _compare_names("", old, new, found)
    return found


def explain(found: Findings, baseline: Path = BASELINE) -> str:
    breaking, additions = found
    lines = [f"The runtime's public API ({PACKAGE}.__all__) differs from {baseline.name}."]
    if breaking:
        lines += [f"Breaking ({len(breaking)}): old callers may fail"]
        lines += [f"  - {sentence}" for sentence in breaking]
    if additions:
        lines += [f"Additions ({len(additions)}): old callers keep working"]
        lines += [f"  - {sentence}" for sentence in additions]
    lines += [
        "If this is intended (a breaking change needs a major version of the runtime), "
        f"refresh the baseline: {REFRESH}"
    ]
    return "\n".join(lines)


def render(described: Dict[str, Entry]) -> str:
    return json.dumps(described, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: List[str]) -> int:
    import thg_connect_core

    live = describe(thg_connect_core)
    if argv == ["--update"]:
        BASELINE.write_text(render(live), encoding="utf-8")
        print(f"wrote {BASELINE} ({len(live)} names)")
        return 0
    if argv:
        print(f"usage: {REFRESH}", file=sys.stderr)
        return 2
    found = compare(json.loads(BASELINE.read_text(encoding="utf-8")), live)
    if found != ([], []):
        print(explain(found))
        return 1
    print(f"{BASELINE.name}: the runtime's {len(live)} public names match")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
