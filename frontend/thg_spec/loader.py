"""Load stage: YAML or JSON text to plain JSON-like data plus a source map (JSON pointer -> line,
column).

One composer builds the Python values from a stream of parse events, without recursion, so that
anything a reviewer would not expect becomes a located THG000 diagnostic instead of silently meaning
something else or exhausting the machine: object tags, repeated keys, nesting deeper than
MAX_NESTING, aliases expanding to more than MAX_ALIAS_NODES values. YAML events come from PyYAML's
parser (LibYAML's when installed, the pure-Python one to word a syntax error); JSON events from a
small tokenizer with JSON's own meaning (numbers, escapes), since YAML 1.1 reads `1e5` as text.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import itertools
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import yaml

from . import pointer as jp
from .diagnostics import Diagnostic
from .paths import JSON_SUFFIXES, display_name

# Deeper mappings and lists are refused: no spec needs them, and every later stage walks the data
# recursively.
MAX_NESTING = 100
# Values (scalars, mappings, lists) that aliases may produce in one document: a few shared blocks
# are fine, a "billion laughs" of nested aliases is not.
MAX_ALIAS_NODES = 100_000

# How a load problem of a file that cannot be read at all begins.
UNREADABLE = "cannot read the file"

_PLAIN_TAGS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_STR_TAG = "tag:yaml.org,2002:str"
# Unquoted dates would become date objects, which JSON (and so OpenAPI) has not got: keep the text.
_TEXT_TAGS = {_STR_TAG, "tag:yaml.org,2002:timestamp"}
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
        # None until asked for: most runs never place a diagnostic, and building the source map
        # while loading costs a third of the load (positions_of builds it from `text`).
        self._positions = positions
        self.sha256 = ""  # of the bytes `text` was read from (load_spec), "" if not from a file
        self.overlay = ""  # the display name of the overlay applied to `data` ("" for none)

    def __repr__(self) -> str:
        return f"LoadedSpec(path={self.path!r}, display_name={self.display_name!r})"

    @property
    def positions(self) -> dict[str, Position]:
        """Where each value sits in the file (JSON pointer -> position), built on first use."""
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


# -- the event stream both syntaxes produce ------------------------------------------------------
#
# (_SCALAR, line, column, value, text, problem): text is what a mapping key keeps (YAML keys stay
#     their spelling: `200:` is "200"); problem is None or (message, hint), the value then None.
# (_START, line, column, is_mapping, problem): a mapping or list begins; with a problem it is
#     skipped whole and becomes None.
# (_END,): the innermost open mapping or list ends.
# (_FATAL, line, column, message, hint): loading stops here with this diagnostic.
_SCALAR, _START, _END, _FATAL = range(4)
_Event = tuple[Any, ...]
_Problem = Union[tuple[str, str], None]


class _SyntaxProblem(Exception):
    """Text that is not JSON (YAML syntax errors are yaml.MarkedYAMLError)."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


class _Frame:
    __slots__ = ("value", "pointer", "key", "key_pointer")

    def __init__(self, value: Any, pointer: str) -> None:
        self.value = value
        self.pointer = pointer
        self.key: str | None = None  # a mapping's key waiting for its value
        self.key_pointer = ""  # and that value's pointer


def _compose(spec: LoadedSpec, events: Iterator[_Event]) -> list[Diagnostic]:
    """Build spec.data and spec.positions from `events`, iteratively; the problems found."""
    problems: list[Diagnostic] = []
    positions = spec.positions
    name = spec.display_name
    stack: list[_Frame] = []
    skipping = 0  # depth inside a mapping or list being skipped
    skip_next = False  # the next value (a repeated key's, a refused key's) is skipped
    root: Any = None
    for event in events:
        kind = event[0]
        if kind == _FATAL:
            problems.append(Diagnostic(name, event[1], event[2], "", "THG000", event[3], event[4]))
            spec.data = None
            return problems
        if skipping:
            if kind == _START:
                skipping += 1
            elif kind == _END:
                skipping -= 1
            continue
        if kind == _END:
            stack.pop()
            continue
        if skip_next:
            skip_next = False
            if kind == _START:
                skipping = 1
            continue
        frame = stack[-1] if stack else None
        if frame is not None and frame.key is None and isinstance(frame.value, dict):
            # A mapping key.
            if kind != _SCALAR:
                problems.append(
                    Diagnostic(
                        name,
                        event[1],
                        event[2],
                        frame.pointer,
                        "THG000",
                        "a mapping key must be a plain scalar",
                        "Write the key as a string",
                    )
                )
                skipping = 1
                skip_next = True  # and its value
                continue
            key = event[4]
            child = frame.pointer + "/" + jp.escape(key)
            if key in frame.value:
                first = positions.get(child)
                where = f" (first at line {first.line})" if first else ""
                problems.append(
                    Diagnostic(
                        name,
                        event[1],
                        event[2],
                        child,
                        "THG000",
                        f"key {key!r} appears twice in one mapping{where}",
                        "Keep one of them: YAML would silently use the last",
                    )
                )
                skip_next = True
                continue
            positions[child] = Position(event[1], event[2])
            frame.key = key
            frame.key_pointer = child
            continue
        # A value: the root, a list item or a mapping member's (located at its key).
        if frame is None:
            pointer = ""
            positions[pointer] = Position(event[1], event[2])
        elif frame.key is None:
            pointer = f"{frame.pointer}/{len(frame.value)}"
            positions[pointer] = Position(event[1], event[2])
        else:
            pointer = frame.key_pointer
        value: Any
        problem: _Problem
        if kind == _SCALAR:
            value, problem = event[3], event[5]
        else:
            problem = event[4]
            if problem is None and len(stack) > MAX_NESTING:
                problem = (
                    f"mappings and lists nest more than {MAX_NESTING} levels deep here",
                    "Flatten the structure, or move nested schemas into components",
                )
                here = positions[pointer]
                problems.append(
                    Diagnostic(name, here.line, here.column, pointer, "THG000", *problem)
                )
                spec.data = None
                return problems
            value = {} if event[3] else []
        if problem is not None:
            here = positions[pointer]
            problems.append(Diagnostic(name, here.line, here.column, pointer, "THG000", *problem))
            value = None
            if kind == _START:
                skipping = 1
        if frame is None:
            root = value
        elif frame.key is None:
            frame.value.append(value)
        else:
            frame.value[frame.key] = value
            frame.key = None
        if kind == _START and problem is None:
            stack.append(_Frame(value, pointer))
    spec.data = root
    return problems


# -- YAML ----------------------------------------------------------------------------------------

_ALIAS = yaml.AliasEvent
_SCALAR_EVENT = yaml.ScalarEvent
_STARTS = frozenset({yaml.MappingStartEvent, yaml.SequenceStartEvent})
_ENDS = frozenset({yaml.MappingEndEvent, yaml.SequenceEndEvent})

# LibYAML's parser gives the same events (with the same marks) several times faster.
_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _YamlEvents:
    """The composer's events of one YAML document, aliases expanded (and counted) by replaying
    the events recorded under their anchor."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader: Any = loader  # PyYAML's event API is untyped
        self.tape: list[Any] = []  # parser events recorded while an anchor is open
        self.anchors: dict[str, tuple[int, int]] = {}  # name -> its events' span of the tape
        self.open_anchors: list[tuple[str, int, int]] = []  # name, tape start, depth
        self.depth = 0
        self.alias_nodes = 0
        self.plain: dict[str, tuple[Any, _Problem]] = {}  # plain scalar text -> its value
        self.expanding: Any = None  # the alias in the document being expanded

    def __iter__(self) -> Iterator[_Event]:
        loader = self.loader
        get_event = loader.get_event
        get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            return
        get_event()  # DocumentStart
        replays: list[Iterator[Any]] = []  # the events of the aliases being expanded
        started = False
        tape = self.tape
        convert = self._event
        while True:
            if replays:
                event = next(replays[-1], None)
                if event is None:
                    replays.pop()
                    continue
                kind = type(event)
                if kind is not _ALIAS and kind not in _ENDS:
                    self.alias_nodes += 1
                    if self.alias_nodes > MAX_ALIAS_NODES:
                        yield self._too_many(self.expanding)
                        return
            else:
                if started and self.depth == 0:
                    break  # the root is done (replays are whole values: depth is the parser's)
                started = True
                event = get_event()
                kind = type(event)
                if self.open_anchors:
                    tape.append(event)
            if kind is _ALIAS:
                span = self.anchors.get(str(event.anchor))
                if span is None:
                    yield self._alias_problem(event)
                    return
                if not replays:
                    self.expanding = event
                start, end = span
                replays.append(iter(tape[start:end]))
                continue
            yield convert(event, not replays)
        end = get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            extra = get_event()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                end.start_mark,
                "but found another document",
                extra.start_mark,
            )

    @staticmethod
    def _too_many(alias: Any) -> _Event:
        return (
            _FATAL,
            alias.start_mark.line + 1,
            alias.start_mark.column + 1,
            f"aliases here expand to more than {MAX_ALIAS_NODES} values",
            "Write the shared parts once, under components, and use $ref",
        )

    def _alias_problem(self, event: Any) -> _Event:
        opened = any(name == event.anchor for name, _, _ in self.open_anchors)
        message = (
            f"alias *{event.anchor} is inside the value it names"
            if opened
            else f"invalid YAML: found undefined alias {event.anchor!r}"
        )
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        return (_FATAL, line, column, message, "Write the value out, or define the anchor first")

    def _event(self, event: Any, from_parser: bool) -> _Event:
        mark = event.start_mark
        line, column = mark.line + 1, mark.column + 1
        kind = type(event)
        if kind is _SCALAR_EVENT:
            if from_parser and event.anchor is not None:
                at = len(self.tape) - 1
                if not self.open_anchors:  # not recorded yet: it opens the tape
                    self.tape.append(event)
                    at = len(self.tape) - 1
                self.anchors[event.anchor] = (at, at + 1)
            value, problem = self._scalar(event)
            return (_SCALAR, line, column, value, str(event.value), problem)
        if kind in _STARTS:
            self.depth += 1
            if from_parser and event.anchor is not None:
                if not self.open_anchors:
                    self.tape.append(event)
                self.open_anchors.append((event.anchor, len(self.tape) - 1, self.depth))
            mapping = kind is yaml.MappingStartEvent
            tag = event.tag
            if tag is None or tag == "!":
                tag = _MAP_TAG if mapping else _SEQ_TAG
            problem = None if tag in (_MAP_TAG, _SEQ_TAG) else _tag_problem(tag)
            return (_START, line, column, mapping, problem)
        # The end of a mapping or list.
        if from_parser and self.open_anchors and self.open_anchors[-1][2] == self.depth:
            anchor, start, _ = self.open_anchors.pop()
            self.anchors[anchor] = (start, len(self.tape))
        self.depth -= 1
        return (_END,)

    def _scalar(self, event: Any) -> tuple[Any, _Problem]:
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:  # quoted, or a block scalar: text
                return event.value, None
            known = self.plain.get(event.value)
            if known is not None:
                return known
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            self.plain[event.value] = known = _tagged(self.loader, tag, event.value)
            return known
        return _tagged(self.loader, tag, event.value)


def _tagged(loader: Any, tag: str, text: str) -> tuple[Any, _Problem]:
    """The value of a scalar with its (resolved) tag, or the problem that makes it unreadable."""
    if tag in _TEXT_TAGS:
        return text, None
    if tag not in _PLAIN_TAGS:
        return None, _tag_problem(tag)
    try:
        constructor = loader.yaml_constructors[tag]
        value = constructor(loader, yaml.ScalarNode(tag, text))
    except (ValueError, IndexError, TypeError):  # `!!int ''`, `!!float x`, too many digits
        limit = _int_digit_limit()
        if tag.endswith(":int") and 0 < limit < len(text) and text.lstrip("+-").isdigit():
            return None, (
                f"an integer of more than {limit} digits cannot be read",
                "Write it as a string",
            )
        kind = tag.rsplit(":", 1)[-1]
        return None, (
            f"{text!r} cannot be read as the YAML tag !!{kind} says",
            "Remove the tag, or write a value of that type",
        )
    return value, None


def _int_digit_limit() -> int:
    """Python's limit on the digits of an int read from text, 0 for none: the limit came with
    3.11 and the security releases 3.9.14 and 3.10.7, and earlier ones read any length."""
    limit = getattr(sys, "get_int_max_str_digits", None)
    return int(limit()) if limit is not None else 0


def _tag_problem(tag: str) -> tuple[str, str]:
    return (
        f"YAML tag {tag!r} is not allowed",
        "Specs are plain data: remove the tag and write the value as a string, number, mapping "
        "or list",
    )


def _load_yaml(spec: LoadedSpec) -> list[Diagnostic]:
    try:
        return _compose_yaml(spec, _FAST_LOADER)
    except yaml.YAMLError:
        # The pure-Python parser words and places YAML errors as the diagnostics always have.
        spec.positions = {}
    name = spec.display_name
    try:
        return _compose_yaml(spec, yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem and exc.context.startswith("expected a single"):
            what = f"{exc.context}, {exc.problem}"
        spec.data = None
        return [
            Diagnostic(
                name, line, col, "", "THG000", f"invalid YAML: {what}", "Fix the YAML syntax here"
            )
        ]
    except yaml.YAMLError as exc:
        spec.data = None
        return [Diagnostic(name, 1, 1, "", "THG000", f"invalid YAML: {exc}", "")]


class _NotPlain(Exception):
    """The document needs the full composer: anchors, aliases, tags, a repeated or non-scalar
    key, deep nesting, an unreadable value, a syntax error or more than one document."""


_NO_KEY: Any = object()
_MAPPING_START = yaml.MappingStartEvent
_SEQUENCE_START = yaml.SequenceStartEvent
_PLAIN_COLLECTION_TAGS = frozenset({None, "!", _MAP_TAG, _SEQ_TAG})


def _plain_yaml(text: str) -> Any:
    """The data of a plain YAML document (what specs are), in one loop over the parser's events
    with no source map; _NotPlain for anything the full composer must place or refuse. Both give
    the same data where this one answers (tests/generator/test_loader.py checks it)."""
    loader: Any = _FAST_LOADER(text)  # PyYAML's event API is untyped
    try:
        get_event = loader.get_event
        get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            raise _NotPlain  # an empty file
        get_event()  # DocumentStart
        resolve, scalar_node = loader.resolve, yaml.ScalarNode
        known: dict[str, Any] = {}  # plain scalar text -> its value
        containers: list[Any] = []
        keys: list[Any] = []  # per open container: a mapping's pending key, or _NO_KEY
        root: Any = None
        while True:
            event = get_event()
            kind = type(event)
            if kind is _SCALAR_EVENT:
                if event.anchor is not None:
                    raise _NotPlain
                tag, raw = event.tag, event.value
                if tag is None or tag == "!":
                    if not event.implicit[0]:  # quoted, or a block scalar: text
                        value = raw
                    else:
                        value = known.get(raw, _NO_KEY)
                        if value is _NO_KEY:
                            value, problem = _tagged(
                                loader, resolve(scalar_node, raw, event.implicit), raw
                            )
                            if problem is not None:
                                raise _NotPlain
                            known[raw] = value
                else:
                    value, problem = _tagged(loader, tag, raw)
                    if problem is not None:
                        raise _NotPlain
                if not containers:
                    root = value
                    break
                container = containers[-1]
                if type(container) is dict:
                    key = keys[-1]
                    if key is _NO_KEY:
                        key = str(raw)  # a key keeps its spelling: `200:` is "200"
                        if key in container:
                            raise _NotPlain
                        keys[-1] = key
                    else:
                        container[key] = value
                        keys[-1] = _NO_KEY
                else:
                    container.append(value)
                continue
            if kind is _MAPPING_START or kind is _SEQUENCE_START:
                if (
                    event.anchor is not None
                    or event.tag not in _PLAIN_COLLECTION_TAGS
                    or len(containers) > MAX_NESTING
                ):
                    raise _NotPlain
                value = {} if kind is _MAPPING_START else []
                if containers:
                    container = containers[-1]
                    if type(container) is dict:
                        key = keys[-1]
                        if key is _NO_KEY:
                            raise _NotPlain  # a mapping or list as a key
                        container[key] = value
                        keys[-1] = _NO_KEY
                    else:
                        container.append(value)
                else:
                    root = value
                containers.append(value)
                keys.append(_NO_KEY)
                continue
            if kind in _ENDS:
                containers.pop()
                keys.pop()
                if not containers:
                    break
                continue
            raise _NotPlain  # an alias
        get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            raise _NotPlain  # a second document: the full composer words it
        return root
    except yaml.YAMLError:
        raise _NotPlain from None
    finally:
        loader.dispose()


def _positions_of(spec: LoadedSpec) -> dict[str, Position]:
    """The source map of `spec.text`, built by the full composer on a twin of `spec`."""
    if not spec.text:
        return {}
    twin = LoadedSpec(spec.path, spec.display_name, None, {}, spec.text)
    _load_full(twin)
    return twin.positions


def _compose_yaml(spec: LoadedSpec, loader_class: type[yaml.SafeLoader]) -> list[Diagnostic]:
    loader = loader_class(spec.text)
    try:
        events = _YamlEvents(loader)
        problems = _compose(spec, iter(events))
        if not problems and not spec.positions:
            return [
                spec.diagnostic("", "THG000", "the file is empty", "Write an OpenAPI 3.1 document")
            ]
        return problems
    finally:
        loader.dispose()


# -- JSON ----------------------------------------------------------------------------------------

_JSON_TOKEN = re.compile(
    r"""[ \t\n\r]*(?:
        (?P<punct>[{}\[\]:,])
      | (?P<string>")
      | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)(?![0-9A-Za-z_.+-])
      | (?P<word>true|false|null)(?![0-9A-Za-z_])
      | (?P<end>\Z)
    )""",
    re.VERBOSE,
)
_WORDS = {"true": True, "false": False, "null": None}


def _json_events(text: str) -> Iterator[_Event]:
    """The composer's events of one JSON document, with JSON's meaning of every value."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(index: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, index)
        return line, index - line_starts[line - 1] + 1

    def fail(index: int, message: str) -> _SyntaxProblem:
        return _SyntaxProblem(*where(index), message)

    # What may come next: a value, a key (or '}' after '{'), ':' or ',' / a closing bracket.
    expect_value, expect_key, expect_colon, expect_more = range(4)
    state = expect_value
    closers: list[str] = []  # '}' or ']' of every open object or array
    just_opened = False
    at = 1 if text.startswith("\ufeff") else 0
    while True:
        match = _JSON_TOKEN.match(text, at)
        if match is None:
            start = len(text) - len(text[at:].lstrip(" \t\n\r"))
            raise fail(start, f"unexpected {text[start:start + 1]!r}")
        start = match.start(match.lastgroup or "end")
        at = match.end()
        group = match.lastgroup
        token = match.group(group) if group else ""
        if group == "end":
            if closers or state != expect_more:
                raise fail(start, "the document ends too early")
            return
        line, column = where(start)
        if state == expect_more:
            if not closers:
                raise fail(start, "more text after the document")
            if token == ",":
                state = expect_key if closers[-1] == "}" else expect_value
                just_opened = False
            elif token == closers[-1]:
                closers.pop()
                yield (_END,)
            else:
                raise fail(start, f"expected ',' or {closers[-1]!r}")
            continue
        if state == expect_colon:
            if token != ":":
                raise fail(start, "expected ':'")
            state = expect_value
            continue
        if just_opened and token == closers[-1]:
            closers.pop()
            just_opened = False
            state = expect_more
            yield (_END,)
            continue
        just_opened = False
        if state == expect_key:
            if group != "string":
                raise fail(start, "expected a string key in double quotes")
            key, at = _json_string(text, at, fail)
            state = expect_colon
            yield (_SCALAR, line, column, key, key, None)
            continue
        # A value.
        if group == "string":
            value, at = _json_string(text, at, fail)
            state = expect_more
            yield (_SCALAR, line, column, value, value, None)
        elif group == "number":
            number: Any
            try:
                number = float(token) if any(c in token for c in ".eE") else int(token)
                problem = None
            except ValueError:  # an integer of more digits than Python converts
                number = None
                limit = _int_digit_limit()
                problem = (
                    f"an integer of more than {limit} digits cannot be read",
                    "Write it as a string",
                )
            state = expect_more
            yield (_SCALAR, line, column, number, token, problem)
        elif group == "word":
            state = expect_more
            yield (_SCALAR, line, column, _WORDS[token], token, None)
        elif token in "{[":
            closers.append("}" if token == "{" else "]")
            just_opened = True
            state = expect_key if token == "{" else expect_value
            yield (_START, line, column, token == "{", None)
        else:
            raise fail(start, f"expected a value, found {token!r}")


def _json_string(text: str, at: int, fail: Any) -> tuple[str, int]:
    """The string whose opening quote ends at `at`, and the index after its closing quote."""
    try:
        value, end = json.decoder.scanstring(text, at, True)  # type: ignore[attr-defined]
    except json.JSONDecodeError as exc:
        raise fail(exc.pos, exc.msg) from None
    return str(value), int(end)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _NotPlain  # a repeated key: the full reader places both
    return mapping


def _not_json(word: str) -> Any:
    raise _NotPlain  # NaN, Infinity: Python's json reads them, JSON has none


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_DEPTH_STEP = {ord("{"): 1, ord("["): 1, ord("}"): -1, ord("]"): -1}
_BRACKETS_ONLY = {c: None for c in range(128) if c not in _DEPTH_STEP}


def _nesting(text: str) -> int:
    """How deep objects and arrays nest in valid JSON text: outside its strings, JSON is ASCII."""
    brackets = _STRINGS.sub("", text).translate(_BRACKETS_ONLY)
    return max(itertools.accumulate(map(_DEPTH_STEP.__getitem__, map(ord, brackets))), default=0)


def _plain_json(text: str) -> Any:
    """The data of a JSON document by Python's own reader; _NotPlain for anything the full reader
    must place or refuse (a syntax error, a repeated key, NaN, deep nesting, a huge integer)."""
    body = text[1:] if text.startswith("\ufeff") else text
    try:
        data = json.loads(body, object_pairs_hook=_unique_keys, parse_constant=_not_json)
    except (ValueError, RecursionError):
        raise _NotPlain from None
    # The root is level 0: the full reader refuses a collection more than MAX_NESTING levels in.
    if _nesting(body) > MAX_NESTING + 1:
        raise _NotPlain
    return data


def _load_json(spec: LoadedSpec) -> list[Diagnostic]:
    try:
        return _compose(spec, _json_events(spec.text))
    except _SyntaxProblem as exc:
        spec.data = None
        return [
            Diagnostic(
                spec.display_name,
                exc.line,
                exc.column,
                "",
                "THG000",
                f"invalid JSON: {exc.message}",
                "Fix the JSON syntax here",
            )
        ]


# -- entry points --------------------------------------------------------------------------------


def load_spec(path: Path) -> tuple[LoadedSpec, list[Diagnostic]]:
    """Read one YAML or JSON spec (by its suffix). Never raises for bad content or an unreadable
    file: problems come back as diagnostics."""
    name = display_name(path)
    spec = LoadedSpec(path=path, display_name=name, data=None)
    try:
        data = path.read_bytes()
        # Decoded as read_text decodes (universal newlines), from the bytes that are hashed.
        spec.text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()
        spec.sha256 = hashlib.sha256(data).hexdigest()
    except (OSError, UnicodeDecodeError) as exc:
        if isinstance(exc, OSError) and exc.strerror:
            reason = exc.strerror
            if not path.exists() and path.is_symlink():
                reason = f"{reason} (a symbolic link to {str(path.readlink())!r}, which is gone)"
        else:
            reason = str(exc)
        return spec, [Diagnostic(name, 1, 1, "", "THG000", f"{UNREADABLE}: {reason}", "")]
    return spec, load_text(spec)


def load_text(spec: LoadedSpec) -> list[Diagnostic]:
    """Fill `spec.data` from `spec.text` (`spec.positions` follows on first use); the problems
    found."""
    plain = _plain_json if spec.path.suffix.lower() in JSON_SUFFIXES else _plain_yaml
    try:
        spec.data = plain(spec.text)
    except _NotPlain:
        return _load_full(spec)
    spec._positions = None
    return []


def _load_full(spec: LoadedSpec) -> list[Diagnostic]:
    """The full composer: data, source map and every problem located."""
    spec.positions = {}
    if spec.path.suffix.lower() in JSON_SUFFIXES:
        return _load_json(spec)
    return _load_yaml(spec)
