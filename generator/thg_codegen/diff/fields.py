"""How a field or query parameter changed, classified by the direction it travels.

The rule, in one place: a change that *narrows* what a value may be (a new required field, a
tighter bound, a type narrowed, null no longer allowed, a new pattern) breaks whoever **sends**
the value, so it is breaking for request fields and parameters. A change that *widens* it (a
field becoming optional or nullable, a bound loosened, a type widened) breaks whoever **reads**
the value, so it is breaking for response fields: readers must now handle absence, null or values
outside the old limits, and older clients, which enforce the old constraints, reject them. A field
used both ways (most entity attributes) breaks on either. Enums are open, so a value added is
never breaking; a value removed always is (the generated member disappears).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .changes import BREAKING, DOCS, NON_BREAKING, Change, narrowing, reshaping, widening
from .nodes import READ, VALUE_FIELD, WRITE, FieldNode, Location
from .shapes import LOWER_LIMITS, REFERENCE_TO, TYPED_FORMATS, UPPER_LIMITS, FieldShape

_SENDERS = "Make sure the values you send in {subject} satisfy the new rule ({new})."
_READERS = "Handle values of {subject} that the old rule ({old}) excluded; upgrade older clients."


def subject_of(location: Location) -> str:
    if location.schema and location.field == VALUE_FIELD:
        return f"`{location.schema}`"
    if location.schema:
        return f"`{location.schema}.{location.field}`"
    return f"`{location.field}` of {location.operation}()"


def _describe(name: str, value: Any) -> str:
    if value is None:
        return f"no {name}"
    if name in ("minimum", "maximum"):
        bound, exclusive = value
        sign = (">" if name == "minimum" else "<") + ("" if exclusive else "=")
        return f"{sign} {bound}"
    if isinstance(value, tuple):
        return f"{name} [{', '.join(map(str, value))}]"
    return f"{name} {value}"


def _tighter(name: str, old: Any, new: Any) -> bool | None:
    """True when `new` allows fewer values than `old`, False when more, None when neither."""
    if old is None or new is None:
        return old is None
    if name == "minimum":
        return (new[0], new[1]) > (old[0], old[1])
    if name == "maximum":
        return (new[0], not new[1]) < (old[0], not old[1])
    if name in LOWER_LIMITS:
        return bool(new > old)
    if name in UPPER_LIMITS:
        return bool(new < old)
    if name == REFERENCE_TO:  # fewer entity types may be named: narrower
        return True if set(new) < set(old) else False if set(new) > set(old) else None
    return None  # pattern, multipleOf: a different rule, not a comparable one


def _enum_text(values: tuple[str, ...] | None) -> str | None:
    return None if values is None else "[" + ", ".join(values) + "]"


def _covers(wide: tuple[str, ...], narrow: tuple[str, ...]) -> bool:
    if not wide:
        return True  # no declared type: anything goes
    return bool(narrow) and all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


class _FieldDiff:
    def __init__(self, old: FieldNode, new: FieldNode) -> None:
        self.old, self.new = old, new
        self.location = new.location
        self.subject = subject_of(self.location)
        self.noun = "parameter" if self.location.field.startswith("?") else "field"
        self.directions = old.directions & new.directions
        self.changes: list[Change] = []

    def add(self, category: str, kind: str, reason: str, action: str = "") -> None:
        self.changes.append(
            Change(category, kind, self.location, reason, action if category == BREAKING else "")
        )

    def by_rule(
        self, classify: Callable[[frozenset[str]], str], kind: str, reason: str, action: str
    ) -> None:
        category = classify(self.directions)
        if classify is narrowing:
            reason += (
                "; it is sent in requests, so requests valid before may be refused"
                if category == BREAKING
                else "; it is only read from responses, so nothing breaks"
            )
        elif classify is widening:
            reason += (
                "; it is returned in responses, so code that reads it must handle more"
                if category == BREAKING
                else "; it is only sent in requests, so nothing breaks"
            )
        self.add(category, kind, reason, action)

    def run(self) -> list[Change]:
        self.directions_changed()
        self.requirement()
        old, new = self.old.shape, self.new.shape
        self.nullability(old, new)
        reshaped = self.types(old, new)
        self.enum(old, new)
        if not reshaped:  # a new type makes the old type's bounds moot; the type change says it
            self.constraints(old, new)
        if old.default != new.default:
            self.add(
                NON_BREAKING,
                "default-changed",
                f"{self.subject}: default {old.default} → {new.default}",
            )
        if old.docs != new.docs:
            changed = sorted({k for k, _ in set(old.docs) ^ set(new.docs)})
            self.add(DOCS, "docs-changed", f"{self.subject}: {', '.join(changed)} changed")
        return self.changes

    def directions_changed(self) -> None:
        lost = self.old.directions - self.new.directions
        gained = self.new.directions - self.old.directions
        s = self.subject
        if READ in lost:
            self.add(
                BREAKING,
                f"{self.noun}-no-longer-returned",
                f"{s} is no longer returned (now write-only)",
                f"Stop reading {s}; it is no longer in responses.",
            )
        if WRITE in lost:
            self.add(
                BREAKING,
                f"{self.noun}-no-longer-accepted",
                f"{s} can no longer be sent (now read-only)",
                f"Stop sending {s}; the server sets it.",
            )
        if WRITE in gained:
            required = self.new.required
            self.add(
                BREAKING if required else NON_BREAKING,
                f"{self.noun}-now-accepted",
                f"{s} can now be sent" + (" and is required" if required else ""),
                f"Send {s} in every request that carries it.",
            )
        if READ in gained:
            self.add(NON_BREAKING, f"{self.noun}-now-returned", f"{s} is now returned")

    def requirement(self) -> None:
        s = self.subject
        if not self.old.required and self.new.required:
            self.by_rule(
                narrowing,
                f"{self.noun}-became-required",
                f"{s} became required",
                f"Always pass {s}.",
            )
        elif self.old.required and not self.new.required:
            self.by_rule(
                widening,
                f"{self.noun}-became-optional",
                f"{s} became optional",
                f"Handle {s} being absent (None) where you read it.",
            )

    def nullability(self, old: FieldShape, new: FieldShape) -> None:
        s = self.subject
        if new.nullable and not old.nullable:
            self.by_rule(
                widening,
                "field-became-nullable",
                f"{s} may now be null",
                f"Handle None in {s} where you read it.",
            )
        elif old.nullable and not new.nullable:
            self.by_rule(
                narrowing,
                "field-became-non-nullable",
                f"{s} may no longer be null",
                f"Stop sending None in {s}.",
            )

    def types(self, old: FieldShape, new: FieldShape) -> bool:
        """Type, model, format and const changes; True when the type changed incomparably."""
        s = self.subject
        reshaped = False
        before = "/".join(old.types) or "any"
        after = "/".join(new.types) or "any"
        if old.types != new.types:
            if _covers(old.types, new.types):
                self.by_rule(
                    narrowing,
                    "type-narrowed",
                    f"{s}: type narrowed from {before} to {after}",
                    f"Send only {after} values in {s}.",
                )
            elif _covers(new.types, old.types):
                self.by_rule(
                    widening,
                    "type-widened",
                    f"{s}: type widened from {before} to {after}",
                    f"Handle {after} values where you read {s}.",
                )
            else:
                self.by_rule(
                    reshaping,
                    "type-changed",
                    f"{s}: type changed from {before} to {after}",
                    f"Update code that reads or sets {s} to the type {after}.",
                )
                reshaped = True
        if old.model != new.model and old.model and new.model:
            self.by_rule(
                reshaping,
                "type-changed",
                f"{s}: model changed from {old.model} to {new.model}",
                f"Use {new.model} instead of {old.model} for {s}.",
            )
        if old.format != new.format and {old.format, new.format} & set(TYPED_FORMATS):
            self.by_rule(
                reshaping,
                "type-changed",
                f"{s}: format {old.format or 'none'} → {new.format or 'none'} "
                "changes its Python type",
                f"Update code that reads or sets {s} to its new Python type.",
            )
            reshaped = True
        elif old.format != new.format:
            self.constraint("format", old.format or None, new.format or None)
        if old.const != new.const:
            self.constraint("const", old.const, new.const)
        return reshaped

    def enum(self, old: FieldShape, new: FieldShape) -> None:
        s = self.subject
        if old.enum is None or new.enum is None:
            if old.enum != new.enum:
                self.constraint("enum", _enum_text(old.enum), _enum_text(new.enum))
            return
        for value in sorted(set(old.enum) - set(new.enum)):
            self.add(
                BREAKING,
                "enum-value-removed",
                f"{s}: enum value {value} removed",
                f"Stop using {value} in {s}; it is no longer a member of the generated enum.",
            )
        for value in sorted(set(new.enum) - set(old.enum)):
            self.add(
                NON_BREAKING,
                "enum-value-added",
                f"{s}: enum value {value} added (enums are open, old clients keep the raw value)",
            )

    def constraints(self, old: FieldShape, new: FieldShape) -> None:
        names = sorted({n for n, _ in old.constraints} | {n for n, _ in new.constraints})
        for name in names:
            before, after = old.constraint(name), new.constraint(name)
            if before != after:
                self.constraint(name, before, after)

    def constraint(self, name: str, before: Any, after: Any) -> None:
        tighter = _tighter(name, before, after)
        old_text, new_text = _describe(name, before), _describe(name, after)
        summary = f"{self.subject}: {old_text} → {new_text}"
        if tighter is None:
            self.by_rule(
                reshaping,
                "constraint-changed",
                f"{summary} (neither wider nor narrower)",
                _SENDERS.format(subject=self.subject, new=new_text)
                + " "
                + _READERS.format(subject=self.subject, old=old_text),
            )
        elif tighter:
            self.by_rule(
                narrowing,
                "constraint-tightened",
                f"{summary} (tightened)",
                _SENDERS.format(subject=self.subject, new=new_text),
            )
        else:
            self.by_rule(
                widening,
                "constraint-loosened",
                f"{summary} (loosened)",
                _READERS.format(subject=self.subject, old=old_text),
            )


def compare_field(old: FieldNode, new: FieldNode) -> list[Change]:
    """Every change between two versions of one field or query parameter."""
    return _FieldDiff(old, new).run()
