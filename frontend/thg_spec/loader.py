"""Load stage: YAML text to plain JSON-like data plus a source map (JSON pointer -> line, column).

PyYAML's composer gives every node its position; we build the Python values ourselves so that
anything a reviewer would not expect (object tags, repeated keys) becomes a diagnostic instead of
silently meaning something else. That is the reference; plain documents first take a fast path
(fast_yaml) with the same meaning, and their source map is only built when a diagnostic needs it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import pointer as jp
from .diagnostics import Diagnostic
from .fast_yaml import MAX_NESTING, load_plain_mapping

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
# Unquoted dates would become date objects, which JSON (and so OpenAPI) has not got: keep the text.
_TEXT_TAGS = {"tag:yaml.org,2002:timestamp"}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


@dataclass(frozen=True)
class Position:
    line: int
    column: int


class LoadedSpec:
    """One spec file: its data, where each value sits in the file, and how to name the file."""

    def __init__(
        self,
        path: Path,
        display_name: str,
        data: Any,
        positions: dict[str, Position] | None = None,
        text: str = "",
    ) -> None:
        self.path = path
        self.display_name = display_name
        self.data = data
        self.text = text
        self._positions = positions

    def __repr__(self) -> str:
        return f"LoadedSpec(path={self.path!r}, display_name={self.display_name!r})"

    @property
    def positions(self) -> dict[str, Position]:
        """JSON pointer -> position; after a fast load, worked out from the text on first use."""
        if self._positions is None:
            self._positions = _positions_of(self)
        return self._positions

    @positions.setter
    def positions(self, value: dict[str, Position]) -> None:
        self._positions = value

    def position(self, pointer: str) -> Position:
        """The position of the value at `pointer`, or of its closest present ancestor."""
        current = pointer
        while True:
            found = self.positions.get(current)
            if found is not None:
                return found
            if not current:
                return Position(1, 1)
            current = current.rsplit("/", 1)[0]

    def diagnostic(self, pointer: str, rule: str, message: str, hint: str = "") -> Diagnostic:
        pos = self.position(pointer)
        return Diagnostic(self.display_name, pos.line, pos.column, pointer, rule, message, hint)


class _Builder:
    def __init__(self, spec: LoadedSpec, loader: yaml.SafeLoader) -> None:
        self.spec = spec
        self.loader = loader
        self.problems: list[Diagnostic] = []
        self.too_deep = False  # reported once: one deep structure is one problem

    def build(self, node: yaml.Node, pointer: str) -> Any:
        self.spec.positions.setdefault(
            pointer, Position(node.start_mark.line + 1, node.start_mark.column + 1)
        )
        if isinstance(node, yaml.CollectionNode) and pointer.count("/") > MAX_NESTING:
            if not self.too_deep:
                self.too_deep = True
                self.problems.append(
                    self.spec.diagnostic(
                        pointer,
                        "THG000",
                        f"mappings and lists nest more than {MAX_NESTING} levels deep here",
                        "Flatten the structure, or move nested schemas into components",
                    )
                )
            return None
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
            return self._mapping(node, pointer)
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
            return [self.build(item, jp.child(pointer, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and node.tag in _PLAIN_TAGS:
            try:
                return self.loader.construct_object(node, deep=True)
            except ValueError:  # an integer of more digits than Python converts
                limit = sys.get_int_max_str_digits()
                self.problems.append(
                    self.spec.diagnostic(
                        pointer,
                        "THG000",
                        f"an integer of more than {limit} digits cannot be read",
                        "Write it as a string",
                    )
                )
                return None
        if isinstance(node, yaml.ScalarNode) and node.tag in _TEXT_TAGS:
            return str(node.value)
        self.problems.append(
            self.spec.diagnostic(
                pointer,
                "THG000",
                f"YAML tag {node.tag!r} is not allowed",
                "Specs are plain data: remove the tag and write the value as a string, "
                "number, mapping or list",
            )
        )
        return None

    def _mapping(self, node: yaml.MappingNode, pointer: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                here = Position(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                self.problems.append(
                    Diagnostic(
                        self.spec.display_name,
                        here.line,
                        here.column,
                        pointer,
                        "THG000",
                        "a mapping key must be a plain scalar",
                        "Write the key as a string",
                    )
                )
                continue
            # Response codes are often written unquoted (200:); OpenAPI keys are strings.
            key = str(key_node.value)
            child = jp.child(pointer, key)
            if key in result:
                line = key_node.start_mark.line + 1
                col = key_node.start_mark.column + 1
                first = self.spec.positions.get(child)
                where = f" (first at line {first.line})" if first else ""
                self.problems.append(
                    Diagnostic(
                        self.spec.display_name,
                        line,
                        col,
                        child,
                        "THG000",
                        f"key {key!r} appears twice in one mapping{where}",
                        "Keep one of them: YAML would silently use the last",
                    )
                )
                continue
            self.spec.positions[child] = Position(
                key_node.start_mark.line + 1, key_node.start_mark.column + 1
            )
            result[key] = self.build(value_node, child)
        return result


def display_name(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_spec(path: Path) -> tuple[LoadedSpec, list[Diagnostic]]:
    """Read one YAML spec. Never raises for bad content: problems come back as diagnostics."""
    name = display_name(path)
    spec = LoadedSpec(path=path, display_name=name, data=None)
    try:
        spec.text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return spec, [Diagnostic(name, 1, 1, "", "THG000", f"cannot read the file: {reason}", "")]
    data = load_plain_mapping(spec.text)
    if data is not None:
        spec.data = data
        return spec, []
    return load_reference(spec)


def load_reference(spec: LoadedSpec) -> tuple[LoadedSpec, list[Diagnostic]]:
    """Load `spec.text` the slow, reference way (PyYAML), filling data and positions at once."""
    spec.positions = {}
    try:
        return _compose(spec, _FAST_LOADER)
    except yaml.YAMLError:
        # The pure-Python parser words and places YAML errors as the diagnostics always have.
        spec.positions = {}
        return _compose(spec, yaml.SafeLoader)


def _positions_of(spec: LoadedSpec) -> dict[str, Position]:
    """The source map of a fast-loaded spec: the slow path's, from the same text."""
    scratch = LoadedSpec(spec.path, spec.display_name, None, {}, spec.text)
    try:
        _compose(scratch, _FAST_LOADER)
    except yaml.YAMLError:  # the fast path vouched for this text, so PyYAML reads it too
        return {}
    return scratch.positions


# LibYAML's parser builds the same node tree (with the same marks) about five times faster.
_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(
    spec: LoadedSpec, loader_class: type[yaml.SafeLoader]
) -> tuple[LoadedSpec, list[Diagnostic]]:
    name = spec.display_name
    loader = loader_class(spec.text)
    try:
        node = loader.get_single_node()
        if node is None:
            return spec, [
                spec.diagnostic("", "THG000", "the file is empty", "Write an OpenAPI 3.1 document")
            ]
        builder = _Builder(spec, loader)
        spec.data = builder.build(node, "")
        return spec, builder.problems
    except yaml.MarkedYAMLError as exc:
        if loader_class is not yaml.SafeLoader:
            raise
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        return spec, [
            Diagnostic(
                name, line, col, "", "THG000", f"invalid YAML: {what}", "Fix the YAML syntax here"
            )
        ]
    except yaml.YAMLError as exc:
        if loader_class is not yaml.SafeLoader:
            raise
        return spec, [Diagnostic(name, 1, 1, "", "THG000", f"invalid YAML: {exc}", "")]
    finally:
        loader.dispose()
