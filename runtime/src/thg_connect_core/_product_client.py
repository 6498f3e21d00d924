"""``BaseClient`` and ``AsyncBaseClient``: the behaviour of the generated ``Client`` and
``AsyncClient`` (issue 17), so that a fix to it ships as a runtime release.

The generated classes add only what depends on the specs: one typed property per product and
the registry hook, two static methods mapping an entity type to its attributes type
(``_attributes_type``) and a reference to the path ``get`` reads (``_reference_path``).
Everything else (construction, ``from_env``, ``for_owner``, ``with_options``, ``get``, event
consumers, webhooks, context managers) is here, written once per flavour.

``get`` is typed as precisely as the reference allows:

* a resource's own reference is a ``Reference[InventoryItem]``, so
  ``client.get(item.reference)`` answers ``Resource[InventoryItem]`` (statuses too: their
  attributes type is the union of their states);
* ``get(text)`` answers ``Resource[E]``: the generated client is a ``BaseClient[E]`` whose ``E`` is
  the union of its entities' attributes types (``Any`` on a bare ``BaseClient``), to narrow
  with ``isinstance``;
* ``get(reference, InventoryItem)`` answers ``Resource[InventoryItem]`` and checks at run time that
  the reference names that entity type, so the static type cannot lie. A status's union of
  states is not a class, which Python's typing cannot take as an argument (PEP 747's
  ``TypeForm`` is not there yet): ``get(reference, Approval)`` is checked at run time and
  answers ``Resource[Any]``.
"""

from __future__ import annotations

from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    Awaitable,
    Callable,
    Generic,
    List,
    Mapping,
    Optional,
    Tuple,
    Type,
    TypeVar,
    Union,
    overload,
)

import httpx

from ._client import SyncAPIClient
from ._config import ClientConfig, Secret
from ._references import Reference

if TYPE_CHECKING:
    # What a type checker calls a type alias used as a value: a status's union of states.
    from typing import _SpecialForm

    from typing_extensions import Self, Unpack

    from ._async_client import AsyncAPIClient
    from ._async_consumer import AsyncEventConsumer
    from ._config import ConfigOptions
    from ._consumer import EventConsumer
    from ._consumer_state import ConsumerSettings, ParkedEvent
    from ._events import Event
    from ._jsonapi import Resource
    from ._resources import Headers, Query
    from ._webhooks import WebhookApp

__all__ = ["AsyncBaseClient", "BaseClient"]

A = TypeVar("A")
if TYPE_CHECKING:  # a TypeVar default (PEP 696) is only for type checkers before Python 3.13
    from typing_extensions import TypeVar as _DefaultingTypeVar

    E = _DefaultingTypeVar("E", default=Any)
else:
    E = TypeVar("E")
"""The attributes of any entity the client knows: what ``get(text)`` answers. The generated
client names the union of its entities' attributes types; ``Any`` on the bare base."""


class _Registry:
    """The registry hook the generated client fills: both raise ``ValueError`` for an entity
    type the client was not generated for."""

    __slots__ = ()

    @staticmethod
    def _attributes_type(entity_type: str) -> Any:
        """The attributes type of ``entity_type``'s resources."""
        raise ValueError(f"unknown entity type {entity_type!r}: this client knows no products")

    @staticmethod
    def _reference_path(reference: Reference, parents: Mapping[str, str]) -> str:
        """The URL path ``get(reference)`` reads: its lookup path, which needs no parent ids."""
        if parents:
            raise ValueError(
                f"client.get reads {reference.entity_type} at its lookup path, which needs no "
                f"parent ids: remove parents={dict(parents)!r}"
            )
        return reference.path

    def _target(
        self,
        reference: Union[str, Reference[Any]],
        attributes: Any,
        parents: Optional[Mapping[str, str]] = None,
    ) -> Tuple[str, Any]:
        """The path and attributes type ``get`` reads ``reference`` with, checking that a given
        ``attributes`` is the one of the reference's entity type."""
        ref = reference if isinstance(reference, Reference) else Reference.parse(reference)
        path = self._reference_path(ref, parents or {})
        known = self._attributes_type(ref.entity_type)
        if attributes is not None and attributes is not known:
            name = getattr(attributes, "__name__", repr(attributes))
            known_name = getattr(known, "__name__", repr(known))
            raise TypeError(
                f"{ref} names a {ref.entity_type}, whose attributes type is {known_name}, "
                f"not {name}"
            )
        return path, known


def _describe(cls: type, owner: str) -> str:
    return f"{cls.__name__}(owner={owner!r})"


class BaseClient(_Registry, Generic[E]):
    """The blocking client of every product, for one owner organisation: the base of the
    generated ``Client``, which adds one property per product."""

    __slots__ = ("_api",)

    def __init__(self, config: ClientConfig, *, http_client: Optional[httpx.Client] = None) -> None:
        self._api = SyncAPIClient(config, http_client=http_client)

    @classmethod
    def from_env(cls, **options: Unpack[ConfigOptions]) -> Self:
        """A client configured from the ``THG_*`` environment variables; keyword arguments
        (``ClientConfig`` field names: a misspelt one is a type error) take precedence."""
        return cls(ClientConfig.from_env(**options))

    @classmethod
    def _wrap(cls, api: SyncAPIClient) -> Self:
        client = cls.__new__(cls)
        client._api = api
        return client

    @property
    def owner(self) -> str:
        """The organisation whose paths this client acts on."""
        return self._api.owner

    @property
    def api(self) -> SyncAPIClient:
        """The runtime client underneath, for requests the generated methods do not cover."""
        return self._api

    def for_owner(self, owner: str) -> Self:
        """A client acting on ``owner``'s paths (a partner's), sharing connections and token."""
        return type(self)._wrap(self._api.with_owner(owner))

    def with_options(
        self, *, timeout: Optional[float] = None, max_retries: Optional[int] = None
    ) -> Self:
        """The same client (connections, token, owner) with another default ``timeout``
        (seconds, the whole call, retries included) or ``max_retries``; None keeps this one's.
        ``client.with_options(max_retries=0).thg_fulfil…`` sets them for one request."""
        return type(self)._wrap(self._api.with_options(timeout=timeout, max_retries=max_retries))

    @overload
    def get(
        self,
        reference: Reference[A],
        *,
        timeout: Optional[float] = None,
        extra_headers: Headers = None,
        extra_query: Query = None,
        parents: Optional[Mapping[str, str]] = None,
        max_retries: Optional[int] = None,
    ) -> Resource[A]: ...

    @overload
    def get(
        self,
        reference: str,
        *,
        timeout: Optional[float] = None,
        extra_headers: Headers = None,
        extra_query: Query = None,
        parents: Optional[Mapping[str, str]] = None,
        max_retries: Optional[int] = None,
    ) -> Resource[E]: ...

    @overload
    def get(
        self,
        reference: Union[str, Reference[Any]],
        attributes: Type[A],
        *,
        timeout: Optional[float] = None,
        extra_headers: Headers = None,
        extra_query: Query = None,
        parents: Optional[Mapping[str, str]] = None,
        max_retries: Optional[int] = None,
    ) -> Resource[A]: ...

    @overload
    def get(
        self,
        reference: Union[str, Reference[Any]],
        attributes: _SpecialForm,
        *,
        timeout: Optional[float] = None,
        extra_headers: Headers = None,
        extra_query: Query = None,
        parents: Optional[Mapping[str, str]] = None,
        max_retries: Optional[int] = None,
    ) -> Resource[Any]: ...

    def get(
        self,
        reference: Union[str, Reference[Any]],
        attributes: object = None,
        *,
        timeout: Optional[float] = None,
        extra_headers: Headers = None,
        extra_query: Query = None,
        parents: Optional[Mapping[str, str]] = None,
        max_retries: Optional[int] = None,
    ) -> Resource[Any]:
        """The entity a reference names, as its typed resource (any product, any owner).

        ``client.get(item.reference)`` and ``client.get(ref, InventoryItem)`` are typed
        ``Resource[InventoryItem]``; the second raises ``TypeError`` when ``ref`` names another
        entity type. A child of a product published without lookup paths (CONVENTIONS §16) is
        read at its own path, which needs its ancestors' ids a reference does not carry:
        ``parents`` gives them by the path's parameter names
        (``client.get(ref, parents={"inventory_item": item_id})``). Raises ``ValueError`` for a
        malformed reference, an entity type this client does not know, or ``parents`` missing,
        naming one the path has not, or given where none is needed; and ``NotFoundError`` when
        the entity does not exist.
        """
        from ._resources import SyncResource  # with pydantic, on the first get: not at import

        path, known = self._target(reference, attributes, parents)
        result: Resource[Any] = SyncResource(self._api, path)._get(
            known,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            max_retries=max_retries,
        )
        return result

    def consumer(
        self,
        subscription_id: str,
        handler: Callable[[Event], Any],
        *,
        settings: Optional[ConsumerSettings] = None,
        on_parked: Optional[Callable[[ParkedEvent], Any]] = None,
    ) -> EventConsumer:
        """A consumer of one of this owner's event subscriptions: ``consumer.run()``.

        ``handler`` is called for each event on a pool of threads; an event is confirmed once
        it returns and delivered again if it raises. ``client.get(event.reference)`` reads the
        changed entity as its typed resource.
        """
        from ._consumer import EventConsumer

        return EventConsumer(
            self._api, subscription_id, handler, settings=settings, on_parked=on_parked
        )

    def handle_webhook(
        self,
        body: bytes,
        signature: Optional[str],
        secret: Union[str, Secret],
        handler: Callable[[Event], Any],
    ) -> int:
        """Handle one webhook notification in any framework: verify ``signature`` (the
        ``THG-Signature`` header), call ``handler`` per event, confirm the handled ones; returns
        the HTTP status to answer (204, or 401/400 for a bad signature or body)."""
        from ._consumer import EventConsumer
        from ._webhooks import handle_notification_sync

        def confirm(subscription_id: str, ids: List[str]) -> None:
            EventConsumer(self._api, subscription_id, handler).confirm(ids)

        return handle_notification_sync(body, signature, secret, handler, confirm)

    def close(self) -> None:
        """Close the connection pool (if the client created it)."""
        self._api.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return _describe(type(self), self.owner)


class AsyncBaseClient(_Registry, Generic[E]):
    """The asyncio client of every product, for one owner organisation: the base of the
    generated ``AsyncClient``, which adds one property per product."""

    __slots__ = ("_api",)

    def __init__(
        self, config: ClientConfig, *, http_client: Optional[httpx.AsyncClient] = None
    ) -> None:
        from ._async_client import AsyncAPIClient  # with asyncio: not on the blocking import

        self._api = AsyncAPIClient(config, http_client=http_client)

    @classmethod
    def from_env(cls, **options: Unpack[ConfigOptions]) -> Self:
        """A client configured from the ``THG_*`` environment variables; keyword arguments
        (``ClientConfig`` field names: a misspelt one is a type error) take precedence."""
        return cls(ClientConfig.from_env(**options))

    @classmethod
    def _wrap(cls, api: AsyncAPIClient) -> Self:
        client = cls.__new__(cls)
        client._api = api
        return client

    @property
    def owner(self) -> str:
        """The organisation whose paths this client acts on."""
        return self._api.owner

    @property
    def api(self) -> AsyncAPIClient:
        """The runtime client underneath, for requests the generated methods do not cover."""
        return self._api

    def for_owner(self, owner: str) -> Self:
        """A client acting on ``owner``'s paths (a partner's), sharing connections and token."""
        return type(self)._wrap(self._api.with_owner(owner))

    def with_options(
        self, *, timeout: Optional[float] = None, max_retries: Optional[int] = None
    ) -> Self:
        """The same client (connections, token, owner) with another default ``timeout``
        (seconds, the whole call, retries included) or ``max_retries``; None keeps this one's.
        ``client.with_options(max_retries=0).thg_fulfil…`` sets them for one request."""
        return type(self)._wrap(self._api.with_options(timeout=timeout, max_retries=max_retries))

    @overload
    async def get(
        self,
        reference: Reference[A],
        *,
        timeout: Optional[float] = None,
        extra_headers: Headers = None,
        extra_query: Query = None,
        parents: Optional[Mapping[str, str]] = None,
        max_retries: Optional[int] = None,
    ) -> Resource[A]: ...

    @overload
    async def get(
        self,
        reference: str,
        *,
        timeout: Optional[float] = None,
        extra_headers: Headers = None,
        extra_query: Query = None,
        parents: Optional[Mapping[str, str]] = None,
        max_retries: Optional[int] = None,
    ) -> Resource[E]: ...

    @overload
    async def get(
        self,
        reference: Union[str, Reference[Any]],
        attributes: Type[A],
        *,
        timeout: Optional[float] = None,
        extra_headers: Headers = None,
        extra_query: Query = None,
        parents: Optional[Mapping[str, str]] = None,
        max_retries: Optional[int] = None,
    ) -> Resource[A]: ...

    @overload
    async def get(
        self,
        reference: Union[str, Reference[Any]],
        attributes: _SpecialForm,
        *,
        timeout: Optional[float] = None,
        extra_headers: Headers = None,
        extra_query: Query = None,
        parents: Optional[Mapping[str, str]] = None,
        max_retries: Optional[int] = None,
    ) -> Resource[Any]: ...

    async def get(
        self,
        reference: Union[str, Reference[Any]],
        attributes: object = None,
        *,
        timeout: Optional[float] = None,
        extra_headers: Headers = None,
        extra_query: Query = None,
        parents: Optional[Mapping[str, str]] = None,
        max_retries: Optional[int] = None,
    ) -> Resource[Any]:
        """The entity a reference names, as its typed resource (any product, any owner).

        ``await client.get(item.reference)`` and ``await client.get(ref, InventoryItem)`` are
        typed ``Resource[InventoryItem]``; the second raises ``TypeError`` when ``ref`` names
        another entity type. A child of a product published without lookup paths
        (CONVENTIONS §16) needs its ancestors' ids by the path's parameter names, as ``parents``
        (``await client.get(ref, parents={"inventory_item": item_id})``). Raises ``ValueError``
        for a malformed reference, an entity type this client does not know, or ``parents``
        missing, naming one the path has not, or given where none is needed; and
        ``NotFoundError`` when the entity does not exist.
        """
        from ._resources import AsyncResource  # with pydantic, on the first get: not at import

        path, known = self._target(reference, attributes, parents)
        result: Resource[Any] = await AsyncResource(self._api, path)._get(
            known,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            max_retries=max_retries,
        )
        return result

    def consumer(
        self,
        subscription_id: str,
        handler: Callable[[Event], Awaitable[Any]],
        *,
        settings: Optional[ConsumerSettings] = None,
        on_parked: Optional[Callable[[ParkedEvent], Any]] = None,
    ) -> AsyncEventConsumer:
        """A consumer of one of this owner's event subscriptions: ``await consumer.run()``.

        ``handler`` is awaited for each event; an event is confirmed once it returns and
        delivered again if it raises. ``await client.get(event.reference)`` reads the changed
        entity as its typed resource.
        """
        from ._async_consumer import AsyncEventConsumer

        return AsyncEventConsumer(
            self._api, subscription_id, handler, settings=settings, on_parked=on_parked
        )

    def webhook_app(
        self, secret: Union[str, Secret], handler: Callable[[Event], Awaitable[Any]]
    ) -> WebhookApp:
        """An ASGI app receiving a subscription's webhook notifications: it checks the
        signature, awaits ``handler`` for each event and confirms the handled ones."""
        from ._async_consumer import AsyncEventConsumer
        from ._webhooks import WebhookApp

        async def confirm(subscription_id: str, ids: List[str]) -> None:
            await AsyncEventConsumer(self._api, subscription_id, handler).confirm(ids)

        return WebhookApp(secret, handler, confirm)

    async def close(self) -> None:
        """Close the connection pool (if the client created it)."""
        await self._api.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        return _describe(type(self), self.owner)
