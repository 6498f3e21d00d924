"""The package's public surface: ``__all__`` is complete and exact (httpx's
tests/test_exported_members.py idea), and every sync public class has an async twin whose
public methods have the same names and signatures (modulo ``async``)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType
from typing import Any, Dict, FrozenSet, List, Tuple

import pytest

import thg_connect_core

# Names a private module lists in its ``__all__`` for sibling modules, not for users.
INTERNAL: Dict[str, FrozenSet[str]] = {
    "_auth": frozenset({"TokenState", "TOKEN_REQUEST_EXTENSION"}),
    "_body": frozenset({"CHUNK_SIZE", "FileBody", "RequestStream"}),
    "_multipart": frozenset({"MultipartBody"}),
    "_lenient": frozenset({"lenient_decode", "lenient_value"}),
    "_environments": frozenset({"check_token_url"}),
    "_call": frozenset({"Body", "Call", "Params", "USER_AGENT", "logger"}),
    "_datetime": frozenset({"to_utc"}),
    "_filter_ast": frozenset(
        {"OPERATORS", "KEYWORDS", "normalise_value", "parse_filter_datetime", "validate_field_name"}
    ),
    # exported as render_filter (a bare "render" would be ambiguous at package level)
    "_filter_render": frozenset({"render", "render_value"}),
    "_retry": frozenset(
        {
            "IDEMPOTENT_METHODS",
            "RATE_LIMIT_WAIT",
            "RETRY_STATUSES",
            "backoff_delay",
            "next_delay",
            "parse_retry_after",
            "provably_unsent",
            "should_retry",
        }
    ),
}
RENAMED = {("_filter_render", "render"): "render_filter"}


def _private_modules() -> List[ModuleType]:
    names = [m.name for m in pkgutil.iter_modules(thg_connect_core.__path__)]
    assert names and all(n.startswith("_") for n in names), "public submodules are not expected"
    return [importlib.import_module(f"thg_connect_core.{n}") for n in sorted(names)]


def test_every_module_declares_all() -> None:
    for module in _private_modules():
        assert isinstance(getattr(module, "__all__", None), list), module.__name__


@pytest.mark.parametrize("module", _private_modules(), ids=lambda m: m.__name__)
def test_public_names_of_each_module_are_exported(module: ModuleType) -> None:
    short = module.__name__.rsplit(".", 1)[1]
    internal = INTERNAL.get(short, frozenset())
    assert internal <= set(module.__all__), f"stale INTERNAL entries for {short}"
    for name in module.__all__:
        if name in internal:
            assert name not in thg_connect_core.__all__ or (short, name) in RENAMED
            continue
        assert name in thg_connect_core.__all__, f"{short}.{name} is public but not exported"
        assert getattr(thg_connect_core, name) is getattr(module, name)
    for (mod, name), alias in RENAMED.items():
        if mod == short:
            assert getattr(thg_connect_core, alias) is getattr(module, name)


def test_all_is_exact() -> None:
    exported = thg_connect_core.__all__
    assert len(exported) == len(set(exported)), "duplicates in __all__"
    for name in exported:
        assert not name.startswith("_")
        assert hasattr(thg_connect_core, name), name
    public_in_namespace = {
        name
        for name, value in vars(thg_connect_core).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"
    }
    assert public_in_namespace == set(exported)


def test_exported_members_say_they_are_public() -> None:
    # like httpx: a class or function shown at package level names the package as its home
    # only through __all__; here it must at least come from the package itself
    for name in thg_connect_core.__all__:
        value = getattr(thg_connect_core, name)
        module = getattr(value, "__module__", None)
        if (inspect.isclass(value) or inspect.isfunction(value)) and module is not None:
            assert module.startswith("thg_connect_core."), (name, module)


# -- sync/async parity ---------------------------------------------------------------------------


def _twins() -> List[Tuple[str, str]]:
    """(sync, async) pairs by name: ``AsyncX`` pairs with ``SyncX`` or, failing that, ``X``."""
    classes = {n for n in thg_connect_core.__all__ if inspect.isclass(getattr(thg_connect_core, n))}
    pairs = []
    for name in sorted(classes):
        if name.startswith("Async"):
            base = name[len("Async") :]
            sync = f"Sync{base}" if f"Sync{base}" in classes else base
            assert sync in classes, f"{name} has no sync twin ({sync})"
            pairs.append((sync, name))
    return pairs


TWINS = _twins()
# Sync-only protocol methods and their async equivalents.
PROTOCOL_TWINS = {"__iter__": "__aiter__", "__enter__": "__aenter__", "__exit__": "__aexit__"}
# Methods one flavour has by design, per class: the blocking client handles one webhook body in
# any framework, the asyncio client gives an ASGI app (issue 17 kept the generated surface).
ONE_FLAVOUR_ONLY = {"BaseClient": {"handle_webhook"}, "AsyncBaseClient": {"webhook_app"}}


def test_every_sync_class_has_a_twin() -> None:
    twinned = {s for s, _ in TWINS}
    assert {"SyncAPIClient", "Paginator"} <= twinned
    for name in thg_connect_core.__all__:
        if inspect.isclass(getattr(thg_connect_core, name)) and name.startswith("Sync"):
            assert name in twinned, f"{name} has no async twin"


def _public_methods(cls: type) -> Dict[str, Any]:
    methods: Dict[str, Any] = {}
    for name, value in inspect.getmembers(cls):
        if (
            name.startswith("_")
            and name not in PROTOCOL_TWINS
            and name
            not in {
                "__aiter__",
                "__aenter__",
                "__aexit__",
                "__init__",
            }
        ):
            continue
        if callable(value) or isinstance(value, property):
            methods[name] = value
    return methods


def _signature(value: Any) -> inspect.Signature:
    if isinstance(value, property):
        assert value.fget is not None
        value = value.fget
    return inspect.signature(value, eval_str=False)


def _strip_async(text: str) -> str:
    # annotations are strings (from __future__ import annotations); compare modulo sync/async
    for sync, asyn in [
        ("AsyncAPIClient", "SyncAPIClient"),
        ("AsyncPaginator", "Paginator"),
        ("AsyncEventConsumer", "EventConsumer"),
        ("httpx.AsyncClient", "httpx.Client"),
        ("AsyncIterator", "Iterator"),
        ("Awaitable[None]", "None"),
        ("Awaitable[Any]", "Any"),
        ("Awaitable[Page[T]]", "Page[T]"),
        ("asyncio.sleep", "time.sleep"),
    ]:
        text = text.replace(sync, asyn)
    return text


@pytest.mark.parametrize("sync_name, async_name", TWINS)
def test_twins_have_same_methods_and_signatures(sync_name: str, async_name: str) -> None:
    sync_cls = getattr(thg_connect_core, sync_name)
    async_cls = getattr(thg_connect_core, async_name)
    sync_methods = _public_methods(sync_cls)
    async_methods = _public_methods(async_cls)
    for name, methods in ((sync_name, sync_methods), (async_name, async_methods)):
        for only in ONE_FLAVOUR_ONLY.get(name, set()):
            del methods[only]
    expected = {PROTOCOL_TWINS.get(name, name) for name in sync_methods}
    assert set(async_methods) == expected
    for name, value in sync_methods.items():
        twin = async_methods[PROTOCOL_TWINS.get(name, name)]
        sync_sig = _signature(value)
        async_sig = _signature(twin)
        assert list(sync_sig.parameters) == list(async_sig.parameters), name
        for param in sync_sig.parameters.values():
            other = async_sig.parameters[param.name]
            assert param.kind == other.kind, (name, param.name)
            assert (param.default is inspect.Parameter.empty) == (
                other.default is inspect.Parameter.empty
            ), (name, param.name)
            if param.name not in ("sleep",):  # the injected sleeper's default differs by design
                assert _strip_async(repr(param.default)) == _strip_async(repr(other.default)), (
                    name,
                    param.name,
                )
            assert _strip_async(str(param.annotation)) == _strip_async(str(other.annotation)), (
                name,
                param.name,
            )
        assert _strip_async(str(sync_sig.return_annotation)) == _strip_async(
            str(async_sig.return_annotation)
        ), name
        is_async = inspect.iscoroutinefunction(twin) or inspect.isasyncgenfunction(twin)
        if name == "request" or name == "close":
            assert is_async, f"{async_name}.{name} must be async"


def test_async_functions_have_sync_twins() -> None:
    pairs = [
        (name[: -len("_async")], name)
        for name in thg_connect_core.__all__
        if name.endswith("_async") and inspect.isfunction(getattr(thg_connect_core, name))
    ]
    assert ("upload_document", "upload_document_async") in pairs
    for sync_name, async_name in pairs:
        sync_fn = getattr(thg_connect_core, sync_name)
        async_fn = getattr(thg_connect_core, async_name)
        assert inspect.iscoroutinefunction(async_fn) and not inspect.iscoroutinefunction(sync_fn)
        assert _strip_async(str(inspect.signature(sync_fn))) == _strip_async(
            str(inspect.signature(async_fn))
        )
