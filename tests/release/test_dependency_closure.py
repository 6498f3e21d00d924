"""What each distribution brings with it: the sandbox installs without the generator's rendering
and formatting stack, and the generator's wheel ships its templates but not the release tools."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The generator's own stack: none of it belongs in a user's test environment.
GENERATOR_ONLY = {"thg-codegen", "black", "ruff", "jinja2", "rapidyaml"}


def _pip(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_CONSTRAINT": ""}  # the published ranges, not this repo's pins
    return subprocess.run(
        [sys.executable, "-m", "pip", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _resolved(tmp_path: Path, *projects: str) -> set[str]:
    report = tmp_path / "report.json"
    paths = [str(ROOT / p) for p in projects]
    result = _pip(
        "install", "--quiet", "--dry-run", "--ignore-installed", "--report", str(report), *paths
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(report.read_text(encoding="utf-8"))
    return {_canonical(item["metadata"]["name"]) for item in data["install"]}


def test_sandbox_resolves_without_the_generator(tmp_path: Path) -> None:
    # thg-spec and thg-connect-core are not on the registry: their folders stand in for them.
    sandbox = _resolved(tmp_path, "sandbox", "frontend", "runtime")
    runtime = _resolved(tmp_path, "runtime")
    assert {"thg-sandbox", "thg-spec", "thg-connect-core"} <= sandbox
    assert not sandbox & GENERATOR_ONLY, sorted(sandbox & GENERATOR_ONLY)
    # What the sandbox adds beyond the runtime is the front-end and the server, not a toolchain.
    assert len(sandbox) < len(runtime) + 30, sorted(sandbox - runtime)


@pytest.fixture(scope="module")
def generator_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = _pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT))
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = out.glob("thg_codegen-*.whl")
    return wheel


def test_generator_wheel_ships_templates_not_release_tools(generator_wheel: Path) -> None:
    names = zipfile.ZipFile(generator_wheel).namelist()
    templates = {Path(n).name for n in names if n.startswith("thg_codegen/templates/")}
    assert templates == {p.name for p in (ROOT / "templates").glob("*.j2")}
    assert not [n for n in names if "release" in n.split("/")[0] or "/release/" in n]
    assert not [n for n in names if n.startswith("thg_spec/")], "the front-end ships apart"
