"""Hostile specs: each either generates a client that means exactly the spec's text, or is refused
with a located diagnostic. The generated client is compiled, then imported in a fresh interpreter
under an audit hook that fails on any exec of source strings, subprocess or file write.

CI draws a few examples; ``THG_HOSTILE_EXAMPLES=200 pytest tests/generator/test_hostile_specs.py``
runs a longer search by hand.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from markdown_it import MarkdownIt
from markdown_it.token import Token

from thg_codegen.generate import generate
from thg_codegen.model.package import MODULE_IMPORTS
from thg_spec.diagnostics import has_errors
from thg_spec.pipeline import SpecError
from thg_spec.validation import validate_paths

from .hostile import (
    ACTION_PATH,
    CHILD,
    Mutation,
    apply,
    dump,
    expectations,
    hostile_mutations,
    kitchen_sink,
    mini,
    prose,
)

EXAMPLES = int(os.environ.get("THG_HOSTILE_EXAMPLES", "10"))
NO_DESCRIPTION = "(No description in the spec.)"


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def _spec_file(folder: Path, spec: dict[str, Any]) -> Path:
    folder.mkdir(parents=True)
    path = folder / "mini.yaml"  # the product name must match the file name (THG001)
    dump(spec, path)
    return path


def _undo_indent(value: str, indent: int) -> str:
    lines = value.split("\n")
    if len(lines) == 1:
        return value
    assert lines[-1] == " " * indent
    return "\n".join([lines[0]] + [line[indent:] for line in lines[1:-1]])


def _attributes_class(src: Path) -> tuple[Path, ast.ClassDef]:
    """The attributes model of mini:widget, found through the generated registry."""
    registry = ast.parse((src / "thg_connect" / "_registry.py").read_text(encoding="utf-8"))
    table = next(
        node.value
        for node in registry.body
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "_ENTITY_TYPES"
    )
    assert table is not None
    module, name = ast.literal_eval(table)["mini:widget"]
    path = src / "thg_connect" / Path(*module.lstrip(".").split(".")).with_suffix(".py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name)
    return path, cls


def _field_docstrings(cls: ast.ClassDef) -> dict[str, str]:
    """Wire name -> the attribute docstring printed under the field."""
    docs: dict[str, str] = {}
    following: list[ast.stmt | None] = [*cls.body[1:], None]
    for field, after in zip(cls.body, following, strict=True):
        if not isinstance(field, ast.AnnAssign) or not isinstance(field.target, ast.Name):
            continue
        wire = field.target.id
        if isinstance(field.value, ast.Call):
            for keyword in field.value.keywords:
                if keyword.arg == "serialization_alias":
                    wire = ast.literal_eval(keyword.value)
        if (
            isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[wire] = _undo_indent(after.value.value, 4)
    return docs


def _html_tokens(tokens: list[Token]) -> Iterator[str]:
    for token in tokens:
        if token.type in ("html_inline", "html_block"):
            yield token.content
        yield from _html_tokens(token.children or [])


def _check_markdown(out: Path) -> None:
    """Spec text in README and reference pages is shown, never markup: a Markdown parser finds
    no HTML after the header comment (code spans and Mermaid fences show their text as written),
    and the README's product row keeps its four cells."""
    markdown = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    for page in [out / "README.md", *sorted((out / "docs").glob("*.md"))]:
        header, _, body = page.read_text(encoding="utf-8").partition("\n")
        assert header.startswith("<!-- ") and header.endswith(" -->")
        assert list(_html_tokens(markdown.parse(body))) == [], page.name
    rows = [
        line
        for line in (out / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| `client.")
    ]
    assert len(rows) == 1 and rows[0].count("|") == 5, rows


def _expected_field_doc(mutation: Mutation, index: int) -> str | None:
    p = mutation.properties[index]
    text = p.description if p.kind != "ref" else dict(mutation.components)[p.component]
    return (prose(text) or NO_DESCRIPTION) if text else None


def _run_child(work: Path, out: Path, mutation: Mutation) -> subprocess.CompletedProcess[str]:
    package = out / "src" / "thg_connect"
    modules = sorted(
        ".".join(("thg_connect", *p.relative_to(package).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
        for p in package.rglob("*.py")
    )
    (work / "expected.json").write_text(json.dumps(expectations(mutation)), encoding="utf-8")
    (work / "modules.json").write_text(json.dumps(modules), encoding="utf-8")
    (work / "child.py").write_text(CHILD, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    # the generated package, on this tree's runtime (not whichever one is installed)
    runtime = Path(__file__).resolve().parents[2] / "runtime" / "src"
    env["PYTHONPATH"] = os.pathsep.join((str(out / "src"), str(runtime)))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [sys.executable, str(work / "child.py"), str(work / "expected.json")]
        + [str(work / "modules.json")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=work,
    )


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    # Shrinking regenerates and imports a client per step (minutes); the unshrunk example is
    # printed in full and readable enough.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutation=hostile_mutations())
@example(mutation=kitchen_sink())
def test_hostile_spec_generates_code_that_means_the_spec(
    tmp_path_factory: pytest.TempPathFactory, mutation: Mutation
) -> None:
    work = tmp_path_factory.mktemp("hostile")
    spec = _spec_file(work / "spec", apply(mutation))
    _, problems = validate_paths([spec])
    assert not has_errors(problems), "\n".join(d.format() for d in problems)

    before = _tree(work)
    out = work / "out"
    generate([spec], out)
    created = _tree(work) - before
    assert created and all(p == "out" or p.startswith("out/") for p in created), sorted(created)

    for path in sorted(out.rglob("*.py")):
        compile(path.read_bytes(), str(path), "exec")  # SyntaxError names the file and line

    _check_markdown(out)
    _, cls = _attributes_class(out / "src")
    docs = _field_docstrings(cls)
    for index, p in enumerate(mutation.properties):
        assert docs.get(p.wire) == _expected_field_doc(mutation, index), p.wire

    result = _run_child(work, out, mutation)
    assert (
        result.returncode == 0 and result.stdout.strip() == "ok"
    ), f"exit {result.returncode}\n{result.stderr[-4000:]}"
    assert _tree(work) - before - created == {"expected.json", "modules.json", "child.py"}


def test_audit_hook_catches_what_it_should(tmp_path: Path) -> None:
    """The child's hook is not a formality: a generated module that runs a string, starts a
    process or writes a file is stopped."""
    spec = _spec_file(tmp_path / "spec", mini())
    out = tmp_path / "out"
    generate([spec], out)
    widget = out / "src" / "thg_connect" / "mini" / "widget.py"
    clean = widget.read_text(encoding="utf-8")
    mutation = Mutation((), (), (), "Mini product", "", "Get a widget", "One widget by id.", "")
    for payload in (
        'exec("x = 1")',
        'import subprocess; subprocess.Popen(["true"])',
        'import os; os.system("true")',
        'open("written.txt", "w")',
        "from typing import ForwardRef; "
        "ForwardRef(\"__import__('os')\")._evaluate({}, {}, frozenset())",
    ):
        widget.write_text(clean + "\n" + payload + "\n", encoding="utf-8")
        result = _run_child(tmp_path, out, mutation)
        assert result.returncode == 3 and "AUDIT:" in result.stderr, (payload, result.stderr)
    widget.write_text(clean, encoding="utf-8")
    assert _run_child(tmp_path, out, mutation).returncode == 0
    assert not (tmp_path / "written.txt").exists()


def test_model_modules_import_no_name_a_definition_may_take(tmp_path: Path) -> None:
    """Definitions are named around MODULE_IMPORTS: it must list every name the model and entity
    templates import (a schema named FrozenSet once shadowed typing.FrozenSet)."""
    spec = _spec_file(tmp_path / "spec", mini())
    generate([spec], tmp_path / "out")
    imported: set[str] = set()
    for name in ("widget.py", "_common.py"):
        tree = ast.parse((tmp_path / "out/src/thg_connect/mini" / name).read_text("utf-8"))
        for node in tree.body:  # module level only: TYPE_CHECKING imports name our own classes
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.update(alias.asname or alias.name for alias in node.names)
    assert imported - MODULE_IMPORTS == set()


# -- refused ------------------------------------------------------------------------------------


def _with_component(name: str) -> dict[str, Any]:
    spec = mini()
    spec["components"]["schemas"][name] = {"type": "object", "properties": {}}
    return spec


def _with_action(name: str) -> dict[str, Any]:
    spec = mini()
    spec["paths"][ACTION_PATH]["post"]["x-thg-action"] = name
    return spec


def _with_entity(name: str) -> dict[str, Any]:
    spec = mini()
    spec["paths"]["/api/mini/v1/{owner}/widget"]["x-thg-entity"]["name"] = name
    return spec


def _with_product(name: str) -> dict[str, Any]:
    spec = mini()
    spec["info"]["x-thg-product"] = name
    return spec


REFUSED = [
    ("component", _with_component, "größe"),
    ("component", _with_component, "名前"),
    ("component", _with_component, "a b"),
    ("component", _with_component, 'quo"te'),
    ("component", _with_component, "{{x}}"),
    ("action", _with_action, "größe"),
    ("action", _with_action, "3d"),
    ("action", _with_action, "a-b"),
    ("action", _with_action, "{{ x }}"),
    ("action", _with_action, 'a"b'),
    ("entity", _with_entity, "Widget"),
    ("entity", _with_entity, "wid get"),
    ("entity", _with_entity, "größe"),
    ("product", _with_product, "mini\n"),
    ("product", _with_product, 'mi"ni'),
]


@pytest.mark.parametrize(
    ("where", "edit", "name"), REFUSED, ids=[f"{w}-{n!r}" for w, _, n in REFUSED]
)
def test_refused_with_a_located_diagnostic(
    tmp_path: Path, where: str, edit: Any, name: str
) -> None:
    spec = _spec_file(tmp_path / "spec", edit(name))
    out = tmp_path / "out"
    with pytest.raises(SpecError) as caught:
        generate([spec], out)
    errors = [d for d in caught.value.diagnostics if has_errors([d])]
    assert errors
    for d in errors:
        assert Path(d.file).name == "mini.yaml" and d.line >= 1 and d.column >= 1, d.format()
        assert d.pointer.startswith("/") and d.rule.startswith("THG"), d.format()
        assert d.format().startswith(f"{d.file}:{d.line}:{d.column} {d.pointer}: ")
    assert not out.exists()  # nothing written
