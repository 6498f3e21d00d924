"""The load stage's fast path: rapidyaml parses, PyYAML's own tables give plain scalars meaning.

LibYAML composing a Python node (and two marks) for every value is most of `load_spec`'s time on a
large spec; rapidyaml parses the same text about fifty times faster into a C++ tree, which we walk.
The meaning must stay the slow path's (PyYAML SafeLoader as `loader._Builder` uses it), so this
module only answers for documents it can vouch for: anything unusual (anchors, tags, several
documents, tabs, characters PyYAML refuses, a parse error, spellings where YAML 1.2 and PyYAML's
YAML 1.1 scanner disagree) returns None and the slow path, which words every problem, decides.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any, Callable

import ryml  # type: ignore[import-untyped]
import yaml
from yaml.constructor import SafeConstructor
from yaml.reader import Reader
from yaml.resolver import Resolver

# Plain scalars resolving to these tags become the value SafeConstructor makes of them.
_CONSTRUCTED_TAGS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_STR_TAG = "tag:yaml.org,2002:str"
# The slow path keeps unquoted dates as their text (JSON has no dates).
_TEXT_TAGS = {_STR_TAG, "tag:yaml.org,2002:timestamp"}
_KEY_TAGS = _TEXT_TAGS | _CONSTRUCTED_TAGS  # not merge ('<<') nor value ('=')

_NONE: int = ryml.NONE
_MAP: int = ryml.MAP
_SEQ: int = ryml.SEQ
_KEY: int = ryml.KEY
_VAL: int = ryml.VAL
_FLOW: int = ryml.FLOW_SL | ryml.FLOW_ML
_KEY_NOT_PLAIN: int = ryml.KEYQUO  # single, double quoted, literal or folded
_VAL_NOT_PLAIN: int = ryml.VALQUO
# Anchors, aliases, tags, explicit nulls as keys and unfiltered text: the slow path's business.
_REFUSED: int = (
    ryml.KEYANCH
    | ryml.VALANCH
    | ryml.KEYREF
    | ryml.VALREF
    | ryml.KEYTAG
    | ryml.VALTAG
    | ryml.KEYNIL
    | ryml.KEY_UNFILT
    | ryml.VAL_UNFILT
)

# Characters PyYAML's reader refuses or treats specially (line breaks it knows and YAML 1.2 not),
# and a line ending in a backslash: rapidyaml folds an escaped line break followed by blank lines
# differently from PyYAML, and inside a quoted key it would hide that the key spans two lines.
_UNUSUAL_TEXT = re.compile("[\t\r\ufeff\x85\u2028\u2029]|\\\\\n")
# Directives and document markers (the slow path insists on exactly one document), and explicit
# keys ('? key' then ': value'), where rapidyaml takes a ':' that PyYAML does not see as one.
_DOCUMENT_MARKERS_AND_EXPLICIT_KEYS = re.compile(
    r"^(?:%|---|\.\.\.|[ -]*[?:])|[\[{,]\s*\?\s", re.MULTILINE
)
# A block sequence entry that is a quoted scalar or a flow collection: rapidyaml reads more on its
# closing line ("- 'x' - y", "- [x] y: 1") as further entries or keys, PyYAML refuses it.
_QUOTED_OR_FLOW_ENTRY = re.compile(r"^[ ]*(?:-[ ]+)+(?=['\"\[{])", re.MULTILINE)
_NOTHING_MORE = re.compile(r"[ ]*(?:[ ]#[^\n]*)?(?:\n|$)|[ ]*:(?:[ \n]|$)")
# PyYAML's scanner cannot start a plain scalar with these (YAML 1.2 and rapidyaml can).
_PLAIN_CANNOT_START = frozenset(",[]{}#&*!|>'\"%@`?:")
# PyYAML ends a plain scalar in a flow collection at '?' (YAML 1.2 does not).
_FLOW_PLAIN_STOPS = frozenset("?")
# PyYAML only finds a simple key within 1024 characters of its start. A plain key's text is its
# source; quoting at most doubles it ('' for '), an escape is at most ten characters ("\U0001F600").
_LONGEST_PLAIN_KEY = 500
_LONGEST_QUOTED_KEY = 100


# Deeper mappings and lists are refused (loader.py says so): no spec needs them, and every later
# stage walks the data recursively.
MAX_NESTING = 100


class _NotHandled(Exception):
    """The document holds something the fast path leaves to the slow path."""


def load_plain_mapping(text: str) -> dict[str, Any] | None:
    """The data of a single-mapping YAML document, or None when the slow path must load it."""
    if _UNUSUAL_TEXT.search(text) or _DOCUMENT_MARKERS_AND_EXPLICIT_KEYS.search(text):
        return None
    if Reader.NON_PRINTABLE.search(text) or _an_entry_runs_on(text):
        return None
    tree = _parse_quietly(text.encode("utf-8"))
    if tree is None:
        return None
    try:
        return _Walker(tree).document()
    # A "\\ud800" escape gives half a character, which rapidyaml writes as invalid UTF-8; an
    # integer of over 4300 digits is a ValueError to Python. The slow path decides about both.
    except (_NotHandled, RecursionError, UnicodeDecodeError, ValueError):
        return None


def _an_entry_runs_on(text: str) -> bool:
    """Whether a quoted or flow sequence entry has more than a comment after it on its line."""
    for entry in _QUOTED_OR_FLOW_ENTRY.finditer(text):
        end = _node_end(text, entry.end())
        if end < 0 or not _NOTHING_MORE.match(text, end):
            return True
    return False


def _node_end(text: str, start: int) -> int:
    """The index just past the quoted scalar or flow collection at `start`; -1 if unclosed."""
    depth = 0
    at = start
    while at < len(text):
        char = text[at]
        opens_scalar = at == start or text[at - 1] in " \n[{,:"
        if char == "'" and opens_scalar:
            at = text.find("'", at + 1)
            while at >= 0 and text.startswith("''", at):  # '' is a quote inside the scalar
                at = text.find("'", at + 2)
        elif char == '"' and opens_scalar:
            at = text.find('"', at + 1)
            while at >= 0 and _escaped(text, at):
                at = text.find('"', at + 1)
        elif char == "#" and text[at - 1] in " \n":  # a comment inside a flow collection
            at = text.find("\n", at)
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        if at < 0:
            return -1
        at += 1
        if depth <= 0:
            return at
    return -1


def _escaped(text: str, at: int) -> bool:
    """Whether the character at `at` follows an odd number of backslashes."""
    before = at
    while before > 0 and text[before - 1] == "\\":
        before -= 1
    return (at - before) % 2 == 1


def _parse_quietly(data: bytes) -> Any | None:
    """rapidyaml's tree of `data`, or None on a parse error (which it would print to fd 2)."""
    # rapidyaml's error callback writes to the C stderr before raising; the bindings offer no way
    # to replace it. Loading runs before any worker thread starts, so nobody else's error output
    # is lost in these few milliseconds.
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all: nothing to silence
        saved = -1
    quiet = os.open(os.devnull, os.O_WRONLY) if saved >= 0 else -1
    try:
        if saved >= 0:
            os.dup2(quiet, 2)
        try:
            return ryml.parse_in_arena(data)
        except Exception:  # ryml.ExceptionBasic and anything else the bindings raise
            return None
    finally:
        if saved >= 0:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(quiet)


class _Walker:
    """Builds plain Python data from a rapidyaml tree, refusing what it cannot vouch for."""

    def __init__(self, tree: Any) -> None:
        self.type: Callable[[int], int] = tree.type
        self.first_child: Callable[[int], int] = tree.first_child
        self.next_sibling: Callable[[int], int] = tree.next_sibling
        self.key: Callable[[int], Any] = tree.key
        self.val: Callable[[int], Any] = tree.val
        self.root: int = tree.root_id()
        self.plain: dict[str, Any] = {}  # plain scalar text -> its value, checked
        self.plain_keys: set[str] = set()  # plain keys checked
        self.constructor = SafeConstructor()
        self.depth = 0  # of the mapping or list being built below the root

    def document(self) -> dict[str, Any]:
        kind = self.type(self.root)
        # A stream, a list, a scalar, nothing, or a tagged or anchored root mapping.
        if kind & (_KEY | _VAL | _SEQ | _REFUSED) or not kind & _MAP:
            raise _NotHandled()
        return self.mapping(self.root, kind, False)

    def node(self, index: int, kind: int, in_flow: bool) -> Any:
        if kind & (_MAP | _SEQ):
            self.depth += 1
            try:
                if self.depth > MAX_NESTING:  # the slow path reports it
                    raise _NotHandled()
                if kind & _MAP:
                    return self.mapping(index, kind, in_flow)
                return self.sequence(index, kind, in_flow)
            finally:
                self.depth -= 1
        if not kind & _VAL:
            raise _NotHandled()
        view = self.val(index)
        text = "" if view is None else str(view, "utf-8")
        if kind & _VAL_NOT_PLAIN:
            return text
        return self.plain_value(text, in_flow)

    def mapping(self, index: int, kind: int, in_flow: bool) -> dict[str, Any]:
        in_flow = in_flow or bool(kind & _FLOW)
        result: dict[str, Any] = {}
        child = self.first_child(index)
        while child != _NONE:
            child_kind = self.type(child)
            if child_kind & _REFUSED or not child_kind & _KEY:
                raise _NotHandled()
            key = str(self.key(child), "utf-8")
            if key in result:
                raise _NotHandled()
            if (in_flow or child_kind & _KEY_NOT_PLAIN) and (" " in key or "\n" in key):
                # Perhaps folded from two lines: rapidyaml takes such keys, PyYAML refuses them.
                raise _NotHandled()
            if child_kind & _KEY_NOT_PLAIN:
                if len(key) > _LONGEST_QUOTED_KEY:
                    raise _NotHandled()
            elif in_flow or key not in self.plain_keys:  # flow rules are stricter: recheck
                if not key or len(key) > _LONGEST_PLAIN_KEY:
                    raise _NotHandled()
                # The slow path keeps a key's text whatever it resolves to, but a merge key
                # ('<<') or value key ('=') means something else to YAML: leave those to it.
                self.check_plain(key, in_flow)
                if _tag_of(key) not in _KEY_TAGS:
                    raise _NotHandled()
                self.plain_keys.add(key)
            result[key] = self.node(child, child_kind, in_flow)
            child = self.next_sibling(child)
        return result

    def sequence(self, index: int, kind: int, in_flow: bool) -> list[Any]:
        in_flow = in_flow or bool(kind & _FLOW)
        result: list[Any] = []
        child = self.first_child(index)
        while child != _NONE:
            child_kind = self.type(child)
            if child_kind & (_REFUSED | _KEY):
                raise _NotHandled()
            result.append(self.node(child, child_kind, in_flow))
            child = self.next_sibling(child)
        return result

    def plain_value(self, text: str, in_flow: bool) -> Any:
        if in_flow and not _FLOW_PLAIN_STOPS.isdisjoint(text):
            raise _NotHandled()
        known = self.plain.get(text, _NotHandled)
        if known is not _NotHandled:
            return known
        self.check_plain(text, in_flow)
        tag = _tag_of(text)
        if tag in _TEXT_TAGS:
            value: Any = text
        elif tag in _CONSTRUCTED_TAGS:
            value = self.constructor.construct_object(yaml.ScalarNode(tag, text), deep=True)
        else:
            raise _NotHandled()
        self.plain[text] = value
        return value

    @staticmethod
    def check_plain(text: str, in_flow: bool) -> None:
        """Refuse plain spellings PyYAML's scanner reads differently from YAML 1.2."""
        if not text:
            return
        if text[0] in _PLAIN_CANNOT_START:
            raise _NotHandled()
        if text[0] == "-" and (len(text) == 1 or text[1] == " "):
            raise _NotHandled()
        if text.endswith(":") or ": " in text or " #" in text:
            raise _NotHandled()
        if in_flow and not _FLOW_PLAIN_STOPS.isdisjoint(text):
            raise _NotHandled()


def _tag_of(plain: str) -> str:
    """The tag PyYAML's SafeLoader resolves a plain scalar to (the tables, not a copy of them)."""
    resolvers = Resolver.yaml_implicit_resolvers.get(plain[0] if plain else "", [])
    wildcard = Resolver.yaml_implicit_resolvers.get(None, [])
    for tag, pattern in resolvers + wildcard:
        if pattern.match(plain):
            return str(tag)
    return _STR_TAG
