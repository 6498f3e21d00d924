"""The corpus of broken specs: each case is the valid `specs/valid/mini.yaml` with one edit.

`python -m tests.generator.broken_specs` rewrites `specs/broken/<case>/mini.yaml` and, with
`--update`, the `expected.txt` snapshot of `thg-codegen validate` beside it. The test
(`test_validate_corpus.py`) checks both are current and that each case reports its rule.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
VALID = HERE / "specs" / "valid" / "mini.yaml"
BROKEN = HERE / "specs" / "broken"

_LOOKUP_BLOCK = """  /api/mini/v1/{owner}/widget.check/{checkId}:
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
"""


@dataclass(frozen=True)
class Case:
    name: str
    rule: str
    edits: tuple[tuple[str, str], ...]


CASES: tuple[Case, ...] = (
    Case("invalid-yaml", "THG000", (("  version: 1.0.0", "  version: [1.0.0"),)),
    Case(
        "yaml-object-tag",
        "THG000",
        (
            (
                "  description: A small product that exercises every convention.",
                '  description: !!python/object/apply:os.system ["echo pwned"]',
            ),
        ),
    ),
    Case(
        "duplicate-key",
        "THG000",
        (
            (
                "      operationId: listWidgets\n",
                "      operationId: listWidgets\n      operationId: listAll\n",
            ),
        ),
    ),
    Case("product-mismatch", "THG001", (("x-thg-product: mini", "x-thg-product: other"),)),
    Case("product-missing", "THG001", (("  x-thg-product: mini\n", ""),)),
    Case(
        "dangling-ref",
        "THG002",
        (
            (
                "        attributes: {$ref: '#/components/schemas/Widget'}",
                "        attributes: {$ref: '#/components/schemas/Widgit'}",
            ),
        ),
    ),
    Case(
        "external-ref",
        "THG002",
        (
            (
                "            schema: {$ref: '#/components/schemas/TokenRequest'}",
                "            schema: {$ref: 'common.yaml#/components/schemas/TokenRequest'}",
            ),
        ),
    ),
    Case("openapi-structure", "THG003", (("'204': {description: Deleted.}", "'204': {}"),)),
    Case("openapi-version", "THG003", (("openapi: 3.1.0", "openapi: 3.0.3"),)),
    Case(
        "path-shape",
        "THG010",
        (
            (
                "  /api/mini/v1/{owner}/widget/{widgetId}/archive:",
                "  /mini/v1/{owner}/widget/{widgetId}/archive:",
            ),
        ),
    ),
    Case(
        "path-product",
        "THG010",
        (
            (
                "  /api/mini/v1/{owner}/widget.check/{checkId}:",
                "  /api/maxi/v1/{owner}/widget.check/{checkId}:",
            ),
        ),
    ),
    Case(
        "id-parameter-name",
        "THG011",
        (
            (
                "  /api/mini/v1/{owner}/widget/{widgetId}:\n    parameters:\n"
                "      - $ref: '#/components/parameters/Owner'\n      - {name: widgetId,",
                "  /api/mini/v1/{owner}/widget/{id}:\n    parameters:\n"
                "      - $ref: '#/components/parameters/Owner'\n      - {name: id,",
            ),
        ),
    ),
    Case(
        "path-parameter-undeclared",
        "THG011",
        (("      - {name: checkId, in: path, required: true, schema: {type: string}}\n", ""),),
    ),
    Case("owner-role", "THG020", (("owner: consumer", "owner: customer"),)),
    Case(
        "child-owner-self",  # a child may name only the other side of a partnership
        "THG020",
        (
            (
                "{name: widget.check, kind: status,",
                "{name: widget.check, kind: status, owner: self,",
            ),
        ),
    ),
    Case(
        "entity-undeclared",
        "THG021",
        (
            (
                "    x-thg-entity: {name: widget.check, kind: status, writer: provider, "
                "schema: '#/components/schemas/Check'}\n",
                "",
            ),
        ),
    ),
    Case("entity-name", "THG021", (("name: widget.check,", "name: widget.status,"),)),
    Case(
        "patch-operation",
        "THG022",
        (
            (
                "    delete:\n      operationId: deleteWidget",
                "    patch:\n      operationId: patchWidget\n      summary: Patch a widget\n"
                "      description: Partial update.\n      responses:\n"
                "        '200': {$ref: '#/components/responses/WidgetOne'}\n"
                "        '404': {$ref: '#/components/responses/Error'}\n"
                "    delete:\n      operationId: deleteWidget",
            ),
        ),
    ),
    Case("status-discriminator", "THG023", (("propertyName: state", "propertyName: kind"),)),
    Case("status-state-const", "THG023", (("state: {const: FAILED}", "state: {const: FAIL}"),)),
    Case(
        "reference-target",
        "THG024",
        (("x-thg-reference-to: 'mini:widget'", "x-thg-reference-to: 'mini:gadget'"),),
    ),
    Case("action-name", "THG025", (("x-thg-action: archive", "x-thg-action: Archive-Now"),)),
    Case("lookup-missing", "THG026", ((_LOOKUP_BLOCK, ""),)),
    Case(
        "values-declared",
        "THG029",
        (
            (
                "  /api/mini/v1/{owner}/widget/{widgetId}/archive:\n",
                "  /api/mini/v1/{owner}/widget/{widgetId}/check/_values:\n"
                "    parameters:\n"
                "      - $ref: '#/components/parameters/Owner'\n"
                "      - {name: widgetId, in: path, required: true, schema: {type: string}}\n"
                "    get:\n"
                "      operationId: listWidgetCheckValues\n"
                "      summary: The check's states\n"
                "      description: Implied by the convention, so refused when declared.\n"
                "      responses:\n"
                "        '200': {$ref: '#/components/responses/CheckOne'}\n"
                "        '404': {$ref: '#/components/responses/Error'}\n"
                "  /api/mini/v1/{owner}/widget/{widgetId}/archive:\n",
            ),
        ),
    ),
    Case(
        "success-not-jsonapi",
        "THG030",
        (
            (
                "              data: {$ref: '#/components/schemas/WidgetResource'}",
                "              item: {$ref: '#/components/schemas/WidgetResource'}",
            ),
        ),
    ),
    Case(
        "error-not-jsonapi",
        "THG031",
        (
            (
                "        errors: {type: array, items: {type: object}}",
                "        problems: {type: array, items: {type: object}}",
            ),
        ),
    ),
    Case(
        "list-parameters", "THG040", (("        - $ref: '#/components/parameters/Filter'\n", ""),)
    ),
    Case("security", "THG050", (("security:\n  - oauth2: []\npaths:", "security: []\npaths:"),)),
    Case("operation-description", "THG060", (("      summary: Get a widget\n", ""),)),
    Case("example-mismatch", "THG070", (("attributes: {name: Gear}", "attributes: {name: ''}"),)),
    Case(
        "operation-id-duplicate",
        "THG060",
        (("operationId: getWidgetCheck", "operationId: getWidget"),),
    ),
    # Issue 12: mistakes that passed validation when a product spec was written from CONVENTIONS.
    Case(
        "enum-yaml-words",
        "THG027",
        (
            (
                "        name: {type: string, minLength: 1}\n",
                "        name: {type: string, minLength: 1}\n"
                "        answer: {type: string, enum: [YES, NO, on, off, null, MAYBE]}\n",
            ),
        ),
    ),
    Case(
        "enum-not-string",
        "THG027",
        (
            (
                "        name: {type: string, minLength: 1}\n",
                "        name: {type: string, minLength: 1}\n"
                "        size:\n          type: string\n          enum:\n            - 1\n"
                "            - a\n",
            ),
        ),
    ),
    Case(
        "pattern-python39",
        "THG027",
        (
            (
                "        name: {type: string, minLength: 1}\n",
                "        name: {type: string, minLength: 1, pattern: '^[A-Za-z]++$'}\n"
                "        code: {type: string, pattern: '^(?>[A-Z]{2})-[0-9]+$'}\n",
            ),
        ),
    ),
    Case(
        "entity-not-object",
        "THG021",
        (
            (
                "owner: consumer, schema: '#/components/schemas/Widget'}",
                "owner: consumer, schema: '#/components/schemas/WidgetName'}",
            ),
            ("  schemas:\n", "  schemas:\n    WidgetName: {type: string}\n"),
        ),
    ),
    Case(
        "status-mapping-incomplete",
        "THG023",
        (("          FAILED: '#/components/schemas/CheckFailed'\n", ""),),
    ),
    Case("status-state-case", "THG023", (("PASSED: '#/components", "Passed: '#/components"),)),
    Case(
        "reference-format-missing",
        "THG024",
        (
            (
                "related: {type: string, format: thg-reference, x-thg-reference-to: 'mini:widget'}",
                "related: {type: string, x-thg-reference-to: 'mini:widget'}",
            ),
        ),
    ),
    Case(
        "status-item-path",
        "THG022",
        (
            (
                "  /api/mini/v1/{owner}/widget/{widgetId}/archive:\n",
                "  /api/mini/v1/{owner}/widget/{widgetId}/check/{checkId}:\n"
                "    parameters:\n"
                "      - $ref: '#/components/parameters/Owner'\n"
                "      - {name: widgetId, in: path, required: true, schema: {type: string}}\n"
                "      - {name: checkId, in: path, required: true, schema: {type: string}}\n"
                "    get:\n"
                "      operationId: getWidgetCheckById\n"
                "      summary: Get a check by id\n"
                "      description: Not a thing a status has.\n"
                "      responses:\n"
                "        '200': {$ref: '#/components/responses/CheckOne'}\n"
                "        '404': {$ref: '#/components/responses/Error'}\n"
                "  /api/mini/v1/{owner}/widget/{widgetId}/archive:\n",
            ),
        ),
    ),
    Case("product-name-case", "THG001", (("x-thg-product: mini", "x-thg-product: Mini"),)),
    Case("product-name-digit", "THG001", (("x-thg-product: mini", "x-thg-product: 9-mini"),)),
)


def render(case: Case) -> str:
    text = VALID.read_text(encoding="utf-8")
    for old, new in case.edits:
        if text.count(old) != 1:
            raise ValueError(f"{case.name}: the edit's anchor occurs {text.count(old)} times")
        text = text.replace(old, new)
    return text


def case_dir(case: Case) -> Path:
    return BROKEN / case.name


def write_all(update_expected: bool) -> None:
    from click.testing import CliRunner

    from thg_codegen.cli import main

    for case in CASES:
        folder = case_dir(case)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "mini.yaml").write_text(render(case), encoding="utf-8")
        if update_expected:
            result = CliRunner().invoke(
                main, ["validate", str(folder.relative_to(Path.cwd()) / "mini.yaml")]
            )
            (folder / "expected.txt").write_text(result.stdout, encoding="utf-8")


if __name__ == "__main__":
    write_all(update_expected="--update" in sys.argv)
