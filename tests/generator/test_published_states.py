"""A published status's possible states (CONVENTIONS §16): its `_values` lists them at run time,
and the document may say which they are: a `states` hint (`x-thg-entity: {states: [...]}` on the
status's path item, in the document or its overlay), else an `enum` on `_values`' items, else
their first example. The hint and the enum are contracts the generated client types (an open
enum: a state not listed still decodes); an example only illustrates (the sandbox answers it,
the client keeps an open string). A status with none is a THG023 warning naming the hint, and
`thg-codegen overlay` proposes it with a placeholder that validation refuses until edited."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thg_codegen.cli import main
from thg_codegen.generate import generate
from thg_spec import Severity, build_product
from thg_spec.inference import listed_states
from thg_spec.loader import load_spec
from thg_spec.spec_index import build_index
from thg_spec.validation import validate_paths

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "published" / "thg-fulfil.json"  # its _values has an example
STATELESS = REPO / "tests" / "generator" / "published" / "thg-fulfil.json"  # neither
INVENTORY_APPROVAL = "/{owner}/v1/inventory/{inventory_item}/approval"
REQUEST_APPROVAL = "/{owner}/v1/fulfilment-request/{fulfilment_request}/approval"
APPROVAL_POINTER = "/paths/~1{owner}~1v1~1inventory~1{inventory_item}~1approval"


def _write(folder: Path, source: Path, edit: Any = None) -> Path:
    data = json.loads(source.read_text(encoding="utf-8"))
    if edit is not None:
        edit(data)
    target = folder / source.name
    target.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return target


def _states_hint(*paths: str, states: Any) -> Any:
    def edit(data: dict[str, Any]) -> None:
        for path in paths:
            data["paths"][path].setdefault("x-thg-entity", {})["states"] = states

    return edit


def _approval(path: Path) -> tuple[tuple[str, ...], str]:
    spec, problems = load_spec(path)
    assert not problems
    entity = build_product(spec).entity(("inventory", "approval"))
    return entity.known_states, entity.known_states_source


def test_states_come_from_the_hint_the_enum_or_the_example(tmp_path: Path) -> None:
    assert _approval(CORPUS) == (("STATUS_1",), "example")
    assert _approval(STATELESS) == ((), "")

    def enum(data: dict[str, Any]) -> None:
        items = data["components"]["schemas"]["ValuesResource"]["properties"]["attributes"]
        items["items"]["enum"] = ["VALID", "APPROVED", "REJECTED"]

    assert _approval(_write(tmp_path, STATELESS, enum)) == (
        ("VALID", "APPROVED", "REJECTED"),
        "enum",
    )
    hinted = _write(tmp_path, CORPUS, _states_hint(INVENTORY_APPROVAL, states=["A", "B"]))
    assert _approval(hinted) == (("A", "B"), "hint")  # the hint wins over the example


def test_a_status_with_no_states_is_a_warning_naming_the_hint(tmp_path: Path) -> None:
    _, problems = validate_paths([STATELESS])
    found = [p for p in problems if p.rule == "THG023"]
    assert [(p.severity, p.pointer) for p in found][0] == (Severity.WARNING, APPROVAL_POINTER)
    assert "x-thg-entity: {states: [...]}" in found[0].hint
    spec, _ = load_spec(STATELESS)
    proposed = [h for h in build_index(spec).hints if "states" in h.value["x-thg-entity"]]
    assert len(proposed) == 2 and proposed[0].guessed == "open"
    hinted = _write(tmp_path, STATELESS, _states_hint(INVENTORY_APPROVAL, states=["A"]))
    _, problems = validate_paths([hinted])
    assert [p.pointer for p in problems if p.rule == "THG023"] == [
        "/paths/~1{owner}~1v1~1fulfilment-request~1{fulfilment_request}~1approval"
    ]


@pytest.mark.parametrize(
    "states",
    ["APPROVED", [], ["A", "A"], ["A", ""], ["<STATE>"], [1], {"A": 1}],
    ids=["not a list", "empty", "twice", "empty string", "placeholder", "number", "object"],
)
def test_a_bad_states_hint_is_a_located_error(tmp_path: Path, states: Any) -> None:
    path = _write(tmp_path, CORPUS, _states_hint(INVENTORY_APPROVAL, states=states))
    _, problems = validate_paths([path])
    errors = [(p.rule, p.pointer) for p in problems if p.severity is Severity.ERROR]
    assert errors == [("THG023", APPROVAL_POINTER + "/x-thg-entity/states")]


def test_states_on_an_entity_that_is_no_status_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, CORPUS, _states_hint("/{owner}/v1/inventory", states=["A"]))
    _, problems = validate_paths([path])
    errors = [(p.rule, p.message) for p in problems if p.severity is Severity.ERROR]
    assert errors == [("THG023", "x-thg-entity states on 'inventory', which is not a status")]


def test_the_overlay_command_proposes_states_to_edit(tmp_path: Path) -> None:
    spec = tmp_path / STATELESS.name
    shutil.copy(STATELESS, spec)
    result = CliRunner().invoke(main, ["overlay", str(spec)])
    assert result.exit_code == 0, result.output
    overlay = spec.with_name("thg-fulfil.overlay.yaml")
    text = overlay.read_text(encoding="utf-8")
    assert "# the possible states of the status 'inventory.approval'" in text
    assert "        states:\n        - <STATE>\n" in text
    _, problems = validate_paths([spec])  # the placeholder is refused until edited
    assert {p.rule for p in problems if p.severity is Severity.ERROR} == {"THG023"}
    overlay.write_text(text.replace("<STATE>", "APPROVED"), encoding="utf-8")
    loaded, problems = validate_paths([spec])
    assert [p for p in problems if p.rule == "THG023"] == []
    approval = build_product(loaded[0]).entity(("inventory", "approval"))
    assert (approval.known_states, approval.known_states_source) == (("APPROVED",), "hint")


def _generated_approval(folder: Path, source: Path, edit: Any) -> str:
    specs = folder / "specs"
    specs.mkdir()
    _write(specs, source, edit)
    generate([specs / source.name], folder / "out")
    package = folder / "out" / "src" / "thg_connect" / "thg_fulfil"
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(package.glob("*.py")))


def test_known_states_type_the_client_s_state(tmp_path: Path) -> None:
    """The corpus's approval has an open `state` it adds; the stand-in's Approval, shared by two
    statuses, declares `state: str` itself: typed when both statuses give the same states,
    kept open when they differ."""
    one = tmp_path / "one"
    one.mkdir()
    text = _generated_approval(
        one, CORPUS, _states_hint(INVENTORY_APPROVAL, states=["VALID", "APPROVED"])
    )
    assert "class InventoryApprovalState(OpenEnum):" in text
    assert 'APPROVED = "APPROVED"' in text
    assert "state: Optional[InventoryApprovalState] = Field(default=None)" in text
    example = tmp_path / "example"
    example.mkdir()
    text = _generated_approval(example, CORPUS, None)
    assert "State(OpenEnum)" not in text and "state: Optional[str]" in text
    shared = tmp_path / "shared"
    shared.mkdir()
    both = _states_hint(INVENTORY_APPROVAL, REQUEST_APPROVAL, states=["VALID", "APPROVED"])
    text = _generated_approval(shared, STATELESS, both)
    assert "class ApprovalState(OpenEnum):" in text and "    state: ApprovalState\n" in text
    differ = tmp_path / "differ"
    differ.mkdir()
    text = _generated_approval(
        differ, STATELESS, _states_hint(INVENTORY_APPROVAL, states=["VALID"])
    )
    assert "State(OpenEnum)" not in text and "    state: str\n" in text


state_strings = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1
).filter(lambda s: not (s.startswith("<") and s.endswith(">")))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    states=st.lists(state_strings, min_size=1, max_size=6), where=st.sampled_from(["hint", "enum"])
)
def test_any_distinct_states_are_read_back_in_order(states: list[str], where: str) -> None:
    def edit(data: dict[str, Any]) -> None:
        if where == "hint":
            _states_hint(INVENTORY_APPROVAL, states=states)(data)
        else:
            resource = data["components"]["schemas"]["ValuesResource"]["properties"]
            resource["attributes"]["items"]["enum"] = states

    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), STATELESS, edit)
        distinct = tuple(dict.fromkeys(states))
        spec, _ = load_spec(path)
        if where == "enum":
            assert listed_states(spec.data, INVENTORY_APPROVAL + "/_values") == (distinct, "enum")
        _, problems = validate_paths([path])
        errors = [p for p in problems if p.severity is Severity.ERROR]
        if where == "hint" and len(distinct) != len(states):
            assert [p.rule for p in errors] == ["THG023"]
        else:
            assert errors == []
            assert _approval(path) == (distinct, where)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=8,
    )
)
def test_listed_states_never_raises_on_any_values_schema(schema: Any) -> None:
    data = {
        "paths": {
            "/x/{x_id}/s/_values": {
                "get": {"responses": {"200": {"content": {"application/json": {"schema": schema}}}}}
            }
        }
    }
    states, source = listed_states(data, "/x/{x_id}/s/_values")
    assert (source == "") == (states == ())
    assert all(isinstance(s, str) for s in states)
