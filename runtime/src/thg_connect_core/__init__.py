"""THG Connect runtime: the hand-written core the generated client depends on.

Every public name is exported here, explicitly (``__all__``); the private modules (``_name.py``)
are not part of the API. ``tests/runtime/test_exports.py`` checks that ``__all__`` is complete.

Each name is imported the first time it is used (PEP 562's module ``__getattr__``, as pydantic
and httpx's optional parts do), so ``from thg_connect import Client`` loads the client's own
modules only: not pydantic's models (built on the first response decoded), filters, pagination,
events, webhooks or uploads (issue 17: that import costs <= 1.3x ``import httpx, pydantic``;
``tests/runtime/test_import_cost.py`` lists what it must not load).
"""

from __future__ import annotations

import importlib as _importlib
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any
from typing import Dict as _Dict
from typing import List as _List
from typing import Tuple as _Tuple

if _TYPE_CHECKING:
    from ._async_client import AsyncAPIClient
    from ._async_consumer import AsyncEventConsumer
    from ._auth import ClientCredentialsAuth
    from ._client import SyncAPIClient
    from ._config import DEFAULT_BASE_URL, DEFAULT_TOKEN_URL, ClientConfig, ConfigOptions, Secret
    from ._consumer import EventConsumer
    from ._consumer_state import ConsumerSettings, ConsumerState, ParkedEvent
    from ._datetime import UtcDateTime, format_utc_datetime, parse_utc_datetime
    from ._entity_registry import register_entity_models
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
    from ._events import (
        Event,
        EventDocument,
        EventFormatError,
        EventListDocument,
        event_from_resource,
        events_from_document,
    )
    from ._filter_ast import (
        And,
        Comparison,
        FilterExpr,
        FilterValue,
        Operator,
        Or,
        iter_comparisons,
    )
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
    from ._paths import path_id
    from ._product_client import AsyncBaseClient, BaseClient
    from ._references import NO_PRODUCT, InvalidReferenceError, Reference
    from ._resources import (
        AsyncResource,
        EntityType,
        FilterArg,
        Headers,
        Query,
        SyncResource,
        require_id,
    )
    from ._response import RawResponse
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

# The private module that defines each public name.
_HOMES: _Dict[str, _Tuple[str, ...]] = {
    "._async_consumer": ("AsyncEventConsumer",),
    "._auth": ("ClientCredentialsAuth",),
    "._async_client": ("AsyncAPIClient",),
    "._client": ("SyncAPIClient",),
    "._config": (
        "DEFAULT_BASE_URL",
        "DEFAULT_TOKEN_URL",
        "ClientConfig",
        "ConfigOptions",
        "Secret",
    ),
    "._consumer": ("EventConsumer",),
    "._consumer_state": (
        "ConsumerSettings",
        "ConsumerState",
        "ParkedEvent",
    ),
    "._datetime": (
        "UtcDateTime",
        "format_utc_datetime",
        "parse_utc_datetime",
    ),
    "._entity_registry": ("register_entity_models",),
    "._environments": (
        "ENVIRONMENTS",
        "PRODUCTION",
        "STABLE",
        "STAGING",
        "Environment",
    ),
    "._errors": (
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
    ),
    "._events": (
        "Event",
        "EventDocument",
        "EventFormatError",
        "EventListDocument",
        "event_from_resource",
        "events_from_document",
    ),
    "._filter_ast": (
        "And",
        "Comparison",
        "FilterExpr",
        "FilterValue",
        "Operator",
        "Or",
        "iter_comparisons",
    ),
    "._filter_fields": (
        "BoolField",
        "DateField",
        "DateTimeField",
        "EnumField",
        "Field",
        "FloatField",
        "IntField",
        "NumberField",
        "StringField",
    ),
    "._filter_parser": (
        "FilterSyntaxError",
        "parse_filter",
    ),
    "._filter_render": ("render_filter",),
    "._jsonapi": (
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
    ),
    "._models": (
        "NOT_GIVEN",
        "UNKNOWN_STATE_TAG",
        "ApiModel",
        "NotGiven",
        "OpenEnum",
        "UnknownState",
        "lenient_enums",
        "state_union_discriminator",
    ),
    "._pagination": (
        "DEFAULT_PAGE_SIZE",
        "AsyncPaginator",
        "Page",
        "PaginationWarning",
        "Paginator",
        "filter_param",
        "links_next_hint",
        "page_params",
        "same_origin_link",
    ),
    "._product_client": (
        "AsyncBaseClient",
        "BaseClient",
    ),
    "._references": (
        "NO_PRODUCT",
        "InvalidReferenceError",
        "Reference",
    ),
    "._resources": (
        "AsyncResource",
        "EntityType",
        "FilterArg",
        "Headers",
        "Query",
        "SyncResource",
        "require_id",
    ),
    "._paths": ("path_id",),
    "._response": ("RawResponse",),
    "._upload": (
        "DocumentUploadError",
        "FileSource",
        "upload_document",
        "upload_document_async",
    ),
    "._webhooks": (
        "SIGNATURE_HEADER",
        "Notification",
        "WebhookApp",
        "WebhookSignatureError",
        "handle_notification",
        "handle_notification_sync",
        "parse_notification",
        "verify_signature",
    ),
}
_LAZY_MODULES: _Dict[str, str] = {name: home for home, names in _HOMES.items() for name in names}
# Names exported under another name than their module's.
_RENAMED: _Dict[str, str] = {"render_filter": "render"}


def __getattr__(name: str) -> _Any:
    module = _LAZY_MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(module, __name__), _RENAMED.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> _List[str]:
    return sorted(set(globals()) | set(__all__))
