"""The corpus of spec pairs for `thg-codegen diff`: one pair per classification rule.

Every pair starts from `specs/valid/mini.yaml` plus `BASE` (a few fields with read-only,
write-only, numeric and enum shapes, so that direction-dependent rules have something to act on);
NEW is OLD with the case's edits. `python -m tests.generator.diff_specs` rewrites
`specs/diff/<case>/{old,new}/*.yaml`; with `--update` also the `expected.json` report beside them.
The test (`test_diff_corpus.py`) checks the files are current, the report equals the snapshot and
its (category, kind) pairs are exactly the ones the case states here.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
VALID = HERE / "specs" / "valid" / "mini.yaml"
CORPUS = HERE / "specs" / "diff"

B, N, D = "breaking", "non-breaking", "docs"
Edit = tuple[str, str]

_RELATED = (
    "        related: {type: string, format: thg-reference, x-thg-reference-to: 'mini:widget'}\n"
)
BASE: tuple[Edit, ...] = (
    (
        _RELATED,
        _RELATED
        + "        weight: {type: number, minimum: 0, maximum: 1000}\n"
        + "        size: {type: string, enum: [S, M, L]}\n"
        + "        createdBy: {type: string, readOnly: true, maxLength: 50}\n"
        + "        score: {type: number, readOnly: true}\n"
        + "        secret: {type: string, writeOnly: true, maxLength: 50}\n"
        + "        primary: {$ref: '#/components/schemas/Colour'}\n"
        + "        secondary: {$ref: '#/components/schemas/Colour'}\n",
    ),
    (
        "    WidgetResource:\n",
        "    Colour: {type: string, enum: [RED, BLUE]}\n    WidgetResource:\n",
    ),
    (
        "      description: One widget by id.\n",
        "      description: One widget by id.\n"
        + "      parameters:\n"
        + "        - {name: fields, in: query, schema: {type: string, default: all}}\n",
    ),
)

# Cut from and pasted into mini.yaml verbatim, so its lines are the spec's (E501 cannot apply).
_CHECK_BLOCK = """  /api/mini/v1/{owner}/widget/{widgetId}/check:
    x-thg-entity: {name: widget.check, kind: status, writer: provider, schema: '#/components/schemas/Check'}
    parameters:
      - $ref: '#/components/parameters/Owner'
      - {name: widgetId, in: path, required: true, schema: {type: string}}
    get:
      operationId: getWidgetCheck
      summary: Get the check
      description: The widget's check status.
      responses:
        '200': {$ref: '#/components/responses/CheckOne'}
        '404': {$ref: '#/components/responses/Error'}
    post:
      operationId: setWidgetCheck
      summary: Set the check
      description: Sets the widget's check status.
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/CheckRequest'}
      responses:
        '201': {$ref: '#/components/responses/CheckOne'}
        '409': {$ref: '#/components/responses/Error'}
  /api/mini/v1/{owner}/widget.check/{checkId}:
    parameters:
      - $ref: '#/components/parameters/Owner'
      - {name: checkId, in: path, required: true, schema: {type: string}}
    get:
      operationId: lookupWidgetCheck
      summary: Look up a check
      description: A check by its reference.
      responses:
        '200': {$ref: '#/components/responses/CheckOne'}
        '404': {$ref: '#/components/responses/Error'}
"""  # noqa: E501
_ARCHIVE = "  /api/mini/v1/{owner}/widget/{widgetId}/archive:\n"
_CHECK_DELETE = """        '409': {$ref: '#/components/responses/Error'}
    delete:
      operationId: deleteWidgetCheck
      summary: Clear the check
      description: Removes the widget's check status.
      responses:
        '204': {description: Cleared.}
        '404': {$ref: '#/components/responses/Error'}
  /api/mini/v1/{owner}/widget.check/{checkId}:"""
_WIDGET_DELETE = """    delete:
      operationId: deleteWidget
      summary: Delete a widget
      description: Deletes it and its children.
      responses:
        '204': {description: Deleted.}
        '404': {$ref: '#/components/responses/Error'}
"""
_FAILED_STATE = """    CheckFailed:
      type: object
      required: [state, reason]
      properties:
        state: {const: FAILED}
        reason: {type: string}
"""


@dataclass(frozen=True)
class DiffCase:
    name: str
    expect: frozenset[tuple[str, str]]  # exactly the (category, kind) pairs of the report
    edits: tuple[Edit, ...] = ()  # OLD -> NEW
    before: tuple[Edit, ...] = ()  # BASE -> OLD, when a case needs a different start
    old_products: tuple[str, ...] = ("mini",)
    new_products: tuple[str, ...] = ("mini",)


def _case(name: str, expect: set[tuple[str, str]], *edits: Edit, **kw: tuple[Any, ...]) -> DiffCase:
    return DiffCase(name, frozenset(expect), tuple(edits), **kw)


CASES: tuple[DiffCase, ...] = (
    _case("product-removed", {(B, "product-removed")}, old_products=("mini", "maxi")),
    _case("product-added", {(N, "product-added")}, new_products=("mini", "maxi")),
    _case(
        "server-changed",
        {(B, "server-changed")},
        ("  - url: https://api.example.test", "  - url: https://api.example.test/v2"),
    ),
    _case("entity-removed", {(B, "entity-removed")}, (_CHECK_BLOCK, "")),
    _case(
        "entity-added",
        {(N, "entity-added")},
        (_ARCHIVE, _CHECK_BLOCK + _ARCHIVE),
        before=((_CHECK_BLOCK, ""),),
    ),
    _case(
        "operation-method-changed",
        {(B, "operation-method-changed")},
        (
            "    post:\n      operationId: archiveWidget",
            "    put:\n      operationId: archiveWidget",
        ),
    ),
    _case(
        "owner-direction-changed",
        # the widget's writer is its owner, so it moves too; the status inherits the owner
        {(B, "owner-direction-changed"), (B, "writer-changed")},
        ("owner: consumer", "owner: provider"),
    ),
    _case("writer-changed", {(B, "writer-changed")}, ("writer: provider", "writer: consumer")),
    _case(
        "id-source-changed",
        {(B, "id-source-changed")},
        ("kind: entity, owner: consumer,", "kind: entity, owner: consumer, idSource: client,"),
    ),
    _case("operation-removed", {(B, "operation-removed")}, (_WIDGET_DELETE, "")),
    _case(
        "operation-added",
        {(N, "operation-added")},
        (
            "        '409': {$ref: '#/components/responses/Error'}\n"
            "  /api/mini/v1/{owner}/widget.check/{checkId}:",
            _CHECK_DELETE,
        ),
    ),
    _case(
        "operation-path-changed",
        {(B, "operation-path-changed")},
        ("{widgetId}/archive:", "{widgetId}/move-to-archive:"),
    ),
    _case(
        "state-removed",
        {(B, "state-removed"), (B, "model-removed")},
        ("          FAILED: '#/components/schemas/CheckFailed'\n", ""),
        ("        - $ref: '#/components/schemas/CheckFailed'\n", ""),
        (_FAILED_STATE, ""),
    ),
    _case(
        "state-added",
        {(N, "state-added"), (N, "model-added")},
        (
            "          FAILED: '#/components/schemas/CheckFailed'\n",
            "          FAILED: '#/components/schemas/CheckFailed'\n"
            "          PENDING: '#/components/schemas/CheckPending'\n",
        ),
        (
            "        - $ref: '#/components/schemas/CheckFailed'\n",
            "        - $ref: '#/components/schemas/CheckFailed'\n"
            "        - $ref: '#/components/schemas/CheckPending'\n",
        ),
        (
            _FAILED_STATE,
            _FAILED_STATE
            + "    CheckPending:\n      type: object\n      required: [state]\n"
            + "      properties:\n        state: {const: PENDING}\n",
        ),
    ),
    _case(
        "model-renamed",
        # the archive action returns the entity's model, so its response type changes too
        {
            (B, "entity-model-changed"),
            (B, "model-removed"),
            (N, "model-added"),
            (B, "type-changed"),
        },
        ("schemas/Widget'", "schemas/Gadget'"),
        ("    Widget:\n", "    Gadget:\n"),
    ),
    _case("field-removed", {(B, "field-removed")}, (_RELATED, "")),
    _case(
        "field-renamed",
        {(B, "field-removed"), (N, "field-added")},
        ("        related: {", "        relatedWidget: {"),
    ),
    _case(
        "field-added-optional",
        {(N, "field-added")},
        (_RELATED, _RELATED + "        colour: {type: string}\n"),
    ),
    _case(
        "field-added-required",
        {(B, "field-added-required")},
        (_RELATED, _RELATED + "        colour: {type: string}\n"),
        ("      required: [name]\n", "      required: [name, colour]\n"),
        ("attributes: {name: Gear}", "attributes: {name: Gear, colour: red}"),
    ),
    _case(
        "field-added-required-response-only",
        {(N, "field-added")},
        (_RELATED, _RELATED + "        revision: {type: integer, readOnly: true}\n"),
        ("      required: [name]\n", "      required: [name, revision]\n"),
        ("attributes: {name: Gear}", "attributes: {name: Gear, revision: 1}"),
    ),
    _case(
        "field-became-required",
        {(B, "field-became-required")},
        ("      required: [name]\n", "      required: [name, related]\n"),
        ("attributes: {name: Gear}", "attributes: {name: Gear, related: 'thg:mini:widget#o@w-2'}"),
    ),
    _case(
        "field-became-optional",
        {(B, "field-became-optional")},
        ("      required: [name]\n", ""),
    ),
    _case(
        # a parameter is only ever sent: relaxing it is safe (the response-side twin above is not)
        "parameter-became-optional",
        {(N, "parameter-became-optional")},
        (
            "in: query, required: true, schema: {type: string, default: all}",
            "in: query, schema: {type: string, default: all}",
        ),
        before=(
            (
                "in: query, schema: {type: string, default: all}",
                "in: query, required: true, schema: {type: string, default: all}",
            ),
        ),
    ),
    _case(
        "field-became-nullable",
        {(B, "field-became-nullable")},
        ("name: {type: string, minLength: 1}", "name: {type: [string, 'null'], minLength: 1}"),
    ),
    _case(
        "field-no-longer-accepted",
        {(B, "field-no-longer-accepted")},
        (
            "x-thg-reference-to: 'mini:widget'}",
            "x-thg-reference-to: 'mini:widget', readOnly: true}",
        ),
    ),
    _case(
        "type-narrowed",
        {(B, "type-narrowed")},
        ("weight: {type: number,", "weight: {type: integer,"),
    ),
    _case(
        "type-narrowed-response-only",
        {(N, "type-narrowed")},
        ("score: {type: number,", "score: {type: integer,"),
    ),
    _case(
        "type-widened",
        {(B, "type-widened")},
        ("weight: {type: number,", "weight: {type: [number, string],"),
    ),
    _case(
        "field-no-longer-returned",
        {(B, "field-no-longer-returned")},
        (
            "x-thg-reference-to: 'mini:widget'}",
            "x-thg-reference-to: 'mini:widget', writeOnly: true}",
        ),
    ),
    _case(
        "field-became-non-nullable",
        {(B, "field-became-non-nullable")},
        ("name: {type: [string, 'null'], minLength: 1}", "name: {type: string, minLength: 1}"),
        before=(
            ("name: {type: string, minLength: 1}", "name: {type: [string, 'null'], minLength: 1}"),
        ),
    ),
    _case(
        # a read-only field, yet a new Python type (str -> datetime) breaks its readers' code
        "format-changes-python-type",
        {(B, "type-changed")},
        (
            "createdBy: {type: string, readOnly: true,",
            "createdBy: {type: string, format: date-time, readOnly: true,",
        ),
    ),
    _case(
        "reference-targets-widened",
        {(B, "constraint-loosened")},
        (
            "x-thg-reference-to: 'mini:widget'}",
            "x-thg-reference-to: ['mini:widget', 'mini:widget.check']}",
        ),
    ),
    _case(
        "type-changed",
        {(B, "type-changed")},
        ("weight: {type: number, minimum: 0, maximum: 1000}", "weight: {type: string}"),
    ),
    _case(
        "constraint-tightened",
        {(B, "constraint-tightened")},
        ("name: {type: string, minLength: 1}", "name: {type: string, minLength: 3}"),
    ),
    _case(
        "constraint-tightened-exclusive",
        {(B, "constraint-tightened")},
        ("minimum: 0, maximum: 1000", "exclusiveMinimum: 0, maximum: 1000"),
    ),
    _case(
        "pattern-added",
        {(B, "constraint-tightened")},
        ("minLength: 1}", "minLength: 1, pattern: '^[A-Z]'}"),
    ),
    _case(
        "constraint-tightened-response-only",
        {(N, "constraint-tightened")},
        ("readOnly: true, maxLength: 50", "readOnly: true, maxLength: 20"),
    ),
    _case(
        "constraint-loosened",
        {(B, "constraint-loosened")},
        ("minimum: 0, maximum: 1000", "minimum: 0, maximum: 5000"),
    ),
    _case(
        "constraint-loosened-request-only",
        {(N, "constraint-loosened")},
        ("writeOnly: true, maxLength: 50", "writeOnly: true, maxLength: 100"),
    ),
    _case(
        "constraint-loosened-parameter",
        {(N, "constraint-loosened")},
        ("minimum: 1, maximum: 100, default: 10", "minimum: 1, maximum: 200, default: 10"),
    ),
    _case(
        # an enum model used by two fields is one change, at the model
        "enum-model-value-removed",
        {(B, "enum-value-removed")},
        ("enum: [RED, BLUE]", "enum: [RED]"),
    ),
    _case("enum-value-removed", {(B, "enum-value-removed")}, ("enum: [S, M, L]", "enum: [S, M]")),
    _case(
        "enum-value-added", {(N, "enum-value-added")}, ("enum: [S, M, L]", "enum: [S, M, L, XL]")
    ),
    _case(
        "parameter-removed",
        {(B, "parameter-removed")},
        (
            "      parameters:\n"
            "        - {name: fields, in: query, schema: {type: string, default: all}}\n",
            "",
        ),
    ),
    _case(
        "parameter-became-required",
        {(B, "parameter-became-required")},
        ("{name: fields, in: query, schema:", "{name: fields, in: query, required: true, schema:"),
    ),
    _case(
        "parameter-added",
        {(N, "parameter-added")},
        (
            "        - {name: fields, in: query, schema: {type: string, default: all}}\n",
            "        - {name: fields, in: query, schema: {type: string, default: all}}\n"
            "        - {name: include, in: query, schema: {type: string}}\n",
        ),
    ),
    _case(
        "parameter-added-required",
        {(B, "parameter-added-required")},
        (
            "        - {name: fields, in: query, schema: {type: string, default: all}}\n",
            "        - {name: fields, in: query, schema: {type: string, default: all}}\n"
            "        - {name: include, in: query, required: true, schema: {type: string}}\n",
        ),
    ),
    _case(
        "default-changed",
        {(N, "default-changed")},
        ("default: all}", "default: none}"),
    ),
    # Additions that take a Python name an existing thing had (issue 17): the spec-level surface
    # sees only an addition; the generated client's names moved.
    _case(
        "action-takes-accessor-name",
        {(N, "operation-added"), (B, "name-changed"), (B, "name-rebound")},
        (
            _ARCHIVE,
            "  /api/mini/v1/{owner}/widget/{widgetId}/run-check:\n"
            "    parameters:\n"
            "      - $ref: '#/components/parameters/Owner'\n"
            "      - {name: widgetId, in: path, required: true, schema: {type: string}}\n"
            "    post:\n"
            "      operationId: runWidgetCheck\n"
            "      x-thg-action: check\n"
            "      summary: Run the check\n"
            "      description: Starts the widget's check.\n"
            "      responses:\n"
            "        '200': {$ref: '#/components/responses/WidgetOne'}\n"
            "        '404': {$ref: '#/components/responses/Error'}\n" + _ARCHIVE,
        ),
    ),
    _case(
        "field-added-takes-python-name",
        {(N, "field-added"), (B, "name-changed"), (B, "name-rebound")},
        (
            "        ReasonCode: {type: string}\n",
            "        ReasonCode: {type: string}\n        reason_code: {type: string}\n",
        ),
        before=(
            (
                "        name: {type: string, minLength: 1}\n",
                "        name: {type: string, minLength: 1}\n        ReasonCode: {type: string}\n",
            ),
        ),
    ),
    _case(
        "docs-only",
        {(D, "docs-changed")},
        ("      summary: List widgets\n", "      summary: List all widgets\n"),
        ("      description: One widget by id.\n", "      description: One widget, by its id.\n"),
        (
            "name: {type: string, minLength: 1}",
            "name: {type: string, minLength: 1, description: Shown on labels., examples: [Gear]}",
        ),
        ("  description: A small product", "  description: A tiny product"),
    ),
)


def _apply(text: str, edits: tuple[Edit, ...], case: str) -> str:
    for old, new in edits:
        if text.count(old) != 1 and not old.startswith("schemas/"):
            raise ValueError(f"{case}: the edit's anchor {old!r} occurs {text.count(old)} times")
        text = text.replace(old, new)
    return text


def _as_product(text: str, product: str) -> str:
    return re.sub(r"\bmini\b", product, text).replace("Mini product", f"{product} product")


def render(case: DiffCase) -> dict[str, dict[str, str]]:
    """{"old": {file name: text}, "new": {...}} for one case."""
    old = _apply(VALID.read_text(encoding="utf-8"), BASE + case.before, case.name)
    new = _apply(old, case.edits, case.name)
    return {
        side: {f"{p}.yaml": _as_product(text, p) for p in products}
        for side, text, products in (
            ("old", old, case.old_products),
            ("new", new, case.new_products),
        )
    }


def case_dir(case: DiffCase) -> Path:
    return CORPUS / case.name


def write_all(update_expected: bool) -> None:
    from thg_codegen.diff import diff_products, load_source
    from thg_codegen.diff.report import as_json

    for case in CASES:
        folder = case_dir(case)
        for side, files in render(case).items():
            (folder / side).mkdir(parents=True, exist_ok=True)
            for stale in (folder / side).glob("*.yaml"):
                if stale.name not in files:
                    stale.unlink()
            for name, text in files.items():
                (folder / side / name).write_text(text, encoding="utf-8")
        if update_expected:
            where = folder.relative_to(Path.cwd())
            old, new = str(where / "old"), str(where / "new")
            report = as_json(diff_products(load_source(old), load_source(new)), old, new)
            (folder / "expected.json").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    write_all(update_expected="--update" in sys.argv)
