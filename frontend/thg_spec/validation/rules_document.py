"""Document-wide rules: product name and one document per product (THG001), security (THG050),
descriptions (THG060)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import conventions as cv
from .. import pointer as jp
from ..diagnostics import Diagnostic
from ..spec_index import SpecIndex, operations
from .context import RuleContext


def check_inferred(ctx: RuleContext) -> list[Diagnostic]:
    """What inference could not decide about a published document (inference.py): each names the
    hint that would decide it, as a warning with the stated default or an error (CONVENTIONS §16).
    """
    return list(ctx.index.notes)


def check_one_document_per_product(indexes: Sequence[SpecIndex]) -> list[Diagnostic]:
    """THG001 across documents: specs read together (a folder, or the files named) describe
    each product once. Two documents of one product would become two packages (`thg_fulfil`,
    `thg_fulfil_`) and two sets of routes of which the sandbox keeps one; so each of them is an
    error naming the others (CONVENTIONS §16)."""
    by_product: dict[str, list[SpecIndex]] = {}
    for index in indexes:
        if index.product:
            by_product.setdefault(index.product, []).append(index)
    problems: list[Diagnostic] = []
    for product, group in by_product.items():
        if len(group) < 2:
            continue
        for index in group:
            others = ", ".join(
                _display(other.spec.path, index.spec.path) for other in group if other is not index
            )
            problems.append(
                index.spec.diagnostic(
                    "/info",
                    "THG001",
                    f"product {product!r} is also described by {others}: one folder holds one "
                    "document per product",
                    "Keep only one of these documents in the folder, or merge them: "
                    f"'thg-codegen overlay {index.spec.path.name} --merge <the other>' keeps "
                    "this one as downloaded and adds the other's paths and schemas through an "
                    "overlay beside it (CONVENTIONS §16); then move the other out",
                )
            )
    return problems


def _display(path: Path, beside: Path) -> str:
    """A file's name, with its folder when it is not beside the other."""
    return path.name if path.parent == beside.parent else str(path)


def check_product(ctx: RuleContext) -> list[Diagnostic]:
    if ctx.index.dialect == "published":
        # The name is inferred (paths, file name, servers, info.title); inference says when it
        # cannot be, and `info.x-thg-product` is a hint there, not a requirement.
        return []
    info = ctx.data.get("info")
    product = info.get(cv.PRODUCT_EXTENSION) if isinstance(info, dict) else None
    stem = ctx.spec.path.stem
    if not isinstance(product, str):
        return [
            ctx.spec.diagnostic(
                "/info", "THG001", f"info has no {cv.PRODUCT_EXTENSION}", _missing_hint(stem)
            )
        ]
    where = jp.join("info", cv.PRODUCT_EXTENSION)
    if not cv.KEBAB.fullmatch(product):
        better = cv.suggestion(product, cv.as_kebab(product), cv.KEBAB)
        return [
            ctx.spec.diagnostic(
                where,
                "THG001",
                f"product name {product!r} is not kebab case",
                f"Write it in kebab case: {better}" if better else _KEBAB_WORDING,
            )
        ]
    if product != stem:
        hint = f"Rename the file to {product}.yaml"
        if cv.KEBAB.fullmatch(stem):
            hint += f" or the product to {stem}"
        return [
            ctx.spec.diagnostic(
                where,
                "THG001",
                f"product {product!r} does not match the file name {ctx.spec.path.name!r}",
                hint,
            )
        ]
    return []


_KEBAB_WORDING = (
    "Use lower-case words and digits joined by hyphens, starting with a letter, e.g. thg-fulfil"
)


def _missing_hint(stem: str) -> str:
    """Suggest the file's name as the product only when the next run would accept it."""
    if cv.KEBAB.fullmatch(stem):
        return f"Add '{cv.PRODUCT_EXTENSION}: {stem}' (the product name, as in its paths)"
    better = cv.suggestion(stem, cv.as_kebab(stem), cv.KEBAB)
    if better:
        return f"Add '{cv.PRODUCT_EXTENSION}: {better}' and rename the file to {better}.yaml"
    return (
        f"Add '{cv.PRODUCT_EXTENSION}: <product>' (kebab case, as in its paths) and name the "
        "file <product>.yaml"
    )


def _oauth2_client_credentials_schemes(ctx: RuleContext) -> set[str]:
    components = ctx.data.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    found = set()
    for name, scheme in (schemes or {}).items():
        scheme = ctx.resolve(scheme)
        if (
            isinstance(scheme, dict)
            and scheme.get("type") == "oauth2"
            and isinstance(scheme.get("flows"), dict)
            and "clientCredentials" in scheme["flows"]
        ):
            found.add(name)
    return found


def _requires(requirements: Any, schemes: set[str]) -> bool:
    return isinstance(requirements, list) and any(
        isinstance(r, dict) and schemes.intersection(r) for r in requirements
    )


def check_security(ctx: RuleContext) -> list[Diagnostic]:
    if ctx.index.dialect == "published":
        # The platform's documents declare an HTTP bearer scheme with no token URL: the client
        # still sends its token on every call, and inference warns that the token URL comes from
        # the client's configuration (THG050 in check_inferred).
        return []
    schemes = _oauth2_client_credentials_schemes(ctx)
    problems = []
    if not schemes:
        problems.append(
            ctx.spec.diagnostic(
                "/components",
                "THG050",
                "no OAuth2 security scheme with a clientCredentials flow",
                "Add components.securitySchemes.oauth2 (type oauth2, flows.clientCredentials "
                "with the tokenUrl)",
            )
        )
    document_level = _requires(ctx.data.get("security"), schemes)
    for path, shape in ctx.index.shapes.items():
        if shape.kind == "token":
            continue
        for method, op in operations(ctx.data["paths"][path]):
            if "security" in op:
                ok = _requires(op["security"], schemes)
            else:
                ok = document_level
            if not ok and schemes:
                problems.append(
                    ctx.spec.diagnostic(
                        jp.join("paths", path, method),
                        "THG050",
                        "the operation does not require the OAuth2 client-credentials scheme",
                        "Declare 'security: [{oauth2: []}]' on the document or the operation",
                    )
                )
    return problems


def check_descriptions(ctx: RuleContext) -> list[Diagnostic]:
    if ctx.index.dialect == "published":
        # Names come from the paths, never from FastAPI's operation ids, and a missing summary
        # only leaves a docstring shorter: nothing here protects the client.
        return []
    problems = []
    seen: dict[str, str] = {}
    paths = ctx.data.get("paths")
    for path, item in (paths if isinstance(paths, dict) else {}).items():
        for method, op in operations(item):
            where = jp.join("paths", path, method)
            op_id = op.get("operationId")
            if not isinstance(op_id, str) or not op_id:
                problems.append(
                    ctx.spec.diagnostic(
                        where,
                        "THG060",
                        "the operation has no operationId",
                        "Add a unique lowerCamel operationId, e.g. listInventoryItems",
                    )
                )
            elif op_id in seen:
                problems.append(
                    ctx.spec.diagnostic(
                        jp.child(where, "operationId"),
                        "THG060",
                        f"operationId {op_id!r} is already used at {seen[op_id]}",
                        "Give each operation its own operationId",
                    )
                )
            else:
                seen[op_id] = where
            for key in ("summary", "description"):
                text = op.get(key)
                if not isinstance(text, str) or not text.strip():
                    problems.append(
                        ctx.spec.diagnostic(
                            where,
                            "THG060",
                            f"the operation has no {key}",
                            f"Add a {key}: it becomes the method's docstring and the API reference",
                        )
                    )
    return problems
