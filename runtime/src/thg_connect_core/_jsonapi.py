"""JSON:API 1.1 documents as the platform serves them (runtime brief, "Platform facts").

Resource objects carry ``id``, ``type``, ``attributes``, ``meta`` and a non-standard top-level
``version``; documents carry ``data`` (one resource or a list), ``links``, ``meta``. Unknown
members are tolerated everywhere (``extra="allow"``) so a server adding fields never breaks a
client. ``decode`` reads bytes into any of these types through a cached ``TypeAdapter``;
``encode_resource`` builds a request body.
"""

from __future__ import annotations

import functools
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Dict,
    Generic,
    List,
    Mapping,
    Optional,
    Type,
    TypeVar,
    Union,
    cast,
)

import pydantic_core
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from ._datetime import UtcDateTime
from ._lenient import lenient_decode
from ._models import decoding_response
from ._references import NO_PRODUCT, InvalidReferenceError, Reference

if TYPE_CHECKING:
    from ._response import RawResponse

__all__ = [
    "Document",
    "ErrorLinks",
    "ErrorObject",
    "ErrorSource",
    "Links",
    "ListDocument",
    "Resource",
    "ResourceMeta",
    "decode",
    "encode_resource",
]

A = TypeVar("A")
T = TypeVar("T")


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class _Answer(_Model):
    """A document or resource as a call returned it: it keeps the call's raw response."""

    # A class default, set per instance only on what a call returned: a pydantic private
    # attribute is initialised for every instance decoded, which cost a quarter of decoding a
    # page. Equality, dumps and the schema see fields only, so they never see it.
    _raw_response: ClassVar[Optional["RawResponse"]] = None

    def _set_raw_response(self, raw: "RawResponse") -> None:
        object.__setattr__(self, "_raw_response", raw)

    @property
    def raw_response(self) -> Optional["RawResponse"]:
        """The HTTP response this came in (status, headers, request id); None when it was not
        returned by a call (built or decoded by hand, or delivered in an event)."""
        return self._raw_response

    @property
    def request_id(self) -> Optional[str]:
        """The platform's request id of the call that returned this (``X-Request-Id``)."""
        return None if self._raw_response is None else self._raw_response.request_id


class ErrorSource(_Model):
    """Where an error came from: a JSON pointer (or, on the older API, a bare field name such as
    ``weight_g``), a query parameter, or a header (``Authorization``, S27)."""

    pointer: Optional[str] = None
    parameter: Optional[str] = None
    header: Optional[str] = None


class ErrorLinks(_Model):
    """An error object's ``links`` (S3): ``about`` this occurrence, and its ``type``."""

    about: Optional[str] = None
    type: Optional[str] = None


class ErrorObject(_Model):
    """One member of a JSON:API ``errors`` array, in every shape the platform has sent: the
    reference pages' ``id, links{about,type}, status, code, title, detail, meta`` (S3), the older
    API's ``source.header`` / bare ``source.pointer`` (S27), and FastAPI's ``detail[]`` entries
    (read into this shape by ``error_from_response``)."""

    id: Optional[str] = None
    links: Optional[ErrorLinks] = None
    status: Optional[str] = None
    code: Optional[str] = None
    title: Optional[str] = None
    detail: Optional[str] = None
    source: Optional[ErrorSource] = None
    meta: Optional[Dict[str, Any]] = None

    @property
    def pointer(self) -> Optional[str]:
        """Where the error is: the source's JSON pointer (or field name), else its parameter,
        else its header."""
        if self.source is None:
            return None
        for key in ("pointer", "parameter", "header"):
            value = getattr(self.source, key, None)
            if isinstance(value, str) and value:
                return value
        return None


class ResourceMeta(_Model):
    """The platform's resource ``meta``: timestamps (aware UTC), ownership and parentage."""

    created_at: Optional[UtcDateTime] = Field(default=None, alias="createdAt")
    updated_at: Optional[UtcDateTime] = Field(default=None, alias="updatedAt")
    creator: Optional[str] = None
    owner: Optional[str] = None
    parent: Optional[Dict[str, str]] = None
    product: Optional[str] = None
    reference: Optional[str] = None
    # Each status child's state, as sent: {"approval": {"value": "APPROVED"}} (S7b); ``states``
    # reads it. Kept raw so that an odd entry never fails the resource that carries it.
    status: Optional[Dict[str, Any]] = None

    @property
    def states(self) -> Dict[str, str]:
        """Each status child's current state by status name (``meta.status``): ``{"approval":
        "APPROVED"}``; an entry without a string ``value`` is left out, {} when none is set."""
        found = self.status if isinstance(self.status, dict) else {}
        return {
            name: entry["value"]
            for name, entry in found.items()
            if isinstance(entry, dict) and isinstance(entry.get("value"), str)
        }


class Links(_Model):
    """The ``links`` of a document (a page: self, related, next, prev, first, describedBy) or of
    a resource object (self, related, describedBy), all informative (S1): ``self`` is spelt
    ``self_`` in Python, ``describedBy`` ``described_by``."""

    self_: Optional[str] = Field(default=None, alias="self")
    related: Optional[str] = None
    next: Optional[str] = None
    prev: Optional[str] = None
    first: Optional[str] = None
    described_by: Optional[str] = Field(default=None, alias="describedBy")


class Resource(_Answer, Generic[A]):
    """A resource object whose ``attributes`` are of type ``A``, as the server sends it.

    An entity's resource always carries ``id``, ``type``, ``version`` and ``meta`` (every payload
    the platform's docs show, S1, S7b, S17, and every spec's resource schema lists them as
    required), so none is Optional for callers. Decoding stays lenient where a server leaves one
    out (the published documents do not list ``meta``; an event object has no ``version``): a
    missing ``meta`` reads as an empty ``ResourceMeta`` and a missing ``version`` as ``""``.
    """

    id: str
    type: str
    attributes: A
    meta: ResourceMeta = Field(default_factory=ResourceMeta)
    version: str = ""
    links: Optional[Links] = None
    """The resource's own ``links`` (``self, related, describedBy``; S1), null in some payloads
    (S7b)."""

    # Set (per instance, like ``_raw_response``) only on a record read leniently.
    _lenient_raw: ClassVar[Optional[Dict[str, Any]]] = None
    _decode_error: ClassVar[Optional[str]] = None

    def _mark_lenient(self, raw: Dict[str, Any], error: ValidationError) -> None:
        object.__setattr__(self, "_lenient_raw", raw)
        problems = error.errors(include_url=False, include_input=False)
        text = "; ".join(
            f"{'/'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in problems
        )
        object.__setattr__(self, "_decode_error", text or str(error))

    @property
    def decode_error(self) -> Optional[str]:
        """Why this record did not fit its declared type (then it was read leniently: fields
        that break a constraint kept as sent, odd ones raw); None for a record that fit."""
        return self._decode_error

    @property
    def raw_data(self) -> Dict[str, Any]:
        """The resource object as the server sent it for a record read leniently; for one that
        fit, its JSON form (wire names)."""
        if self._lenient_raw is not None:
            return self._lenient_raw
        dumped: Dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return dumped

    @property
    def reference(self) -> Reference[A]:
        """The ``Reference`` in ``meta.reference``, typed by this resource's attributes:
        ``client.get(resource.reference)`` answers a ``Resource[A]``.

        Parsed on access, not in ``decode``: decoding is the hot path and most callers never ask.
        Every form the platform sends is read; one naming no product (``thg:<entity>:<owner>@<id>``)
        takes it from ``meta.product``, else from ``type``. Raises ``InvalidReferenceError`` if
        the server sent a malformed reference or none.
        """
        text = self.meta.reference
        if not text:
            missing = f"the {self.type} resource {self.id!r} came without meta.reference"
            raise InvalidReferenceError("", 0, missing)
        reference: Reference[A] = Reference.parse(text)
        if reference.product == NO_PRODUCT:
            product = self.meta.product or (
                self.type.partition(":")[0] if ":" in self.type else None
            )
            if product:
                reference = reference.with_product(product)
        return reference


class Document(_Answer, Generic[A]):
    """A document whose ``data`` is one resource."""

    data: Resource[A]
    links: Optional[Links] = None
    meta: Optional[Dict[str, Any]] = None


class ListDocument(_Answer, Generic[A]):
    """A document whose ``data`` is a list of resources (a page of a GET ALL)."""

    data: List[Resource[A]]
    links: Optional[Links] = None
    meta: Optional[Dict[str, Any]] = None


@functools.lru_cache(maxsize=512)
def _adapter(type_: Any) -> TypeAdapter[Any]:
    return TypeAdapter(type_)


def decode(content: Union[bytes, str], type_: Type[T]) -> T:
    """Validate JSON ``content`` as ``type_`` (one ``TypeAdapter`` per type, cached). Inside
    ``lenient_enums`` (a server's answer: every call's response), what does not fit is read
    leniently (``_lenient``: constraints ignored, odd records kept raw) and only
    what cannot be read at all raises ``ResponseDecodeError``. A runtime
    type that reads plain JSON itself (``__thg_from_json__``, e.g. ``EventListDocument``) gets
    ``json.loads``'s objects: pydantic builds plain Python objects more slowly than json does."""
    reader = getattr(type_, "__thg_from_json__", None)
    if reader is not None:
        return cast(T, reader(content))
    try:
        adapter = _adapter(cast(Any, type_))
    except TypeError:  # unhashable type expression: build one, uncached
        adapter = TypeAdapter(type_)
    try:
        return cast(T, adapter.validate_json(content))
    except ValidationError as exc:  # only now: the typed path above stays one pydantic pass
        if not decoding_response():
            raise  # not a server's answer (a test, user data): strict
        return cast(T, lenient_decode(content, type_, exc))


def encode_resource(
    type_string: str,
    attributes: Union[BaseModel, Mapping[str, Any]],
    *,
    id: Optional[str] = None,
) -> bytes:
    """``{"data": {"type", ["id"], "attributes"}}`` as JSON bytes.

    A model is dumped with its wire (alias) names, only the fields that were set, in JSON mode;
    a mapping is sent as it is.
    """
    if isinstance(attributes, BaseModel):
        attrs: Any = attributes.model_dump(by_alias=True, exclude_unset=True, mode="json")
    else:
        attrs = dict(attributes)
    data: Dict[str, Any] = {"type": type_string}
    if id is not None:
        data["id"] = id
    data["attributes"] = attrs
    return pydantic_core.to_json({"data": data})
