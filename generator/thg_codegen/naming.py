"""The one owner of names: every identifier that comes from a spec becomes Python here.

Spec names can be anything JSON allows: keywords (``class``), builtins (``type``), leading digits
(``3dModel``), unicode (``größe``), punctuation, or two names that sanitise to the same thing
(``mass_g`` and ``massG``). ``snake``/``pascal``/``upper_snake`` turn a name into an ASCII
identifier of one style; a ``Namespace`` hands out identifiers unique within one Python scope,
never a keyword, never shadowing a name the scope already uses. Identical input always gives
identical output (no hashing, no set order), so generation is deterministic.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[A-Z]+[0-9]*(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Hard keywords only: soft keywords (``match``, ``case``, ``_``, and ``type`` since 3.12) are valid
# names, and the list differs between Pythons, which would make the output depend on the one that
# runs the generator.
RESERVED: frozenset[str] = frozenset(keyword.kwlist)
BUILTINS: frozenset[str] = frozenset(name for name in dir(builtins) if not name.startswith("_"))


_TRANSLITERATE = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
    }
)


def _ascii(text: str) -> str:
    text = text.translate(_TRANSLITERATE)
    # NFKD splits accents from their letters (é -> e + U+0301) so they can be dropped; what is left
    # of a non-Latin name (全角) is nothing, and the caller falls back to a placeholder word.
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def words(name: str) -> list[str]:
    """The words of ``name`` in any style: ``countryOfOrigin`` -> country, of, origin;
    ``mass_g`` -> mass, g; ``HTTPStatus`` -> http, status; ``page[size]`` -> page, size."""
    return [word.lower() for word in _WORD.findall(_ascii(name))]


def _fallback(parts: list[str], placeholder: str) -> list[str]:
    """The words, never empty and never starting with a digit (``3d`` -> field, 3, d).

    The placeholder word rather than an underscore prefix: pydantic refuses fields named ``_3d``,
    and ``Namespace.claim`` turning ``_3D`` into ``_3D_`` would hit Enum's reserved ``_sunder_``.
    """
    if not parts:
        return [placeholder]
    return [placeholder, *parts] if parts[0][0].isdigit() else parts


def _not_keyword(text: str) -> str:
    # ``class`` -> ``class_``, ``None`` -> ``None_``: the conventional spelling, and a fixed point,
    # since the sanitisers drop the underscore again.
    return f"{text}_" if keyword.iskeyword(text) else text


def snake(name: str, placeholder: str = "field") -> str:
    """``countryOfOrigin`` -> ``country_of_origin``; never empty, never starting with a digit."""
    return _not_keyword("_".join(_fallback(words(name), placeholder)))


def pascal(name: str, placeholder: str = "Model") -> str:
    """``fulfilment-request.dispatched`` -> ``FulfilmentRequestDispatched``."""
    return _not_keyword(
        "".join(word.capitalize() for word in _fallback(words(name), placeholder.lower()))
    )


def upper_snake(name: str, placeholder: str = "VALUE") -> str:
    """``not-approved`` -> ``NOT_APPROVED``; an enum member or constant name."""
    return "_".join(word.upper() for word in _fallback(words(name), placeholder.lower()))


_IRREGULAR_PLURALS = {"status": "statuses", "person": "people", "child": "children"}
# Mass nouns name a collection already: the platform's `inventory` segment reads
# ``thg_fulfil.inventory.create(...)``, never ``inventories``.
_UNCOUNTABLE = frozenset({"inventory", "stock", "equipment", "information", "data"})


def plural(word: str) -> str:
    """English plural of the last word of a snake name, for collection attributes
    (``inventory_item`` -> ``inventory_items``). A past participle (``dispatched``) or a word
    already plural stays as it is: ``fulfilment_requests(id).dispatched(id)`` reads right."""
    head, _, last = word.rpartition("_")
    if last in _UNCOUNTABLE:
        pass
    elif last in _IRREGULAR_PLURALS:
        last = _IRREGULAR_PLURALS[last]
    elif last.endswith(("ed", "ss", "data")) or (last.endswith("s") and not last.endswith("us")):
        last = last if not last.endswith("ss") else last + "es"
    elif last.endswith(("x", "z", "ch", "sh", "us")):
        last += "es"
    elif last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head}_{last}" if head else last


def is_identifier(name: str) -> bool:
    return bool(_IDENTIFIER.match(name)) and name not in RESERVED


class Namespace:
    """Unique identifiers within one Python scope.

    ``claim(name)`` returns ``name`` itself when it is free, otherwise ``name_2``, ``name_3``…;
    ``avoid`` lists names already taken (imports, base-class members) and ``shadowing`` decides
    whether builtins count as taken (they must in a module's globals and for fields that become
    keyword arguments next to ``id`` or ``type``, which a method body might need).
    """

    def __init__(self, avoid: Iterable[str] = (), *, avoid_builtins: bool = False) -> None:
        self._taken: set[str] = set(avoid) | set(RESERVED)
        if avoid_builtins:
            self._taken |= BUILTINS

    def claim(self, name: str) -> str:
        if not _IDENTIFIER.match(name):
            raise ValueError(f"not an identifier: {name!r}")
        candidate = name
        if candidate in self._taken:
            candidate = f"{name}_" if not name.endswith("_") else name
            counter = 2
            while candidate in self._taken:
                candidate = f"{name}_{counter}"
                counter += 1
        self._taken.add(candidate)
        return candidate

    def taken(self, name: str) -> bool:
        return name in self._taken
