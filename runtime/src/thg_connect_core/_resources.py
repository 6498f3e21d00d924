"""What the generated resource classes call: one runtime call per generated method.

A generated resource (``InventoryItems``, ``InventoryItemEndpoint``…) is a path and a client;
everything else — id checks, bodies, decoding, paging, enum leniency — is decided here once, and
``SyncResource`` / ``AsyncResource`` only differ in whether they await. Generated code stays free
of HTTP logic, so a fix here never needs a regeneration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Tuple, Union

from pydantic import BaseModel

from ._client import SyncAPIClient
from ._filter_ast import FilterExpr
from ._jsonapi import Document, ListDocument, Resource, encode_resource
from ._models import lenient_enums
from ._pagination import AsyncPaginator, Page, Paginator, page_params, same_origin_link
from ._paths import path_id
from ._references import NO_PRODUCT, Reference

if TYPE_CHECKING:  # only the asyncio client imports asyncio: not a blocking client's first call
    from ._async_client import AsyncAPIClient

__all__ = [
    "AsyncResource",
    "EntityType",
    "FilterArg",
    "Headers",
    "Query",
    "SyncResource",
    "path_id",
    "require_id",
]

Headers = Optional[Mapping[str, str]]
Query = Optional[Mapping[str, Any]]
FilterArg = Union[FilterExpr, str, None]
Attributes = Union[BaseModel, Mapping[str, Any]]


@dataclass(frozen=True)
class EntityType:
    """An entity type of a product: its type string, and its references."""

    product: str
    path: Tuple[str, ...]

    @property
    def type_string(self) -> str:
        """``<product>:<entity path>``, the resource objects' ``type``."""
        return f"{self.product}:{'.'.join(self.path)}"

    def reference(self, owner: str, id: str) -> Reference:
        """The reference string of this entity type's ``id`` in ``owner``'s path."""
        return Reference(self.product, self.path, owner, id)

    def parse_reference(self, text: Union[str, Reference]) -> Reference:
        """Parse ``text`` and check that it names this entity type."""
        reference = text if isinstance(text, Reference) else Reference.parse(text)
        if reference.product == NO_PRODUCT and reference.entity_path == self.path:
            reference = reference.with_product(self.product)  # thg:<entity>:<owner>@<id>
        if reference.entity_type != self.type_string:
            raise ValueError(
                f"{str(reference)!r} names a {reference.entity_type}, not a {self.type_string}"
            )
        return reference


def _body(type_string: str, attributes: Attributes, id: Optional[str]) -> bytes:
    return encode_resource(type_string, attributes, id=id)


def _page(
    document: ListDocument[Any], number: int, size: int, base_url: str
) -> Page[Resource[Any]]:
    links = document.links
    hint: Optional[bool] = None if links is None else links.next not in (None, "")
    link = None if links is None else same_origin_link(links.next, base_url)
    return Page(items=document.data, number=number, size=size, next_hint=hint, next_link=link)


def _list_params(number: int, size: int, filter: FilterArg) -> Dict[str, str]:
    return page_params(number, size, filter)


class _ResourceBase:
    """Every request a generated method makes, decided once: the shells below only send it."""

    __slots__ = ("_path", "_id")

    _path: str
    _id: Optional[str]  # an endpoint's own id (sent as data.id by a PUT)

    def _child(self, *segments: str) -> str:
        return "/".join((self._path, *segments))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._path!r})"

    def _rebased(self, old: str, new: str, *segments: str) -> str:
        """This resource's path with its prefix ``old`` (a template such as ``/{owner}/v1``)
        swapped for ``new`` (``/api/thg-fulfil/v1/{owner}``), the parameters of ``new`` taking
        their values from where ``old`` has them, then ``segments``: how one operation of a
        published document reaches a path of another generation than its parent's (CONVENTIONS
        §16). The ids after the prefix stay as they are (already encoded)."""
        parts = self._path.split("/")
        template = old.split("/")
        values = {t: v for t, v in zip(template, parts) if t.startswith("{")}
        head = "/".join(values.get(t, t) for t in new.split("/"))
        return "/".join((head, *parts[len(template) :], *segments))

    def _get_request(self, attributes: Any, path: Optional[str], **options: Any) -> _Request:
        return _Request("GET", path or self._path, Document[attributes], options)

    def _page_request(
        self,
        document_type: Any,
        number: int,
        size: int,
        filter: FilterArg,
        path: Optional[str] = None,
        **options: Any,
    ) -> _Request:
        params = _list_params(number, size, filter)
        return _Request("GET", path or self._path, document_type, options, params=params)

    def _link_request(self, document_type: Any, url: str, **options: Any) -> _Request:
        """The page a server's ``links.next`` names (already checked to be on the API's origin):
        its query carries the paging and the filter, so none is added."""
        return _Request("GET", url, document_type, options)

    def _write_request(
        self,
        method: str,
        type_string: str,
        attributes_type: Any,
        attributes: Attributes,
        id: Optional[str],
        path: Optional[str] = None,
        **options: Any,
    ) -> _Request:
        body = _body(type_string, attributes, id)
        return _Request(method, path or self._path, Document[attributes_type], options, body=body)

    def _values_request(self, path: Optional[str], **options: Any) -> _Request:
        return _Request("GET", path or self._child("_values"), Document[List[str]], options)

    def _action_request(
        self,
        method: str,
        segment: str,
        result: Any,
        params: Optional[Mapping[str, Any]],
        body: Optional[Tuple[str, Attributes]],
        default_timeout: float,
        headers: Optional[Mapping[str, str]] = None,
        path: Optional[str] = None,
        **options: Any,
    ) -> _Request:
        encoded = None if body is None else _body(body[0], body[1], None)
        if headers:
            for name, value in headers.items():
                require_id(value, name.replace("-", "_"))  # a required header: refused if empty
            options["extra_headers"] = {**headers, **(options.get("extra_headers") or {})}
        query = {**(params or {}), **(options.get("extra_query") or {})}
        options["timeout"] = _long_poll_timeout(options.get("timeout"), default_timeout, query)
        target = path or self._child(segment)
        return _Request(method, target, result, options, params=params, body=encoded)


LONG_POLL_PARAMETERS = ("waitTimeSeconds", "wait_time_seconds")
"""Query parameters that make the server hold the answer back (a long poll) for that long."""


def _long_poll_timeout(
    timeout: Optional[float], default: float, params: Optional[Mapping[str, Any]]
) -> Optional[float]:
    """A long poll's budget: the caller's timeout (or the client's) plus the wait, so a
    ``poll(wait_time_seconds=5)`` under a 2 s timeout is given 7 s instead of failing at 2."""
    for name in LONG_POLL_PARAMETERS:
        wait = (params or {}).get(name)
        if isinstance(wait, (int, float)) and not isinstance(wait, bool) and wait > 0:
            return (default if timeout is None else timeout) + wait
    return timeout


@dataclass(frozen=True)
class _Request:
    method: str
    path: str
    cast_to: Any
    options: Mapping[str, Any]  # timeout, extra_headers, extra_query
    params: Optional[Mapping[str, Any]] = None
    body: Optional[bytes] = None

    def arguments(self) -> Dict[str, Any]:
        return dict(params=self.params, body=self.body, cast_to=self.cast_to, **self.options)


def _data(document: Any) -> Any:
    return None if document is None else document.data


class SyncResource(_ResourceBase):
    """Base of the generated blocking resources."""

    __slots__ = ("_api",)

    def __init__(self, api: SyncAPIClient, path: str, id: Optional[str] = None) -> None:
        self._api = api
        self._path = path
        self._id = id

    def _send(self, request: _Request) -> Any:
        with lenient_enums():
            return _data(self._api.request(request.method, request.path, **request.arguments()))

    def _get(
        self,
        attributes: Any,
        *,
        timeout: Optional[float],
        extra_headers: Headers,
        extra_query: Query,
        path: Optional[str] = None,
        max_retries: Optional[int] = None,
    ) -> Any:
        return self._send(
            self._get_request(
                attributes,
                path,
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
                max_retries=max_retries,
            )
        )

    def _values(
        self,
        *,
        timeout: Optional[float],
        extra_headers: Headers,
        extra_query: Query,
        path: Optional[str] = None,
        max_retries: Optional[int] = None,
    ) -> List[str]:
        """A published status's possible states: GET …/<status>/_values (CONVENTIONS §16)."""
        request = self._values_request(
            path,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            max_retries=max_retries,
        )
        return list(self._send(request).attributes)

    def _list(
        self,
        attributes: Any,
        *,
        filter: FilterArg,
        page_size: int,
        start_page: int,
        max_items: Optional[int],
        timeout: Optional[float],
        extra_headers: Headers,
        extra_query: Query,
        path: Optional[str] = None,
        max_retries: Optional[int] = None,
    ) -> Paginator[Any]:
        document_type = ListDocument[attributes]

        def fetch(number: int, size: int) -> Page[Resource[Any]]:
            request = self._page_request(
                document_type,
                number,
                size,
                filter,
                path,
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
                max_retries=max_retries,
            )
            with lenient_enums():
                document = self._api.request(request.method, request.path, **request.arguments())
            return _page(document, number, size, self._api.config.base_url)

        def fetch_link(url: str, number: int) -> Page[Resource[Any]]:
            request = self._link_request(
                document_type,
                url,
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
                max_retries=max_retries,
            )
            with lenient_enums():
                document = self._api.request(request.method, request.path, **request.arguments())
            return _page(document, number, page_size, self._api.config.base_url)

        return Paginator(
            fetch,
            start_page=start_page,
            page_size=page_size,
            max_items=max_items,
            fetch_link=fetch_link,
        )

    def _write(
        self,
        method: str,
        type_string: str,
        attributes_type: Any,
        attributes: Attributes,
        *,
        id: Optional[str],
        timeout: Optional[float],
        extra_headers: Headers,
        extra_query: Query,
        path: Optional[str] = None,
        max_retries: Optional[int] = None,
    ) -> Any:
        return self._send(
            self._write_request(
                method,
                type_string,
                attributes_type,
                attributes,
                id,
                path,
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
                max_retries=max_retries,
            )
        )

    def _delete(
        self,
        *,
        timeout: Optional[float],
        extra_headers: Headers,
        extra_query: Query,
        path: Optional[str] = None,
        max_retries: Optional[int] = None,
    ) -> None:
        self._api.request(
            "DELETE",
            path or self._path,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            max_retries=max_retries,
        )

    def _action(
        self,
        method: str,
        segment: str,
        result: Any,
        *,
        params: Optional[Mapping[str, Any]],
        body: Optional[Tuple[str, Attributes]],
        timeout: Optional[float],
        extra_headers: Headers,
        extra_query: Query,
        headers: Optional[Mapping[str, str]] = None,
        path: Optional[str] = None,
        max_retries: Optional[int] = None,
    ) -> Any:
        return self._send(
            self._action_request(
                method,
                segment,
                result,
                params,
                body,
                self._api.config.timeout,
                headers,
                path,
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
                max_retries=max_retries,
            )
        )


class AsyncResource(_ResourceBase):
    """Base of the generated asyncio resources; the twin of ``SyncResource``."""

    __slots__ = ("_api",)

    def __init__(self, api: AsyncAPIClient, path: str, id: Optional[str] = None) -> None:
        self._api = api
        self._path = path
        self._id = id

    async def _send(self, request: _Request) -> Any:
        with lenient_enums():
            return _data(
                await self._api.request(request.method, request.path, **request.arguments())
            )

    async def _get(
        self,
        attributes: Any,
        *,
        timeout: Optional[float],
        extra_headers: Headers,
        extra_query: Query,
        path: Optional[str] = None,
        max_retries: Optional[int] = None,
    ) -> Any:
        return await self._send(
            self._get_request(
                attributes,
                path,
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
                max_retries=max_retries,
            )
        )

    async def _values(
        self,
        *,
        timeout: Optional[float],
        extra_headers: Headers,
        extra_query: Query,
        path: Optional[str] = None,
        max_retries: Optional[int] = None,
    ) -> List[str]:
        """A published status's possible states: GET …/<status>/_values (CONVENTIONS §16)."""
        request = self._values_request(
            path,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            max_retries=max_retries,
        )
        return list((await self._send(request)).attributes)

    def _list(
        self,
        attributes: Any,
        *,
        filter: FilterArg,
        page_size: int,
        start_page: int,
        max_items: Optional[int],
        timeout: Optional[float],
        extra_headers: Headers,
        extra_query: Query,
        path: Optional[str] = None,
        max_retries: Optional[int] = None,
    ) -> AsyncPaginator[Any]:
        document_type = ListDocument[attributes]

        async def fetch(number: int, size: int) -> Page[Resource[Any]]:
            request = self._page_request(
                document_type,
                number,
                size,
                filter,
                path,
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
                max_retries=max_retries,
            )
            with lenient_enums():
                document = await self._api.request(
                    request.method, request.path, **request.arguments()
                )
            return _page(document, number, size, self._api.config.base_url)

        async def fetch_link(url: str, number: int) -> Page[Resource[Any]]:
            request = self._link_request(
                document_type,
                url,
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
                max_retries=max_retries,
            )
            with lenient_enums():
                document = await self._api.request(
                    request.method, request.path, **request.arguments()
                )
            return _page(document, number, page_size, self._api.config.base_url)

        return AsyncPaginator(
            fetch,
            start_page=start_page,
            page_size=page_size,
            max_items=max_items,
            fetch_link=fetch_link,
        )

    async def _write(
        self,
        method: str,
        type_string: str,
        attributes_type: Any,
        attributes: Attributes,
        *,
        id: Optional[str],
        timeout: Optional[float],
        extra_headers: Headers,
        extra_query: Query,
        path: Optional[str] = None,
        max_retries: Optional[int] = None,
    ) -> Any:
        return await self._send(
            self._write_request(
                method,
                type_string,
                attributes_type,
                attributes,
                id,
                path,
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
                max_retries=max_retries,
            )
        )

    async def _delete(
        self,
        *,
        timeout: Optional[float],
        extra_headers: Headers,
        extra_query: Query,
        path: Optional[str] = None,
        max_retries: Optional[int] = None,
    ) -> None:
        await self._api.request(
            "DELETE",
            path or self._path,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            max_retries=max_retries,
        )

    async def _action(
        self,
        method: str,
        segment: str,
        result: Any,
        *,
        params: Optional[Mapping[str, Any]],
        body: Optional[Tuple[str, Attributes]],
        timeout: Optional[float],
        extra_headers: Headers,
        extra_query: Query,
        headers: Optional[Mapping[str, str]] = None,
        path: Optional[str] = None,
        max_retries: Optional[int] = None,
    ) -> Any:
        return await self._send(
            self._action_request(
                method,
                segment,
                result,
                params,
                body,
                self._api.config.timeout,
                headers,
                path,
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
                max_retries=max_retries,
            )
        )


def require_id(value: object, name: str) -> str:
    """A caller-chosen id sent in a body: refused before sending when empty."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must not be empty")
    return value
