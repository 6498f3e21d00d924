"""Unset is not null (issue 17): the ``NOT_GIVEN`` sentinel and the strict-request /
lenient-response members check of ``ApiModel``, on hand-written models shaped as generated."""

from __future__ import annotations

import copy
import json
import pickle
from typing import ClassVar, FrozenSet, Optional, Union

import pytest
from pydantic import Field, ValidationError

from thg_connect_core import (
    NOT_GIVEN,
    ApiModel,
    Document,
    NotGiven,
    UnknownState,
    decode,
    encode_resource,
    lenient_enums,
)


class Size(ApiModel):
    _not_nullable: ClassVar[FrozenSet[str]] = frozenset(("unit",))

    value: float
    unit: Union[str, NotGiven] = Field(default=NOT_GIVEN)


class Thing(ApiModel):
    _not_nullable: ClassVar[FrozenSet[str]] = frozenset(("massG", "mass_g", "size"))

    name: str
    mass_g: Union[float, NotGiven] = Field(
        default=NOT_GIVEN, validation_alias="massG", serialization_alias="massG"
    )
    note: Optional[str] = Field(default=None)
    size: Union[Size, NotGiven] = Field(default=NOT_GIVEN)


def sent(model: ApiModel) -> object:
    return json.loads(encode_resource("p:thing", model))["data"]["attributes"]


def test_the_sentinel_is_one_falsy_value() -> None:
    assert NotGiven() is NOT_GIVEN and not NOT_GIVEN and repr(NOT_GIVEN) == "NOT_GIVEN"
    assert copy.deepcopy(NOT_GIVEN) is NOT_GIVEN and copy.copy(NOT_GIVEN) is NOT_GIVEN
    assert pickle.loads(pickle.dumps(NOT_GIVEN)) is NOT_GIVEN


def test_not_given_is_never_sent_and_null_is_sent_only_where_nullable() -> None:
    assert sent(Thing(name="a")) == {"name": "a"}
    assert sent(Thing(name="a", mass_g=NOT_GIVEN, size=NOT_GIVEN)) == {"name": "a"}
    assert sent(Thing(name="a", note=None)) == {"name": "a", "note": None}
    assert sent(Thing(name="a", mass_g=2, size=Size(value=1))) == {
        "name": "a",
        "massG": 2.0,
        "size": {"value": 1.0},
    }
    with pytest.raises(ValidationError, match="not nullable"):
        Thing(name="a", mass_g=None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="not nullable"):
        Thing.model_validate({"name": "a", "size": {"value": 1, "unit": None}})


def test_a_member_the_model_does_not_declare_is_refused_from_user_code() -> None:
    with pytest.raises(ValidationError, match="Thing has no field 'nmae' \\(did you mean 'name'"):
        Thing(nmae="a")  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="Size has no field 'units'"):
        Thing(name="a", size={"value": 1, "units": "cm"})  # type: ignore[arg-type]
    assert Thing.model_validate({"name": "a", "massG": 1}).mass_g == 1.0  # wire name
    assert Thing.model_validate({"name": "a", "mass_g": 1}).mass_g == 1.0  # Python name


def test_a_response_keeps_new_members_and_reads_a_stray_null_as_not_given() -> None:
    raw = json.dumps(
        {
            "data": {
                "id": "1",
                "type": "p:thing",
                "attributes": {
                    "name": "a",
                    "massG": None,
                    "note": None,
                    "added": [1],
                    "size": {"value": 1, "unit": None, "precision": 2},
                },
            }
        }
    )
    with lenient_enums():
        thing = decode(raw, Document[Thing]).data.attributes
    assert thing.mass_g is NOT_GIVEN and thing.note is None
    assert thing.model_extra == {"added": [1]}
    assert isinstance(thing.size, Size) and thing.size.unit is NOT_GIVEN
    assert thing.size.model_extra == {"precision": 2}
    with pytest.raises(ValidationError):  # outside a response: strict
        decode(raw, Document[Thing])


def test_a_plain_dump_shows_not_given_as_none() -> None:
    assert Thing(name="a").model_dump(mode="json") == {
        "name": "a",
        "mass_g": None,
        "note": None,
        "size": None,
    }


def test_an_unknown_state_keeps_every_member_from_user_code_too() -> None:
    state = UnknownState.model_validate({"state": "PAUSED", "until": "tomorrow"})
    assert state.model_extra == {"until": "tomorrow"}
