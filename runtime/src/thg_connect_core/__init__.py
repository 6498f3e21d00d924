"""THG Connect runtime: the hand-written core the generated client depends on.

Every public name is exported here, explicitly; the private modules (``_name.py``) are not
part of the API. ``tests/runtime/test_exports.py`` checks that ``__all__`` is complete.
"""

from __future__ import annotations

import importlib as _importlib
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any
from typing import List as _List

from ._auth import ClientCredentialsAuth
from ._client import AsyncAPIClient, SyncAPIClient
from ._config import DEFAULT_BASE_URL, DEFAULT_TOKEN_URL, ClientConfig, ConfigOptions, Secret

# --- filters, references, pagination, datetimes ---
from ._datetime import UtcDateTime, format_utc_datetime, parse_utc_datetime
from ._environments import ENVIRONMENTS, PRODUCTION, STABLE, STAGING, Environment
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestMaybeSentError,
    ResponseDecodeError,
    ThgConnectError,
    TokenError,
    UnprocessableEntityError,
    error_from_response,
)
from ._filter_ast import And, Comparison, FilterExpr, FilterValue, Operator, Or, iter_comparisons
from ._filter_fields import (
    BoolField,
    DateField,
    DateTimeField,
    EnumField,
    Field,
    FloatField,
    IntField,
    NumberField,
    StringField,
)
from ._filter_parser import FilterSyntaxError, parse_filter
from ._filter_render import render as render_filter
from ._jsonapi import (
    Document,
    ErrorLinks,
    ErrorObject,
    ErrorSource,
    Links,
    ListDocument,
    Resource,
    ResourceMeta,
    decode,
    encode_resource,
)
from ._models import (
    NOT_GIVEN,
    UNKNOWN_STATE_TAG,
    ApiModel,
    NotGiven,
    OpenEnum,
    UnknownState,
    lenient_enums,
    state_union_discriminator,
)
from ._pagination import (
    DEFAULT_PAGE_SIZE,
    AsyncPaginator,
    Page,
    PaginationWarning,
    Paginator,
    filter_param,
    links_next_hint,
    page_params,
    same_origin_link,
)
from ._product_client import AsyncBaseClient, BaseClient
from ._references import NO_PRODUCT, InvalidReferenceError, Reference
from ._resources import (
    AsyncResource,
    EntityType,
    FilterArg,
    Headers,
    Query,
    SyncResource,
    path_id,
    require_id,
)
from ._response import RawResponse

# --- end filters, references, pagination, datetimes (and generated-code support) ---

__all__: list[str] = [
    # config and auth
    "ClientConfig",
    "ConfigOptions",
    "ClientCredentialsAuth",
    "DEFAULT_BASE_URL",
    "DEFAULT_TOKEN_URL",
    "ENVIRONMENTS",
    "Environment",
    "PRODUCTION",
    "STABLE",
    "STAGING",
    "Secret",
    # clients
    "AsyncAPIClient",
    "SyncAPIClient",
    "AsyncBaseClient",
    "BaseClient",
    # errors
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestMaybeSentError",
    "ResponseDecodeError",
    "ThgConnectError",
    "TokenError",
    "UnprocessableEntityError",
    "error_from_response",
    # JSON:API
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
    "RawResponse",
    # documents
    "DocumentUploadError",
    "FileSource",
    "upload_document",
    "upload_document_async",
]

# --- filters, references, pagination, datetimes ---
__all__ += [
    "And",
    "AsyncPaginator",
    "BoolField",
    "Comparison",
    "DEFAULT_PAGE_SIZE",
    "DateField",
    "DateTimeField",
    "EnumField",
    "Field",
    "FilterExpr",
    "FilterSyntaxError",
    "FilterValue",
    "FloatField",
    "IntField",
    "InvalidReferenceError",
    "NO_PRODUCT",
    "NumberField",
    "Operator",
    "Or",
    "Page",
    "PaginationWarning",
    "Paginator",
    "Reference",
    "StringField",
    "UtcDateTime",
    "filter_param",
    "format_utc_datetime",
    "iter_comparisons",
    "links_next_hint",
    "page_params",
    "same_origin_link",
    "parse_filter",
    "parse_utc_datetime",
    "render_filter",
]
# --- end filters, references, pagination, datetimes ---

# --- generated-code support ---
__all__ += [
    "ApiModel",
    "AsyncResource",
    "EntityType",
    "FilterArg",
    "Headers",
    "NOT_GIVEN",
    "NotGiven",
    "OpenEnum",
    "Query",
    "SyncResource",
    "UNKNOWN_STATE_TAG",
    "UnknownState",
    "lenient_enums",
    "path_id",
    "require_id",
    "state_union_discriminator",
]
# --- end generated-code support ---

# --- events ---
__all__ += [
    "AsyncEventConsumer",
    "ConsumerSettings",
    "ConsumerState",
    "Event",
    "EventConsumer",
    "EventDocument",
    "EventFormatError",
    "EventListDocument",
    "Notification",
    "ParkedEvent",
    "SIGNATURE_HEADER",
    "WebhookApp",
    "WebhookSignatureError",
    "event_from_resource",
    "events_from_document",
    "handle_notification",
    "handle_notification_sync",
    "parse_notification",
    "register_entity_models",
    "verify_signature",
]
# --- end events ---

# Events, webhooks and uploads are imported on first use: a client that never consumes events
# or uploads a file does not pay for asyncio's and the multipart encoder's import.
_LAZY_MODULES = {
    "AsyncEventConsumer": "._async_consumer",
    "EventConsumer": "._consumer",
    "ConsumerSettings": "._consumer_state",
    "ConsumerState": "._consumer_state",
    "Event": "._events",
    "EventDocument": "._events",
    "EventFormatError": "._events",
    "EventListDocument": "._events",
    "register_entity_models": "._event_entities",
    "ParkedEvent": "._consumer_state",
    "event_from_resource": "._events",
    "events_from_document": "._events",
    "SIGNATURE_HEADER": "._webhooks",
    "Notification": "._webhooks",
    "WebhookApp": "._webhooks",
    "WebhookSignatureError": "._webhooks",
    "handle_notification": "._webhooks",
    "handle_notification_sync": "._webhooks",
    "parse_notification": "._webhooks",
    "verify_signature": "._webhooks",
    "DocumentUploadError": "._upload",
    "FileSource": "._upload",
    "upload_document": "._upload",
    "upload_document_async": "._upload",
}

if _TYPE_CHECKING:
    from ._async_consumer import AsyncEventConsumer
    from ._consumer import EventConsumer
    from ._consumer_state import ConsumerSettings, ConsumerState, ParkedEvent
    from ._event_entities import register_entity_models
    from ._events import (
        Event,
        EventDocument,
        EventFormatError,
        EventListDocument,
        event_from_resource,
        events_from_document,
    )
    from ._upload import DocumentUploadError, FileSource, upload_document, upload_document_async
    from ._webhooks import (
        SIGNATURE_HEADER,
        Notification,
        WebhookApp,
        WebhookSignatureError,
        handle_notification,
        handle_notification_sync,
        parse_notification,
        verify_signature,
    )


def __getattr__(name: str) -> _Any:
    module = _LAZY_MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> _List[str]:
    return sorted(set(globals()) | set(__all__))
