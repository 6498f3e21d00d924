"""THG028: `x-thg-unique: true` marks a business key, on a property of an entity's attributes."""

from __future__ import annotations

from pathlib import Path

import pytest

from thg_spec.validation import validate_paths

from .broken_specs import VALID

NAME = "        name: {type: string, minLength: 1}"


def _thg028(tmp_path: Path, *edits: tuple[str, str]) -> list[str]:
    text = VALID.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    return [f"{d.pointer}: {d.message}" for d in validate_paths([path])[1] if d.rule == "THG028"]


def test_a_key_on_an_entity_property_is_valid(tmp_path: Path) -> None:
    marked = "        name: {type: string, minLength: 1, x-thg-unique: true}"
    assert _thg028(tmp_path, (NAME, marked)) == []
    unmarked = "        name: {type: string, minLength: 1, x-thg-unique: false}"
    assert _thg028(tmp_path, (NAME, unmarked)) == []


@pytest.mark.parametrize(
    ("name", "edit", "says"),
    [
        (
            "not-a-boolean",
            (NAME, "        name: {type: string, x-thg-unique: 'yes'}"),
            "must be true or false",
        ),
        (
            "not-an-entity-property",
            ("        id: {type: string}", "        id: {type: string, x-thg-unique: true}"),
            "only for a property of an entity's attributes",
        ),
        (
            "an-object",
            (NAME, "        name: {type: object, x-thg-unique: true}"),
            "must be a written scalar",
        ),
        (
            "read-only",
            (NAME, "        name: {type: string, readOnly: true, x-thg-unique: true}"),
            "must be a written scalar",
        ),
    ],
)
def test_a_misplaced_or_malformed_key_is_thg028(
    tmp_path: Path, name: str, edit: tuple[str, str], says: str
) -> None:
    found = _thg028(tmp_path, edit)
    assert len(found) == 1 and says in found[0], found
    assert found[0].split(":")[0].endswith("/x-thg-unique")


RELATED = (
    "        related: {type: string, format: thg-reference, x-thg-reference-to: 'mini:widget'}"
)
PARTS = (
    "        parts:\n"
    "          type: array\n"
    "          items: {$ref: '#/components/schemas/Part'}\n"
    "    Part:\n"
    "      type: object\n"
    "      properties:\n"
    "        code: {type: string, x-thg-unique: true}\n"
    "        parts:\n"
    "          type: array\n"
    "          items: {$ref: '#/components/schemas/Part'}\n"
)


def test_a_key_nested_in_an_entitys_attributes_is_valid(tmp_path: Path) -> None:
    """A vInventory-like leaf reached through an array and a recursive `$ref` (a product's
    variant tree) may hold a key: unique across every place it occurs in the owner's entities."""
    assert _thg028(tmp_path, (RELATED, RELATED + "\n" + PARTS)) == []


def test_a_nested_key_must_still_be_a_scalar(tmp_path: Path) -> None:
    nested = PARTS.replace("code: {type: string, x-thg-unique: true}", "code: {x-thg-unique: true}")
    found = _thg028(tmp_path, (RELATED, RELATED + "\n" + nested))
    assert len(found) == 1 and "must be a written scalar" in found[0], found
    assert found[0].startswith("/components/schemas/Part/properties/code/x-thg-unique")
