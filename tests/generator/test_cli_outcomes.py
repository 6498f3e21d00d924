"""Every command's outcome as CI reads it: exit 0 done, 1 the answer CI fails on (breaking,
stale), 2 invalid specs or a bad argument; `--format json` gives one JSON document on stdout for
every outcome; output is UTF-8 whatever the console's encoding; `--help` shows examples."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from thg_codegen.cli import main

from .broken_specs import BROKEN, VALID
from .diff_specs import CORPUS

REPO = Path(__file__).resolve().parents[2]
COMMANDS = ["validate", "generate", "check", "release", "diff", "overlay"]


def _json(*args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def _mini(tmp_path: Path) -> Path:
    spec = tmp_path / "specs" / "mini.yaml"
    spec.parent.mkdir()
    shutil.copy(VALID, spec)
    return spec


def test_validate_outcomes_in_json(tmp_path: Path) -> None:
    code, doc = _json("validate", str(VALID))
    assert (code, doc["command"], doc["ok"], doc["diagnostics"]) == (0, "validate", True, [])
    assert doc["specs"] == [str(VALID)] and doc["exit_code"] == 0
    broken = BROKEN / "dangling-ref" / "mini.yaml"
    code, doc = _json("validate", str(broken))
    assert (code, doc["ok"], doc["exit_code"]) == (2, False, 2)
    first = doc["diagnostics"][0]
    assert set(first) == {
        "file",
        "line",
        "column",
        "pointer",
        "rule",
        "severity",
        "message",
        "hint",
    }
    assert first["rule"].startswith("THG") and first["line"] >= 1
    code, doc = _json("validate", str(tmp_path))  # a folder without specs
    assert code == 2 and "no spec files" in doc["summary"]


def test_generate_check_and_release_outcomes_in_json(tmp_path: Path) -> None:
    spec, out = _mini(tmp_path), tmp_path / "out"
    code, doc = _json("generate", str(spec), "-o", str(out))
    assert (code, doc["command"], doc["output"]) == (0, "generate", str(out))
    assert "src/thg_connect/mini/widget.py" in doc["written"] and doc["removed"] == []
    assert _json("check", str(spec), "-o", str(out)) == (
        0,
        {
            "command": "check",
            "exit_code": 0,
            "ok": True,
            "summary": f"{out} is up to date with 1 spec(s)",
            "diagnostics": [],
            "output": str(out),
            "differences": [],
        },
    )
    (out / "src/thg_connect/mini/widget.py").write_text("# edited\n")
    code, doc = _json("check", str(spec), "-o", str(out))
    assert (code, doc["ok"]) == (1, False)
    assert doc["differences"] == ["changed  src/thg_connect/mini/widget.py"]
    code, doc = _json("release", str(spec), "-o", str(out))
    assert (code, doc["command"]) == (0, "release") and doc["version"]


def test_invalid_specs_and_bad_arguments_exit_2_in_json(tmp_path: Path) -> None:
    broken = str(BROKEN / "dangling-ref" / "mini.yaml")
    for command in ("generate", "check", "release"):
        code, doc = _json(command, broken, "-o", str(tmp_path / "out"))
        assert (code, doc["command"]) == (2, command)
        assert doc["diagnostics"] and "nothing was written" in doc["summary"]
    afile = tmp_path / "afile"
    afile.write_text("")
    code, doc = _json("generate", str(VALID), "-o", str(afile / "sub"))
    assert code == 2 and "afile" in doc["error"]
    code, doc = _json("diff", str(VALID), "no-such-revision-or-path")
    assert (code, doc["command"], doc["ok"]) == (2, "diff", False)
    assert "neither a spec file" in doc["error"]
    code, doc = _json("diff", str(VALID), broken)
    assert code == 2 and doc["diagnostics"][0]["file"].endswith("mini.yaml")


def test_diff_json_carries_the_outcome() -> None:
    old, new = (str(CORPUS / "field-removed" / side) for side in ("old", "new"))
    code, doc = _json("diff", old, new)
    assert (code, doc["command"], doc["exit_code"], doc["bump"]) == (1, "diff", 1, "major")
    code, doc = _json("diff", old, new, "--fail-on", "none")
    assert (code, doc["exit_code"]) == (0, 0)


def test_a_usage_error_exits_2() -> None:
    assert CliRunner().invoke(main, ["generate", "--no-such-option"]).exit_code == 2
    assert CliRunner().invoke(main, ["diff", "only-one"]).exit_code == 2


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_shows_examples_and_exit_statuses(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    examples = result.stdout.split("Examples:", 1)[1]
    assert f"thg-codegen {command}" in examples
    assert "Exit status: 0" in result.stdout and "--format [text|json]" in result.stdout


def test_output_is_utf8_on_a_cp1252_console(tmp_path: Path) -> None:
    """The report's arrows (not in cp1252) once crashed `diff` with UnicodeEncodeError."""
    old, new = tmp_path / "old" / "mini.yaml", tmp_path / "new" / "mini.yaml"
    for side in (old, new):
        side.parent.mkdir()
        shutil.copy(VALID, side)
    text = new.read_text("utf-8")
    new.write_text(text.replace("Creates a widget.", "Creates a widget → 小部件.", 1), "utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"}
    command = [sys.executable, "-m", "thg_codegen", "diff", str(old), str(new)]
    result = subprocess.run(command, capture_output=True, env=env, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    report = result.stdout.decode("utf-8")  # "→" and "·" are in the report's own lines
    assert f"{old} → {new}" in report and "mini:widget · create()" in report
    assert b"Traceback" not in result.stderr
