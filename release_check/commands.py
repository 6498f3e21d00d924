"""Running the release check's subprocesses: bounded in time, output kept for the failure."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

OUTPUT_TAIL = 40  # lines of a failed command's output shown in its error


class ReleaseCheckError(Exception):
    """A step of the release check failed; the message says which and shows the evidence."""


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for child interpreters: no PYTHON* variables or active venv leaking in."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PYTHON") and k not in {"VIRTUAL_ENV", "__PYVENV_LAUNCHER__"}
    }
    env.update(extra or {})
    return env


def run(
    command: Sequence[str | Path],
    *,
    what: str,
    timeout: float,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> str:
    """Run ``command`` to completion and return its stdout; ``ReleaseCheckError`` on a non-zero
    exit or when it outlives ``timeout`` seconds (the child is killed then)."""
    args = [str(part) for part in command]
    try:
        done = subprocess.run(
            args,
            cwd=cwd,
            env=dict(env) if env is not None else clean_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise ReleaseCheckError(f"{what}: timed out after {timeout:.0f} s") from None
    if done.returncode != 0:
        raise ReleaseCheckError(f"{what}: exit {done.returncode}\n{tail(done.stdout, done.stderr)}")
    return done.stdout


def tail(*outputs: str) -> str:
    """The last lines of a command's output, without the index-location noise of pip's config."""
    lines = [
        line
        for output in outputs
        for line in output.splitlines()
        if line.strip() and "is ignored: it is neither a file nor a directory" not in line
    ]
    return "\n".join("    " + line for line in lines[-OUTPUT_TAIL:])
