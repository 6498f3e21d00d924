"""Reference strings: the platform's global name for an entity (specs/CONVENTIONS.md §5).

Every form seen in real payloads parses (recovered/schemas.md §1.4):

* ``thg:<product>:<entity-path>#<owner>@<id>``, e.g.
  ``thg:thg-fulfil:fulfilment-request.dispatched#providercompany@93sf39-wf839rs-srs3r34`` (the
  reference-string page, S17): the canonical form, which ``str()`` gives;
* ``thg:<product>:<entity-path>:<owner>@<id>``, e.g. ``thg:thg-commerce:site:thgcommerce@d91…``
  (the newer Data Changed Event page, S7b): the same reference;
* ``thg:<entity-path>:<owner>@<id>``, e.g. ``thg:inventory:mycompany@4f29…`` (the older event
  pages, S6a/S7a): it names no product (``product`` is ``NO_PRODUCT``, ``""``) until
  ``with_product`` or ``EntityType.parse_reference`` gives it one;
* the document form ``thg:document:<owner>@<id>`` (platform-integration.txt): product
  ``document``, whose only entity path is ``document``; the long
  ``thg:document:document#<owner>@<id>`` is the same reference, and ``str()`` gives the short one.

The scanner below walks the text once so an error can say exactly where it went wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Optional, Tuple, TypeVar, Union

from ._base_error import ThgConnectError

__all__ = ["InvalidReferenceError", "NO_PRODUCT", "Reference"]

# The attributes type of the entity a reference names, for type checkers only (nothing checks it
# at run time): ``Resource[InventoryItem].reference`` is a ``Reference[InventoryItem]``, so
# ``client.get(resource.reference)`` is typed ``Resource[InventoryItem]``. A reference parsed from
# text names an entity type only known at run time: ``Reference[Any]`` (the default).
if TYPE_CHECKING:  # a TypeVar default (PEP 696) is only for type checkers before Python 3.13
    from typing_extensions import TypeVar as _DefaultingTypeVar

    A_co = _DefaultingTypeVar("A_co", covariant=True, default=Any)
else:
    A_co = TypeVar("A_co", covariant=True)

_SEGMENT = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_OWNER = re.compile(r"[a-z0-9][a-z0-9-]*")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")
_SCHEME = "thg"
_DOCUMENT = "document"

NO_PRODUCT = ""
"""The ``product`` of a reference in the product-less form ``thg:<entity>:<owner>@<id>``."""


class InvalidReferenceError(ThgConnectError, ValueError):
    """A malformed reference string: where (0-based ``position``) and what (``reason``)."""

    def __init__(self, text: str, position: int, reason: str) -> None:
        self.text = text
        self.position = position
        self.reason = reason
        super().__init__(f"invalid reference {text!r} at position {position}: {reason}")


def _check_part(pattern: re.Pattern[str], value: object, what: str, rule: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError(f"invalid reference {what} {value!r}: expected {rule}")
    return value


_SEGMENT_RULE = "lowercase kebab case ([a-z][a-z0-9]*(-[a-z0-9]+)*)"
_OWNER_RULE = "an organisation slug ([a-z0-9][a-z0-9-]*)"
_ID_RULE = "[A-Za-z0-9][A-Za-z0-9._~-]*"


@dataclass(frozen=True)
class Reference(Generic[A_co]):
    """A reference to one entity: ``Reference("thg-fulfil", "inventory-item", "brandco", id)``.

    ``Reference[InventoryItem]`` is a reference whose entity's attributes are ``InventoryItem``
    (a resource's ``reference``), for type checkers: ``client.get`` answers its typed resource.

    ``entity_path`` may be given dotted (``"fulfilment-request.dispatched"``) or as a tuple; it is
    stored as a tuple of segments. Equal references compare and hash equal, whichever form they
    were parsed from. ``str(ref)`` is the canonical reference string.
    """

    product: str
    entity_path: Tuple[str, ...]
    owner: str
    id: str

    scheme: ClassVar[str] = _SCHEME
    """Always ``thg``."""

    def __init__(
        self, product: str, entity_path: Union[str, Tuple[str, ...]], owner: str, id: str
    ) -> None:
        segments = tuple(entity_path.split(".")) if isinstance(entity_path, str) else entity_path
        if product != NO_PRODUCT:
            _check_part(_SEGMENT, product, "product", _SEGMENT_RULE)
        if not isinstance(segments, tuple) or not segments:
            raise ValueError("a reference needs an entity path of at least one segment")
        for segment in segments:
            _check_part(_SEGMENT, segment, "entity path segment", _SEGMENT_RULE)
        if product == _DOCUMENT and segments != (_DOCUMENT,):
            raise ValueError("product 'document' has only the entity path 'document'")
        _check_part(_OWNER, owner, "owner", _OWNER_RULE)
        _check_part(_ID, id, "id", _ID_RULE)
        # frozen dataclass: assign through object.__setattr__ in a hand-written __init__
        object.__setattr__(self, "product", product)
        object.__setattr__(self, "entity_path", segments)
        object.__setattr__(self, "owner", owner)
        object.__setattr__(self, "id", id)

    @classmethod
    def parse(cls, text: str) -> Reference:
        """Parse any form (module docs); raises ``InvalidReferenceError`` with the position of
        the fault."""
        if not isinstance(text, str):
            raise TypeError(f"a reference string must be a str, not {type(text).__name__}")
        return _parse(text)

    @property
    def entity_type(self) -> str:
        """``<product>:<entity-path>``, e.g. ``thg-fulfil:fulfilment-request.dispatched``; the
        resource object's ``type``. Just the entity path for a reference naming no product."""
        if self.product == NO_PRODUCT:
            return ".".join(self.entity_path)
        return f"{self.product}:{'.'.join(self.entity_path)}"

    def with_product(self, product: str) -> "Reference":
        """The same reference naming ``product`` (a reference read from the product-less form
        gets the product it belongs to from its context)."""
        return Reference(product, self.entity_path, self.owner, self.id)

    @property
    def parent_entity_path(self) -> Tuple[str, ...]:
        """The entity path of the parent entity type (empty for a top-level entity)."""
        return self.entity_path[:-1]

    @property
    def parent_entity_type(self) -> Optional[str]:
        """The parent's entity type string (the key in ``meta.parent``), or None at top level."""
        if len(self.entity_path) < 2:
            return None
        return f"{self.product}:{'.'.join(self.parent_entity_path)}"

    @property
    def path(self) -> str:
        """The lookup URL path: ``/api/<product>/v1/<owner>/<entity-path with dots>/<id>``.

        Every part is already URL-safe (the lexical rules allow only unreserved characters).
        Raises ``ValueError`` for a reference naming no product (see ``with_product``).
        """
        if self.product == NO_PRODUCT:
            raise ValueError(f"{self} names no product: give it one with with_product()")
        return f"/api/{self.product}/v1/{self.owner}/{'.'.join(self.entity_path)}/{self.id}"

    def __str__(self) -> str:
        if self.product == _DOCUMENT:
            return f"{_SCHEME}:{_DOCUMENT}:{self.owner}@{self.id}"
        if self.product == NO_PRODUCT:
            return f"{_SCHEME}:{'.'.join(self.entity_path)}:{self.owner}@{self.id}"
        return f"{_SCHEME}:{self.entity_type}#{self.owner}@{self.id}"

    def __repr__(self) -> str:
        return f"Reference.parse({str(self)!r})"

    # pydantic integration: a model field typed ``Reference`` accepts the string (or a
    # Reference) and serialises back to the canonical string.
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        def validate(value: Any) -> Reference:
            if isinstance(value, Reference):
                return value
            if not isinstance(value, str):
                raise ValueError("a reference must be a string")
            return _parse(value)

        return core_schema.no_info_plain_validator_function(
            validate, serialization=core_schema.to_string_ser_schema()
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> Any:
        return {"type": "string", "format": "thg-reference"}


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, reason: str, position: Optional[int] = None) -> InvalidReferenceError:
        return InvalidReferenceError(self.text, self.pos if position is None else position, reason)

    def found(self) -> str:
        if self.pos >= len(self.text):
            return "the end"
        return repr(self.text[self.pos])

    def expect(self, char: str, after: str) -> None:
        if self.text.startswith(char, self.pos):
            self.pos += 1
            return
        raise self.fail(f"expected {char!r} after {after}, found {self.found()}")

    def take(self, pattern: re.Pattern[str], what: str, rule: str) -> str:
        match = pattern.match(self.text, self.pos)
        if match is None:
            raise self.fail(f"expected {what} ({rule}), found {self.found()}")
        self.pos = match.end()
        return match.group()


# The whole of a well-formed reference in one match (the common case: every reference a server
# sends), one pattern per form. Anything else goes to the scanner, which says where and what is
# wrong; both accept exactly the same strings (tests/runtime/test_references.py checks it).
_PATH = rf"{_SEGMENT.pattern}(?:\.{_SEGMENT.pattern})*"
_WELL_FORMED = re.compile(
    rf"thg:(?:(?!document:)({_SEGMENT.pattern}):({_PATH})"
    rf"|(document):(document))[#:]({_OWNER.pattern})@({_ID.pattern})"
)
_WELL_FORMED_SHORT = re.compile(rf"thg:({_PATH}):({_OWNER.pattern})@({_ID.pattern})")


def _trusted(product: str, segments: Tuple[str, ...], owner: str, id_: str) -> Reference:
    """A Reference from parts a full match has just checked (no second validation)."""
    reference = object.__new__(Reference)
    object.__setattr__(reference, "product", product)
    object.__setattr__(reference, "entity_path", segments)
    object.__setattr__(reference, "owner", owner)
    object.__setattr__(reference, "id", id_)
    return reference


def _short(path: str, owner: str, id_: str) -> Reference:
    """``thg:<entity-path>:<owner>@<id>``: the document form, or an entity naming no product."""
    if path == _DOCUMENT:
        return _trusted(_DOCUMENT, (_DOCUMENT,), owner, id_)
    return _trusted(NO_PRODUCT, tuple(path.split(".")), owner, id_)


def _parse(text: str) -> Reference:
    match = _WELL_FORMED.fullmatch(text)
    if match is not None:
        product, path, document, _, owner, id_ = match.groups()
        if document:
            return _trusted(_DOCUMENT, (_DOCUMENT,), owner, id_)
        return _trusted(product, tuple(path.split(".")), owner, id_)
    match = _WELL_FORMED_SHORT.fullmatch(text)
    if match is not None:
        return _short(*match.groups())
    return _scan(text)


def _scan(text: str) -> Reference:
    scan = _Scanner(text)
    if not text.startswith(_SCHEME + ":"):
        end = text.find(":")
        shown = text if end < 0 else text[:end]
        raise scan.fail(f"expected the scheme 'thg:' at the start, found {shown[:20]!r}")
    scan.pos = len(_SCHEME) + 1
    first_at = scan.pos
    first = _take_path(scan, "a product or an entity type")
    scan.expect(":", "the product")
    body_at = scan.pos
    # Which form: '@' before any '#' or ':' means thg:<entity-path>:<owner>@<id> (no product).
    rest = text[body_at:]
    cut = min((i for i in (rest.find("#"), rest.find(":"), rest.find("@")) if i >= 0), default=-1)
    if cut >= 0 and rest[cut] == "@":
        owner = scan.take(_OWNER, "the owner", _OWNER_RULE)
        scan.expect("@", "the owner")
        id_ = _take_id(scan)
        return _short(".".join(first), owner, id_)
    if len(first) > 1:
        raise scan.fail("expected a product (no '.') before the entity path", first_at)
    product = first[0]
    segments = _take_path(scan, "an entity type")
    if not text.startswith(("#", ":"), scan.pos):
        raise scan.fail(f"expected '.', '#' or ':' after the entity path, found {scan.found()}")
    scan.pos += 1
    if product == _DOCUMENT and segments != (_DOCUMENT,):
        raise scan.fail("product 'document' has only the entity path 'document'", body_at)
    owner = scan.take(_OWNER, "the owner", _OWNER_RULE)
    scan.expect("@", "the owner")
    id_ = _take_id(scan)
    return Reference(product, segments, owner, id_)


def _take_path(scan: _Scanner, what: str) -> Tuple[str, ...]:
    segments: Tuple[str, ...] = (scan.take(_SEGMENT, what, _SEGMENT_RULE),)
    while scan.text.startswith(".", scan.pos):
        scan.pos += 1
        segments += (scan.take(_SEGMENT, "an entity type after '.'", _SEGMENT_RULE),)
    return segments


def _take_id(scan: _Scanner) -> str:
    id_ = scan.take(_ID, "the id", _ID_RULE)
    if scan.pos != len(scan.text):
        raise scan.fail(f"unexpected {scan.found()} after the id")
    return id_
