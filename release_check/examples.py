"""The JSON:API documents the specs give as response examples: real JSON to build models from.

One per product, the first single-resource example in path order, so each product's models are
exercised on every Python with the payloads the spec itself promises.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thg_spec.loader import load_spec

_METHODS = ("get", "post", "put", "delete")


def _response_examples(data: Any) -> list[Any]:
    found: list[Any] = []
    paths = data.get("paths", {}) if isinstance(data, dict) else {}
    for item in paths.values():
        for method in _METHODS:
            responses = item.get(method, {}).get("responses", {}) if isinstance(item, dict) else {}
            for status, response in sorted(responses.items()):
                if not (str(status).startswith("2") and isinstance(response, dict)):
                    continue
                for media in response.get("content", {}).values():
                    if "example" in media:
                        found.append(media["example"])
                    found.extend(e.get("value") for e in media.get("examples", {}).values())
    return found


def _is_resource(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("type"), str) and "attributes" in data


def example_documents(specs: Path) -> dict[str, dict[str, Any]]:
    """Spec file stem -> one example document whose ``data`` is a single resource."""
    chosen: dict[str, dict[str, Any]] = {}
    for path in sorted(specs.glob("*.yaml")):
        spec, _problems = load_spec(path)
        for example in _response_examples(spec.data):
            if isinstance(example, dict) and _is_resource(example.get("data")):
                chosen[path.stem] = example
                break
    return chosen
