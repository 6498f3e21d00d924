"""Model stage, second layer: JSON Schemas as Python type definitions.

``SchemaTyper`` turns the schemas a product's client needs into ``TypeDef``s (models, open enums,
status unions, aliases) whose annotations and field arguments are already Python source text, so
the templates only print. It is the only place that maps JSON Schema to Python:

* object with properties -> ``ApiModel`` subclass; snake_case fields, the wire name as alias;
* string enum -> ``OpenEnum`` (unknown values tolerated in responses); other enums -> ``Literal``;
* ``const`` -> ``Literal`` with that default, always sent;
* ``oneOf`` discriminated on ``state`` (a status) -> tagged union with an ``UnknownState`` fallback;
* ``type: [X, "null"]`` -> ``Optional[X]``; a property not required -> default ``None`` when it
  is nullable, else ``Union[X, NotGiven]`` with default ``NOT_GIVEN`` (unset is not null);
* constraints -> pydantic ``Field`` arguments (``gt`` for ``exclusiveMinimum`` …);
* ``format: date-time`` -> ``UtcDateTime``, ``format: date`` -> ``date``, ``format:
  thg-reference`` (or the published documents' ``format: reference``) -> ``Reference``;
* a schema marked ``x-thg-runtime-model: <Name>`` (CONVENTIONS §11) -> the runtime's own type of
  that name (``Event``): referenced, never generated.

Every name goes through ``naming``; every string from the spec reaches source text through
``literal`` (``repr`` of a ``str`` is a valid, exact Python literal).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from thg_spec import pointer as jp
from thg_spec.conventions import REFERENCE_FORMATS
from thg_spec.validation.refs import MAX_REF_CHAIN, lookup, resolve

from .. import naming

_COMPONENT = "/components/schemas/"
RUNTIME_MODEL_EXTENSION = "x-thg-runtime-model"
RUNTIME_MODELS = frozenset({"Event"})
"""Runtime types a schema may stand for; any other value of the extension is ignored."""


def runtime_model(schema: Any) -> str:
    """The runtime type a schema is marked as standing for ('' when none)."""
    if not isinstance(schema, dict):
        return ""
    name = schema.get(RUNTIME_MODEL_EXTENSION)
    return name if isinstance(name, str) and name in RUNTIME_MODELS else ""


def literal(value: Any) -> str:
    """Python source for a JSON value (str, int, float, bool, None, lists and dicts of them)."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"non-finite number {value!r}")
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    raise ValueError(f"unsupported literal {value!r}")


@dataclass(frozen=True)
class FieldDef:
    name: str
    wire: str
    annotation: str
    arguments: tuple[str, ...]  # pydantic Field(...) arguments as source, default first
    description: str
    required: bool
    base: str = ""  # the annotation without the Optional/NotGiven of an optional field

    @property
    def not_given(self) -> bool:
        """An optional field that is not nullable: its default is ``NOT_GIVEN``, never None."""
        return self.annotation.startswith("Union[") and self.annotation.endswith(", NotGiven]")


@dataclass(frozen=True)
class TypeDef:
    """One named definition of a generated models module."""

    kind: str  # model | enum | union | alias
    name: str
    description: str
    pointer: str
    depends: tuple[str, ...] = ()
    fields: tuple[FieldDef, ...] = ()
    constants: tuple[str, ...] = ()  # model: field names of const members
    not_nullable: tuple[str, ...] = ()  # model: names (wire and Python) of NOT_GIVEN fields
    members: tuple[tuple[str, str], ...] = ()  # enum: (member name, value literal)
    annotation: str = ""  # union and alias: the type expression
    runtime: tuple[str, ...] = ()  # runtime types (x-thg-runtime-model) its annotations name


@dataclass
class _Building:
    name: str
    depends: list[str] = field(default_factory=list)
    runtime: list[str] = field(default_factory=list)


# Names of ``ApiModel``/``BaseModel`` members a field must not shadow.
_MODEL_MEMBERS = frozenset(
    {
        "model_config",
        "model_fields",
        "model_computed_fields",
        "model_extra",
        "model_fields_set",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "copy",
        "dict",
        "json",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "from_orm",
        "construct",
        "schema",
        "schema_json",
        "validate",
        "update_forward_refs",
        "fields",
        "register",
    }
)
# Names the annotations of a model print; a field of that name would shadow the type for pydantic,
# which resolves annotations in the class namespace (``str: Optional[str]`` fails to build).
_TYPE_NAMES = frozenset({"str", "int", "float", "bool", "date"})
_ENUM_MEMBERS = frozenset({"name", "value", "is_known", "mro"})
# Definitions built inside one another (a model with a field of a model with a field ...) at most
# this deep; deeper ones wait their turn, so a long chain of refs cannot exhaust the stack. Specs
# nest far less, so their definitions are built, and named, in the same order as ever.
_MAX_NESTED_DEFINITIONS = 16


class SchemaTyper:
    """Type definitions of one product document; names are unique across the product."""

    def __init__(self, document: Any, reserved: set[str]) -> None:
        self.document = document
        self.defs: dict[str, TypeDef] = {}
        self._by_pointer: dict[str, str] = {}
        self.names = naming.Namespace(reserved, avoid_builtins=True)
        self._nested = 0  # definitions being built inside one another
        self._waiting: deque[tuple[str, Any, str]] = deque()  # named, to build at the outermost

    # -- entry points ---------------------------------------------------------------------------

    def named(self, pointer: str, hint: str) -> str:
        """The name of the definition for the schema at ``pointer`` (built once)."""
        pointer = self._follow(pointer)
        if pointer in self._by_pointer:
            return self._by_pointer[pointer]
        if pointer.startswith(_COMPONENT) and "/" not in pointer[len(_COMPONENT) :]:
            hint = jp.unescape(pointer[len(_COMPONENT) :])
        schema = lookup(self.document, "#" + pointer)
        name = self.names.claim(naming.pascal(hint))
        self._by_pointer[pointer] = name
        if self._nested >= _MAX_NESTED_DEFINITIONS:
            self._waiting.append((name, schema, pointer))  # built when the outermost is done
            return name
        self._build(name, schema, pointer)
        if self._nested == 0:
            while self._waiting:
                self._build(*self._waiting.popleft())
        return name

    def annotation(self, pointer: str, hint: str) -> tuple[str, list[str]]:
        """A type expression for the schema at ``pointer`` and the definitions it uses."""
        building = _Building(hint)
        text = self._type(lookup(self.document, "#" + pointer), pointer, building, hint)
        return text, building.depends

    # -- definitions ----------------------------------------------------------------------------

    def _build(self, name: str, schema: Any, pointer: str) -> None:
        self._nested += 1
        try:
            self.defs[name] = self._define(name, schema, pointer)
        finally:
            self._nested -= 1

    def _follow(self, pointer: str) -> str:
        seen = 0
        schema = lookup(self.document, "#" + pointer)
        while (
            isinstance(schema, dict)
            and isinstance(schema.get("$ref"), str)
            and seen < MAX_REF_CHAIN
        ):
            if len(schema) > 1 and any(k not in ("$ref", "description") for k in schema):
                break  # siblings beside $ref (3.1) make it a schema of its own
            pointer = schema["$ref"][1:]
            schema = lookup(self.document, schema["$ref"])
            seen += 1
        return pointer

    def _define(self, name: str, schema: Any, pointer: str) -> TypeDef:
        schema = schema if isinstance(schema, dict) else {}
        description = str(schema.get("description", "") or schema.get("title", ""))
        building = _Building(name)
        if self._is_state_union(schema):
            return self._state_union(name, schema, pointer, description)
        enum = schema.get("enum")
        if isinstance(enum, list) and enum and all(isinstance(v, str) for v in enum):
            return self._enum(name, enum, pointer, description)
        if self._is_model(schema):
            return self._model(name, schema, pointer, description)
        annotation = self._type(schema, pointer, building, name, define=False)
        constraints = self._constraints(schema)
        if constraints and not annotation.startswith("Optional["):
            annotation = f"Annotated[{annotation}, Field({', '.join(constraints)})]"
        return TypeDef(
            "alias",
            name,
            description,
            pointer,
            tuple(building.depends),
            annotation=annotation,
            runtime=tuple(building.runtime),
        )

    @staticmethod
    def _is_model(schema: dict[str, Any]) -> bool:
        return isinstance(schema.get("properties"), dict) or "allOf" in schema

    def _is_state_union(self, schema: dict[str, Any]) -> bool:
        discriminator = schema.get("discriminator")
        return (
            isinstance(schema.get("oneOf"), list)
            and isinstance(discriminator, dict)
            and discriminator.get("propertyName") == "state"
            and isinstance(discriminator.get("mapping"), dict)
        )

    def open_enum(self, name: str, values: list[str], pointer: str, description: str) -> TypeDef:
        """A string enum of ``values`` named ``name`` (claimed by the caller): an ``OpenEnum``."""
        return self._enum(name, values, pointer, description)

    def _enum(self, name: str, values: list[str], pointer: str, description: str) -> TypeDef:
        members = naming.Namespace(_ENUM_MEMBERS)
        pairs = []
        for value in dict.fromkeys(values):
            member = naming.upper_snake(value)
            pairs.append((members.claim(member), literal(value)))
        return TypeDef("enum", name, description, pointer, members=tuple(pairs))

    def _state_union(
        self, name: str, schema: dict[str, Any], pointer: str, description: str
    ) -> TypeDef:
        mapping: dict[str, Any] = schema["discriminator"]["mapping"]
        variants, depends = [], []
        for state, ref in mapping.items():
            state_name = self.named(str(ref)[1:], f"{name}{naming.pascal(state)}")
            depends.append(state_name)
            variants.append(f"Annotated[{state_name}, Tag({literal(state)})]")
        variants.append("Annotated[UnknownState, Tag(UNKNOWN_STATE_TAG)]")
        known = ", ".join(literal(state) for state in mapping)
        annotation = (
            f"Annotated[Union[{', '.join(variants)}], "
            f"Discriminator(state_union_discriminator(frozenset(({known},))))]"
        )
        return TypeDef("union", name, description, pointer, tuple(depends), annotation=annotation)

    def _properties(
        self, schema: dict[str, Any], pointer: str
    ) -> tuple[list[tuple[str, Any, str]], set[str]]:
        """(wire name, schema, pointer) of every property, allOf members merged in order."""
        found: dict[str, tuple[str, Any, str]] = {}
        required: set[str] = set()
        parts: list[tuple[Any, str]] = [(schema, pointer)]
        for index, part in enumerate(schema.get("allOf") or []):
            part_pointer = jp.child(pointer, "allOf", index)
            if isinstance(part, dict) and isinstance(part.get("$ref"), str):
                part_pointer = self._follow(part_pointer)
            parts.append((resolve(self.document, part), part_pointer))
        for part, at in parts:
            if not isinstance(part, dict):
                continue
            props = part.get("properties")
            if isinstance(props, dict):
                for wire, sub in props.items():
                    found.setdefault(wire, (wire, sub, jp.child(at, "properties", wire)))
            required.update(r for r in part.get("required") or [] if isinstance(r, str))
        return list(found.values()), required

    def _model(self, name: str, schema: dict[str, Any], pointer: str, description: str) -> TypeDef:
        building = _Building(name)
        fields: list[FieldDef] = []
        constants: list[str] = []
        not_nullable: list[str] = []
        properties, required = self._properties(schema, pointer)
        python_names = self._field_names([wire for wire, _, _ in properties])
        for wire, sub, at in properties:
            python = python_names[wire]
            resolved = resolve(self.document, sub)
            resolved = resolved if isinstance(resolved, dict) else {}
            own = sub if isinstance(sub, dict) and "$ref" not in sub else {}
            annotation = self._type(sub, at, building, f"{name}{naming.pascal(wire)}")
            base = annotation
            is_required = wire in required
            arguments: list[str] = []
            if "const" in resolved:
                arguments.append(f"default={literal(resolved['const'])}")
                constants.append(python)
            elif not is_required:
                if annotation.startswith("Optional[") or annotation in ("Any", "None"):
                    arguments.append("default=None")  # nullable: None is sent as null
                    base = annotation.removeprefix("Optional[").removesuffix("]")
                else:  # not nullable: "not given" is a sentinel, never None
                    constraints = self._constraints(own)
                    if constraints:  # on the value, not on the sentinel
                        annotation = f"Annotated[{annotation}, Field({', '.join(constraints)})]"
                    annotation = f"Union[{annotation}, NotGiven]"
                    arguments.append("default=NOT_GIVEN")
                    not_nullable.extend(dict.fromkeys((wire, python)))
                    own = {}
            if python != wire:
                arguments.append(f"validation_alias={literal(wire)}")
                arguments.append(f"serialization_alias={literal(wire)}")
            arguments.extend(self._constraints(own))
            fields.append(
                FieldDef(
                    python,
                    wire,
                    annotation,
                    tuple(arguments),
                    str(resolved.get("description", "") or (sub or {}).get("description", "")),
                    is_required,
                    base,
                )
            )
        return TypeDef(
            "model",
            name,
            description,
            pointer,
            tuple(building.depends),
            fields=tuple(fields),
            constants=tuple(constants),
            not_nullable=tuple(not_nullable),
            runtime=tuple(building.runtime),
        )

    @staticmethod
    def _field_names(wires: list[str]) -> dict[str, str]:
        """The attribute of each wire name. Never another field's wire name: with
        ``populate_by_name`` the payload key ``mass_g`` would also fill a ``massG`` field named
        ``mass_g``. A wire name that is already a plain attribute keeps it, whatever the order."""
        plain = {w for w in wires if naming.is_identifier(w)}
        names = naming.Namespace(_MODEL_MEMBERS | _TYPE_NAMES | plain)
        kept = {
            w: w for w in plain if naming.snake(w) == w and w not in _MODEL_MEMBERS | _TYPE_NAMES
        }
        return {w: kept[w] if w in kept else names.claim(naming.snake(w)) for w in wires}

    @staticmethod
    def _constraints(schema: dict[str, Any]) -> list[str]:
        kinds = schema.get("type")
        types = set(kinds) if isinstance(kinds, list) else {kinds}
        arguments = []
        numeric = {
            "minimum": "ge",
            "maximum": "le",
            "exclusiveMinimum": "gt",
            "exclusiveMaximum": "lt",
            "multipleOf": "multiple_of",
        }
        if types & {"number", "integer"}:
            for key, argument in numeric.items():
                value = schema.get(key)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    arguments.append(f"{argument}={literal(value)}")
        # A reference (format thg-reference) is a ``Reference``, which checks its own syntax;
        # string length and pattern constraints do not apply to it.
        reference = schema.get("format") in REFERENCE_FORMATS
        if "string" in types and "const" not in schema and "enum" not in schema and not reference:
            for key, argument in (("minLength", "min_length"), ("maxLength", "max_length")):
                if isinstance(schema.get(key), int):
                    arguments.append(f"{argument}={schema[key]}")
            if isinstance(schema.get("pattern"), str):
                arguments.append(f"pattern={literal(schema['pattern'])}")
        if "array" in types:
            for key, argument in (("minItems", "min_length"), ("maxItems", "max_length")):
                if isinstance(schema.get(key), int):
                    arguments.append(f"{argument}={schema[key]}")
        return arguments

    # -- type expressions -----------------------------------------------------------------------

    def _ref(self, pointer: str, building: _Building, hint: str) -> str:
        runtime = runtime_model(lookup(self.document, "#" + self._follow(pointer)))
        if runtime:
            if runtime not in building.runtime:
                building.runtime.append(runtime)
            return runtime
        name = self.named(pointer, hint)
        if name not in building.depends:
            building.depends.append(name)
        return name

    def _type(
        self, schema: Any, pointer: str, building: _Building, hint: str, *, define: bool = True
    ) -> str:
        if not isinstance(schema, dict):
            return "Any"
        if isinstance(schema.get("$ref"), str):
            return self._ref(pointer, building, hint)
        if define and (
            self._is_model(schema)
            or self._is_state_union(schema)
            or (
                isinstance(schema.get("enum"), list)
                and schema["enum"]
                and all(isinstance(v, str) for v in schema["enum"])
            )
        ):
            return self._ref(pointer, building, hint)
        if "const" in schema:
            return f"Literal[{literal(schema['const'])}]"
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            values = [v for v in schema["enum"] if v is not None]
            text = f"Literal[{', '.join(literal(v) for v in values)}]" if values else "None"
            return f"Optional[{text}]" if None in schema["enum"] and values else text
        for combinator in ("oneOf", "anyOf"):
            options = schema.get(combinator)
            if isinstance(options, list) and options:
                texts = []
                for index, option in enumerate(options):
                    texts.append(
                        self._inner(option, jp.child(pointer, combinator, index), building, hint)
                    )
                unique = list(dict.fromkeys(texts))
                return unique[0] if len(unique) == 1 else f"Union[{', '.join(unique)}]"
        kinds = schema.get("type")
        types = kinds if isinstance(kinds, list) else [kinds] if isinstance(kinds, str) else []
        nullable = "null" in types
        texts = [self._scalar(t, schema, pointer, building, hint) for t in types if t != "null"]
        texts = list(dict.fromkeys(texts)) or (["Any"] if not nullable else [])
        if not texts:
            return "None"
        text = texts[0] if len(texts) == 1 else f"Union[{', '.join(texts)}]"
        if nullable and text != "Any":
            return f"Optional[{text}]"
        return text

    def _inner(self, schema: Any, pointer: str, building: _Building, hint: str) -> str:
        """A nested type with its own constraints kept (``List[Annotated[str, Field(...)]]``)."""
        text = self._type(schema, pointer, building, hint)
        resolved = schema if isinstance(schema, dict) else {}
        if "$ref" in resolved:
            return text
        constraints = self._constraints(resolved)
        if constraints and not text.startswith("Optional["):
            return f"Annotated[{text}, Field({', '.join(constraints)})]"
        return text

    def _scalar(
        self, kind: str, schema: dict[str, Any], pointer: str, building: _Building, hint: str
    ) -> str:
        fmt = schema.get("format")
        if kind == "string":
            if fmt == "date-time":
                return "UtcDateTime"
            if fmt == "date":
                return "date"
            if fmt in REFERENCE_FORMATS:
                return "Reference"
            return "str"
        if kind == "integer":
            return "int"
        if kind == "number":
            return "float"
        if kind == "boolean":
            return "bool"
        if kind == "array":
            items = schema.get("items")
            if items is None:
                return "List[Any]"
            inner = self._inner(items, jp.child(pointer, "items"), building, f"{hint}Item")
            return f"List[{inner}]"
        if kind == "object":
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict):
                value = self._inner(
                    extra, jp.child(pointer, "additionalProperties"), building, f"{hint}Value"
                )
                return f"Dict[str, {value}]"
            return "Dict[str, Any]"
        return "Any"
