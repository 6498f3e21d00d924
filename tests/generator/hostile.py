"""Hostile variants of the mini spec, and what the client generated from one must do.

``hostile_mutations()`` draws names and text that break naive generators (keywords, builtins,
model members, names equal after sanitising, leading digits, unicode, quotes, backslashes, triple
quotes, control characters, Jinja delimiters); ``apply()`` writes them into a copy of
``specs/valid/mini.yaml`` where the THG conventions let them go (schema property and component
names, enum values, titles, descriptions, examples, defaults, action query parameter names).
``expectations()`` says what the generated client must then mean, and ``CHILD`` is the script
that checks it in a fresh interpreter under an audit hook.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

VALID = Path(__file__).parent / "specs" / "valid" / "mini.yaml"
ITEM_PATH = "/api/mini/v1/{owner}/widget/{widgetId}"
ACTION_PATH = "/api/mini/v1/{owner}/widget/{widgetId}/archive"

PROPERTY_NAMES = [
    "class", "def", "None", "True", "self", "type", "id", "list", "property", "str", "int", "date",
    "bool", "float", "model_config", "model_dump", "model_fields", "copy", "json", "schema",
    "dict", "validate", "massG", "mass_g", "mass-g", "mass_g_", "3d", "3D", "größe", "名前",
    "emoji🙂", "!!!", "???", "_", "__init__", "__class__", "a b", 'quo"te', "back\\slash",
    "{{ x }}", "{% if %}", "match", "case", "name",
]  # fmt: skip
# OpenAPI restricts component names to [a-zA-Z0-9._-]+; anything else is refused (THG003).
COMPONENT_NAMES = [
    "class", "None", "True", "FrozenSet", "Optional", "List", "ApiModel", "Field", "OpenEnum",
    "UnknownState", "str", "3DModel", "3d", "...", "_", "-", "a.b", "Widget", "WidgetEndpoint",
    "WidgetFilter", "Widgets", "Mini", "AsyncMini", "WIDGET", "Model", "Model_",
]  # fmt: skip
QUERY_NAMES = ["self", "class", "timeout", "attributes", "extra_query", 'a"b', "page[size]", "名前"]
TEXT_PIECES = [
    '"', "'", '"""', "'''", "\\", "\\n", "\n", "\r\n", "\t", "\x00", "\x07", "\x1b[31m", "\x7f",
    "\u2028", "\u2029", "\x85", "\ufeff", "{{ 7*7 }}", "{{", "}}", "{% raw %}", "{%", "%}",
    "{#", "#}", '"); __import__("os").system("echo pwned") #', "<script>", "|", "&amp;", "名前",
    "🙂", " ", "`", "$", "\ud800",
]  # fmt: skip
# Lone surrogates cannot be property names or enum values (pydantic-core cannot build the
# validator) and the spec validator does not refuse them yet, so only prose draws them (where
# they print as U+FFFD).
_NOT_IN_VALUES = {"\ud800"}

texts = st.lists(
    st.one_of(st.sampled_from(TEXT_PIECES), st.text(max_size=4)), min_size=1, max_size=8
).map("".join)
# THG060 refuses an operation without a summary or description (blank counts as none).
prose_texts = texts.filter(lambda t: bool(t.strip()))
value_texts = texts.map(lambda t: "".join(c for c in t if c not in _NOT_IN_VALUES)).filter(bool)


@dataclass(frozen=True)
class Property:
    wire: str
    kind: str  # string | enum | ref
    description: str
    title: str
    example: str
    values: tuple[str, ...] = ()  # enum
    component: str = ""  # ref


@dataclass(frozen=True)
class Mutation:
    properties: tuple[Property, ...]
    components: tuple[tuple[str, str], ...]  # (name, description)
    query_names: tuple[str, ...]
    title: str
    description: str
    summary: str
    operation_description: str
    widget_description: str


@st.composite
def hostile_mutations(draw: st.DrawFn) -> Mutation:
    components = draw(
        st.lists(
            st.tuples(st.sampled_from(COMPONENT_NAMES), texts),
            max_size=4,
            unique_by=lambda c: c[0],
        )
    )
    component_names = [name for name, _ in components if name != "Widget"]
    wires = draw(
        st.lists(
            st.one_of(st.sampled_from(PROPERTY_NAMES), value_texts),
            min_size=1,
            max_size=8,
            unique=True,
        ).filter(lambda ws: "name" not in ws and "related" not in ws)
    )
    properties = []
    for wire in wires:
        kinds = ["string", "enum"] + (["ref"] if component_names else [])
        kind = draw(st.sampled_from(kinds))
        values = tuple(draw(st.lists(value_texts, min_size=1, max_size=5, unique=True)))
        properties.append(
            Property(
                wire,
                kind,
                description=draw(texts),
                title=draw(texts),
                example=draw(value_texts) if kind == "string" else "",
                values=values if kind == "enum" else (),
                component=draw(st.sampled_from(component_names)) if kind == "ref" else "",
            )
        )
    return Mutation(
        properties=tuple(properties),
        components=tuple((n, d) for n, d in components if n != "Widget"),
        query_names=tuple(draw(st.lists(st.sampled_from(QUERY_NAMES), max_size=4, unique=True))),
        title=draw(texts),
        description=draw(texts),
        summary=draw(prose_texts),
        operation_description=draw(prose_texts),
        widget_description=draw(texts),
    )


def mini() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(VALID.read_text(encoding="utf-8"))
    return spec


def _ref(name: str) -> str:
    return "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")


def apply(mutation: Mutation) -> dict[str, Any]:
    """The mini spec with ``mutation`` written into it (a new dict)."""
    spec = copy.deepcopy(mini())
    spec["info"]["title"] = mutation.title
    spec["info"]["description"] = mutation.description
    get = spec["paths"][ITEM_PATH]["get"]
    get["summary"], get["description"] = mutation.summary, mutation.operation_description
    schemas = spec["components"]["schemas"]
    for name, description in mutation.components:
        schemas[name] = {
            "type": "object",
            "description": description,
            "properties": {"value": {"type": "string"}},
        }
    widget = schemas["Widget"]
    widget["description"] = mutation.widget_description
    for p in mutation.properties:
        if p.kind == "ref":
            schema: dict[str, Any] = {"$ref": _ref(p.component)}
        else:
            schema = {"type": "string", "description": p.description, "title": p.title}
            if p.kind == "enum":
                schema["enum"] = list(p.values)
                schema["default"] = schema["example"] = p.values[-1]
            else:
                schema["example"] = schema["default"] = p.example
        widget["properties"][p.wire] = schema
    if mutation.query_names:
        spec["paths"][ACTION_PATH]["post"]["parameters"] = [
            {"name": name, "in": "query", "schema": {"type": "string"}, "description": name}
            for name in mutation.query_names
        ]
    return spec


def dump(spec: dict[str, Any], path: Path) -> None:
    """Write ``spec`` as YAML that loads back to exactly ``spec``: unicode as is, unless PyYAML
    would write a character it then reads differently (it writes U+0085 raw and reads a line
    break), then escaped."""
    for allow_unicode in (True, False):
        text = yaml.safe_dump(spec, allow_unicode=allow_unicode, sort_keys=False, width=10**6)
        if yaml.safe_load(text) == spec:
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
            return
    raise AssertionError("no YAML dump means the spec")


def prose(*parts: str) -> str:
    """The text a docstring must hold for spec prose: paragraphs joined, stripped, lines
    right-stripped, lone surrogates as U+FFFD (UTF-8 cannot hold them)."""
    text = "\n\n".join(p.strip() for p in parts if p and p.strip())
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


def payload_value(p: Property, index: int) -> Any:
    if p.kind == "enum":
        return p.values[index % len(p.values)]
    if p.kind == "ref":
        return {"value": f"v{index}\"'\\"}
    return f"{p.example}#{index}"


def expectations(mutation: Mutation) -> dict[str, Any]:
    """What the child checks: the wire payloads, enum values and docstrings."""
    payload = {"name": "gear"}
    for index, p in enumerate(mutation.properties):
        payload[p.wire] = payload_value(p, index)
    return {
        "entity_type": "mini:widget",
        "payload": payload,
        "enums": {p.wire: list(p.values) for p in mutation.properties if p.kind == "enum"},
        "product_doc": prose(mutation.title) or "(No description in the spec.)",
        "model_doc": prose(mutation.widget_description) or "Widget",
        "get_doc": prose(mutation.summary, mutation.operation_description)
        or "(No description in the spec.)",
        "query_names": list(mutation.query_names),
    }


# The checker run in a fresh interpreter: argv[1] is the expectations JSON, argv[2] the list of
# product modules. The audit hook goes in before anything of the client is imported.
CHILD = r'''
import ast, json, os, sys

ALLOWED_CALLS = {"Field", "Tag", "Discriminator", "state_union_discriminator", "frozenset"}
# (file name ends with, function) of the library code allowed to compile and run source strings
LIBRARY_COMPILERS = {
    ("typing.py", "__init__"), ("typing.py", "_evaluate"), ("dataclasses.py", "_create_fn"),
    ("collections/__init__.py", "namedtuple"),
    ("typing_inspection/typing_objects.py", "_compile_identity_check_function"),
    ("typing_inspection/typing_objects.py", "_compile_isinstance_check_function"),
}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
FORBIDDEN = ("subprocess.Popen", "os.system", "os.exec", "os.spawn", "os.posix_spawn", "os.fork",
             "os.forkpty", "os.kill", "os.remove", "os.rename", "os.rmdir", "os.mkdir",
             "os.truncate", "shutil.", "socket.", "ctypes.",
             "builtins.input", "pty.spawn", "webbrowser.open")
_checking = [False]


def fail(reason):
    sys.stderr.write("AUDIT: " + reason + "\n")
    sys.stderr.flush()
    os._exit(3)


def library_caller():
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith("<"):
        frame = frame.f_back
    if frame is None:
        return None
    name = frame.f_code.co_filename.replace(os.sep, "/")
    for suffix, function in LIBRARY_COMPILERS:
        if name.endswith("/" + suffix) and frame.f_code.co_name == function:
            return suffix
    return None


def type_expression(source):
    """A ForwardRef of the generated code: names, subscripts, attributes, constants and calls of
    the few constructors annotations use; nothing else (no dunder, no lambda, no other call)."""
    _checking[0] = True
    try:
        tree = ast.parse(source, mode="eval")
    finally:
        _checking[0] = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id in ALLOWED_CALLS):
                return False
        elif isinstance(node, ast.Name):
            if node.id.startswith("__"):
                return False
        elif isinstance(node, ast.Attribute):
            if node.attr.startswith("_"):
                return False
        elif not isinstance(node, (ast.Expression, ast.Subscript, ast.Tuple, ast.List,
                                   ast.Constant, ast.BinOp, ast.BitOr, ast.keyword, ast.Load,
                                   ast.UnaryOp, ast.USub)):
            return False
    return True


def hook(event, args):
    if _checking[0]:
        return
    if event == "compile":
        source, filename = args[0], args[1]
        if isinstance(filename, str) and filename.endswith(".py") and os.path.isfile(filename):
            return  # the import system compiling a module from disk
        caller = library_caller()
        if caller is None:
            fail(f"compile of {filename!r} outside the allowed library code: {source!r:.200}")
        if caller == "typing.py":
            text = source.decode() if isinstance(source, bytes) else source
            if not isinstance(text, str) or not type_expression(text):
                fail(f"typing evaluates something that is not a type expression: {source!r:.300}")
    elif event == "exec":
        code = args[0]
        filename = getattr(code, "co_filename", "")
        if filename.endswith(".py") and os.path.isfile(filename):
            return
        if library_caller() is None:
            fail(f"exec of {filename!r} code outside the allowed library code")
    elif event == "open":
        mode, flags = args[1], args[2]
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & WRITE_FLAGS
        ):
            fail(f"open for writing: {args!r}")
    elif event.startswith(FORBIDDEN):
        fail(f"{event} {args!r:.200}")


sys.dont_write_bytecode = True
sys.addaudithook(hook)

import importlib
import typing

expected = json.loads(open(sys.argv[1], encoding="utf-8").read())
modules = json.loads(open(sys.argv[2], encoding="utf-8").read())
for name in modules:
    importlib.import_module(name)

from thg_connect_core import OpenEnum, SyncResource
from thg_connect._registry import attributes_type

Model = attributes_type(expected["entity_type"])
problems = []


def check(condition, what):
    if not condition:
        problems.append(what)


def undo_indent(value, indent):
    lines = value.split("\n")
    if len(lines) == 1:
        return value
    pad = " " * indent
    check(lines[-1] == pad, f"closing quotes of {value!r}")
    return "\n".join([lines[0]] + [l[len(pad):] for l in lines[1:-1]])


payload = expected["payload"]
for data in [payload] + [{"name": "gear", k: v} for k, v in payload.items() if k != "name"]:
    for model in (Model.model_validate(data), Model.model_validate_json(json.dumps(data))):
        back = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
        check(back == data, f"round trip {data!r} -> {back!r}")
        check(json.loads(model.model_dump_json(by_alias=True, exclude_unset=True)) == data,
              f"JSON round trip of {data!r}")

fields = {name if info.serialization_alias is None else info.serialization_alias: name
          for name, info in Model.model_fields.items()}
check(set(payload) <= set(fields), f"wire names {sorted(payload)} vs {sorted(fields)}")


def enum_in(annotation):
    if isinstance(annotation, type) and issubclass(annotation, OpenEnum):
        return annotation
    for arg in typing.get_args(annotation):
        found = enum_in(arg)
        if found is not None:
            return found
    return None


for wire, values in expected["enums"].items():
    enum = enum_in(Model.model_fields[fields[wire]].annotation)
    check(enum is not None, f"{wire!r} is an OpenEnum")
    if enum is not None:
        check([m.value for m in enum] == values, f"{wire!r} values {[m.value for m in enum]!r}")
        for value in values:
            check(enum(value).value == value and enum(value).is_known, f"{value!r} known")

product = importlib.import_module("thg_connect.mini")
product_doc = expected["product_doc"] + ("\n" if "\n" in expected["product_doc"] else "")
check(product.__doc__ == product_doc,
      f"product docstring {product.__doc__!r}")
check(undo_indent(Model.__doc__, 4) == expected["model_doc"], f"model docstring {Model.__doc__!r}")
widget = sys.modules[Model.__module__]
endpoints = [c for c in vars(widget).values()
             if isinstance(c, type) and issubclass(c, SyncResource) and hasattr(c, "archive")]
check(len(endpoints) == 1, f"one sync endpoint class: {endpoints}")
for endpoint in endpoints:
    check(undo_indent(endpoint.get.__doc__, 8) == expected["get_doc"],
          f"get docstring {endpoint.get.__doc__!r}")
    code = endpoint.archive.__code__
    names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    check(len(names) == len(set(names)), f"archive parameters {names}")
    # self, timeout, extra_headers, extra_query, max_retries, then one per query parameter.
    check(len(names) == 5 + len(expected["query_names"]), f"archive parameters {names}")

if problems:
    sys.stderr.write("\n".join(problems) + "\n")
    sys.exit(1)
print("ok")
'''


def kitchen_sink() -> Mutation:
    """Every hostile name and piece of text at once: the example every run starts with."""
    text = "".join(TEXT_PIECES)
    value = "".join(c for c in text if c not in _NOT_IN_VALUES)
    components = tuple((name, f"{name}: {text}") for name in COMPONENT_NAMES if name != "Widget")
    properties = [
        Property(name, "string", description=f"{name} {text}", title=text, example=value)
        for name in PROPERTY_NAMES
        if name not in ("name", "related")
    ]
    values = tuple(
        dict.fromkeys(p for p in TEXT_PIECES + PROPERTY_NAMES if p not in _NOT_IN_VALUES)
    )
    properties.append(Property("kind", "enum", text, text, "", values=values))
    properties.extend(
        Property(f"ref {name}", "ref", "", "", "", component=name) for name, _ in components
    )
    return Mutation(tuple(properties), components, tuple(QUERY_NAMES), text, text, text, text, text)
