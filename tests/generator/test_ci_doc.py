"""docs/ci.md cannot rot silently: its workflows parse, every command of ours they run exists with
the options and choices used, and the diff step's script does what the page says when run in a
scratch repository."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any, Iterator

import click
import pytest
import yaml

from release_check.__main__ import main as release_check_main
from thg_codegen.cli import main
from thg_codegen.diff.acknowledge import load_acknowledgements, parse_acknowledgements

from .diff_specs import VALID

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "ci.md"
SHELL_OPERATORS = ("|", "||", "&&", ";", ">", ">>", "2>&1", "<")


def _fenced(language: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.M | re.S)


def _workflows() -> dict[str, dict[str, Any]]:
    loaded = [yaml.safe_load(block) for block in _fenced("yaml")]
    return {workflow["name"]: workflow for workflow in loaded}


def _steps(workflow: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for job in workflow["jobs"].values():
        yield from job["steps"]


def _runs() -> list[str]:
    return [step["run"] for wf in _workflows().values() for step in _steps(wf) if "run" in step]


def _command_lines(script: str) -> list[list[str]]:
    """Each shell line of a `run:` script as words, continuation lines joined."""
    lines = script.replace("\\\n", " ").splitlines()
    return [shlex.split(line) for line in lines if line.strip() and line.strip()[0] not in "{}"]


def _arguments(words: list[str], start: int) -> list[str]:
    taken: list[str] = []
    for word in words[start:]:
        if word in SHELL_OPERATORS or word.startswith((">", "2>")):
            break
        taken.append(word)
    return taken


def _invocations(tool: str) -> list[list[str]]:
    """The arguments of every call of `tool` (a program's name or a script's path)."""
    found = []
    for script in _runs():
        for words in _command_lines(script):
            for index, word in enumerate(words):
                if word == tool or word.endswith("/" + tool):
                    found.append(_arguments(words, index + 1))
    return found


def _trigger(workflow: dict[Any, Any]) -> Any:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


def test_doc_has_the_two_workflows() -> None:
    assert sorted(_workflows()) == ["release", "specs"]


def test_thg_codegen_calls_name_real_commands_options_and_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)  # paths such as --acknowledged specs/BREAKING.md must exist
    calls = _invocations("thg-codegen")
    assert calls, "docs/ci.md runs no thg-codegen command"
    for args in calls:
        assert args and args[0] in main.commands, f"no command `thg-codegen {' '.join(args)}`"
        command = main.commands[args[0]]
        try:
            command.make_context(args[0], args[1:])  # parses options and choices, runs nothing
        except click.ClickException as error:
            pytest.fail(f"docs/ci.md: `thg-codegen {' '.join(args)}`: {error.format_message()}")
    (tool,) = {w for s in _runs() for ws in _command_lines(s) for w in ws if "thg-codegen" in w}
    assert tool == ".venv/bin/thg-codegen"  # where scripts/ install it


def test_scripts_exist_and_release_check_options_exist(capsys: pytest.CaptureFixture[str]) -> None:
    scripts = {word for script in _runs() for word in re.findall(r"bash (scripts/[\w.-]+)", script)}
    assert scripts == {"scripts/generate", "scripts/release-check"}
    assert all((REPO / script).is_file() for script in scripts)
    with pytest.raises(SystemExit):
        release_check_main(["--help"])
    accepted = set(re.findall(r"--[a-z-]+", capsys.readouterr().out))
    for args in _invocations("scripts/release-check"):
        used = {word for word in args if word.startswith("--")}
        assert used <= accepted, f"release-check has no {used - accepted}"


def test_specs_workflow_does_what_the_issue_asks() -> None:
    workflow = _workflows()["specs"]
    assert "specs/**" in _trigger(workflow)["pull_request"]["paths"]
    steps = list(_steps(workflow))
    uses = {step.get("uses", "").split("@")[0]: step for step in steps}
    assert uses["actions/checkout"]["with"]["fetch-depth"] == 0
    assert uses["actions/setup-python"]["with"]["python-version"] == "3.11"
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "bash scripts/generate" in runs
    assert 'git status --porcelain generated/)"' in runs
    diffs = _invocations("thg-codegen")
    assert ["diff", "origin/main", "specs", "--format", "json"] == diffs[0][:5]
    assert all("--acknowledged" in args for args in diffs)
    assert "gh pr comment" in runs
    failing = steps[-1]
    assert "steps.diff.outputs.status" in failing["if"] and "exit 1" in failing["run"]


def test_release_workflow_checks_before_publishing() -> None:
    workflow = _workflows()["release"]
    check, publish = workflow["jobs"]["check"], workflow["jobs"]["publish"]
    assert publish["needs"] == "check"
    assert any("bash scripts/release-check" in step.get("run", "") for step in check["steps"])
    versions = next(s for s in check["steps"] if "setup-python" in s.get("uses", ""))
    assert versions["with"]["python-version"].split() == ["3.9", "3.10", "3.12", "3.13", "3.11"]


def test_acknowledgement_file_and_doc_example_parse() -> None:
    load_acknowledgements(REPO / "specs" / "BREAKING.md")  # raises when malformed
    (example,) = _fenced("text")
    suggestion = next(line.strip() for line in example.splitlines() if "<why" in line)
    (entry,) = parse_acknowledgements(suggestion.replace("<why this break is intended>", "ok"), "")
    assert entry.kind in example and entry.where in example


# --- the specs workflow's scripts, run as the hosting service would run them ---


def _step_script(name: str) -> str:
    return str(next(s["run"] for s in _steps(_workflows()["specs"]) if s.get("name") == name))


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def _run_step(repo: Path, name: str) -> tuple[int, dict[str, str]]:
    output = repo / "github-output"
    output.write_text("", encoding="utf-8")
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _step_script(name)],
        cwd=repo,
        env={**os.environ, "GITHUB_OUTPUT": str(output)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    pairs = dict(line.split("=", 1) for line in output.read_text("utf-8").splitlines())
    return done.returncode, pairs


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A repo whose origin/main has specs/mini.yaml and generated/; the work tree removes a
    field."""
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    (repo / "generated").mkdir()
    (repo / ".venv").symlink_to(REPO / ".venv")
    (repo / ".gitignore").write_text(".venv\ngithub-output\nspec-diff.*\n", encoding="utf-8")
    text = VALID.read_text(encoding="utf-8")
    (repo / "specs" / "mini.yaml").write_text(text, encoding="utf-8")
    (repo / "specs" / "BREAKING.md").write_bytes((REPO / "specs" / "BREAKING.md").read_bytes())
    (repo / "generated" / "client.py").write_text("# generated\n", encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "main")
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    related = (
        "        related: {type: string, format: thg-reference, "
        "x-thg-reference-to: 'mini:widget'}\n"
    )
    (repo / "specs" / "mini.yaml").write_text(text.replace(related, ""), encoding="utf-8")
    return repo


def test_diff_step_fails_until_the_break_is_acknowledged(pull_request: Path) -> None:
    status, outputs = _run_step(pull_request, "Diff the specs against main")
    assert status == 0  # the step itself goes on, so that the report is posted
    assert outputs == {"status": "1"}
    report = json.loads((pull_request / "spec-diff.json").read_text(encoding="utf-8"))
    assert report["summary"]["unacknowledged"] == 1
    text = (pull_request / "spec-diff.txt").read_text(encoding="utf-8")
    suggestion = next(line.strip() for line in text.splitlines() if "<why" in line)

    breaking = pull_request / "specs" / "BREAKING.md"
    intended = suggestion.replace("<why this break is intended>", "nobody reads it")
    breaking.write_text(breaking.read_text(encoding="utf-8") + intended + "\n", encoding="utf-8")
    status, outputs = _run_step(pull_request, "Diff the specs against main")
    assert (status, outputs) == (0, {"status": "0"})
    text = (pull_request / "spec-diff.txt").read_text(encoding="utf-8")
    assert "✓ acknowledged in specs/BREAKING.md: nobody reads it" in text


def test_generated_step_fails_when_generated_is_not_committed(pull_request: Path) -> None:
    assert _run_step(pull_request, "Check that generated/ is committed")[0] == 0
    (pull_request / "generated" / "client.py").write_text("# regenerated\n", encoding="utf-8")
    assert _run_step(pull_request, "Check that generated/ is committed")[0] == 1
    (pull_request / "generated" / "client.py").write_text("# generated\n", encoding="utf-8")
    (pull_request / "generated" / "new.py").write_text("# new\n", encoding="utf-8")
    assert _run_step(pull_request, "Check that generated/ is committed")[0] == 1
