"""The whole release check: build and check both distributions once, then per Python a venv,
the import probe and the smoke test against one shared sandbox; a row of results per Python."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .build import Built, build, build_requirements, ensure_build_env, twine_check
from .commands import ReleaseCheckError, clean_env, run, tail
from .contents import generated_package_files, sdist_problems, source_package_files, wheel_problems
from .examples import example_documents
from .pins import pins_file
from .sandbox_process import SandboxProcess
from .venvs import SUPPORTED, Interpreter, ensure_venv, find_interpreter

PROBE = Path(__file__).with_name("probe.py")
PROBE_TIMEOUT = 120.0
SMOKE_CLIENT = "brandco"  # the sandbox's built-in consumer organisation
# The user-facing examples that run as the consumer alone (approve_items.py needs a second actor
# and is run by tests/e2e/test_examples.py instead).
EXAMPLE_SCRIPTS = ("inventory_items.py", "hazmat_document.py")
EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"


@dataclass
class Distributions:
    runtime: Built
    generated: Built
    warnings: list[str]
    seconds: float

    @property
    def wheels(self) -> list[Path]:
        return [self.runtime.wheel, self.generated.wheel]


@dataclass
class Row:
    """One Python's results: each step "ok", "cached", "FAIL" or "-" (not reached)."""

    minor: str
    version: str = "not found"
    install: str = "-"
    imports: str = "-"
    models_ok: str = "-"  # every example document decoded
    smoke: str = "-"
    seconds: float = 0.0
    failure: str = ""
    details: dict[str, object] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)  # spec -> "ok" or the error

    @property
    def ok(self) -> bool:
        return self.version == "not found" or not self.failure


def build_distributions(root: Path, work: Path, cache: Path) -> Distributions:
    """Build, ``twine check`` and inspect both distributions; raise on any problem."""
    started = time.monotonic()
    projects = [root / "runtime", root / "generated"]
    python = ensure_build_env(cache, build_requirements(projects))
    # The builds wait on subprocesses, so two threads overlap them.
    with ThreadPoolExecutor(max_workers=2) as pool:
        runtime, generated = pool.map(lambda project: build(project, work, python), projects)
    warnings = twine_check([runtime.wheel, runtime.sdist, generated.wheel, generated.sdist])
    runtime_files = source_package_files(root / "runtime" / "src")
    generated_files = generated_package_files(root / "generated")
    problems = [
        *wheel_problems(runtime.wheel, "thg_connect_core", runtime_files, headers=False),
        *wheel_problems(generated.wheel, "thg_connect", generated_files, headers=True),
        *sdist_problems(runtime.sdist, runtime_files, ()),
        *sdist_problems(generated.sdist, generated_files, ("README.md",)),
    ]
    if problems:
        raise ReleaseCheckError("distribution contents:\n" + "\n".join(problems))
    return Distributions(runtime, generated, warnings, time.monotonic() - started)


def write_examples(root: Path, work: Path) -> Path:
    path = work / "examples.json"
    path.write_text(json.dumps(example_documents(root / "specs")), encoding="utf-8")
    return path


def smoke_env(sandbox: SandboxProcess) -> dict[str, str]:
    """The ``THG_*`` variables of the sandbox's built-in consumer (sandbox-only credentials)."""
    return clean_env(
        {
            "THG_CLIENT_ID": SMOKE_CLIENT,
            "THG_CLIENT_SECRET": f"{SMOKE_CLIENT}-sandbox-secret",
            "THG_OWNER": SMOKE_CLIENT,
            "THG_BASE_URL": sandbox.base_url,
            "THG_TOKEN_URL": f"{sandbox.base_url}/oauth/token",
            "THG_AUDIENCE": sandbox.base_url,
        }
    )


def _probe(
    python: Path, args: Sequence[str], what: str, work: Path, env: dict[str, str]
) -> dict[str, object]:
    # -I: neither the working directory nor PYTHON* variables reach sys.path.
    out = run([python, "-I", PROBE, *args], what=what, timeout=PROBE_TIMEOUT, cwd=work, env=env)
    try:
        summary = json.loads(out.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise ReleaseCheckError(f"{what}: no JSON summary in its output:\n{tail(out)}") from None
    if not isinstance(summary, dict):
        raise ReleaseCheckError(f"{what}: summary is not an object: {summary!r}")
    return summary


def check_python(
    interpreter: Interpreter,
    dists: Distributions,
    sandbox: SandboxProcess,
    *,
    work: Path,
    cache: Path,
    examples: Path,
    fresh: bool = False,
) -> Row:
    """Install, then the import probe, the models of the examples and the smoke test, each on
    its own (one failing does not hide the others); failures land in the row, not raised."""
    row = Row(interpreter.minor, interpreter.version)
    started = time.monotonic()
    label = f"python{interpreter.minor}"
    failures: list[str] = []
    try:
        pins = pins_file(interpreter.minor)
        venv = ensure_venv(
            interpreter,
            dists.wheels,
            cache,
            fresh=fresh,
            constraints=pins if pins.is_file() else None,
        )
        row.install = "cached" if venv.cached else "ok"
    except ReleaseCheckError as exc:
        row.install, row.failure = "FAIL", str(exc)
        row.seconds = time.monotonic() - started
        return row
    try:
        row.details.update(_probe(venv.python, ["imports"], f"{label} imports", work, clean_env()))
        row.imports = "ok"
    except ReleaseCheckError as exc:
        row.imports = "FAIL"
        failures.append(str(exc))
    try:
        args = ["models", str(examples)]
        verdicts = _probe(venv.python, args, f"{label} models", work, clean_env()).get("models")
        if not isinstance(verdicts, dict):
            raise ReleaseCheckError(f"{label} models: no verdicts: {verdicts!r}")
        row.models = {str(spec): str(verdict) for spec, verdict in verdicts.items()}
        broken = {spec: v for spec, v in row.models.items() if v != "ok"}
        row.models_ok = "FAIL" if broken else "ok"
        failures += [f"{label} models: {spec}: {verdict}" for spec, verdict in broken.items()]
    except ReleaseCheckError as exc:
        row.models_ok = "FAIL"
        failures.append(str(exc))
    try:
        sandbox.wait_ready()
        env = smoke_env(sandbox)
        row.details.update(_probe(venv.python, ["smoke"], f"{label} smoke", work, env))
        for script in EXAMPLE_SCRIPTS:
            run(
                [venv.python, "-I", EXAMPLES_DIR / script],
                what=f"{label} examples/{script}",
                timeout=PROBE_TIMEOUT,
                cwd=work,
                env=env,
            )
        row.smoke = "ok"
    except ReleaseCheckError as exc:
        row.smoke = "FAIL"
        failures.append(str(exc))
    row.failure = "\n".join(failures)
    row.seconds = time.monotonic() - started
    return row


def run_release_check(
    root: Path,
    work: Path,
    *,
    minors: Sequence[str] = SUPPORTED,
    fresh: bool = False,
    report: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> tuple[Distributions, list[Row]]:
    """Everything, in one call; raises ``ReleaseCheckError`` only when the build step fails."""
    cache = root / ".release-check"
    work.mkdir(parents=True, exist_ok=True)
    with SandboxProcess(root, work / "sandbox.log") as sandbox:  # starts while we build
        report("==> build, twine check and contents of runtime/ and generated/")
        dists = build_distributions(root, work, cache)
        examples = write_examples(root, work)
        rows: list[Row] = []
        for minor in minors:
            interpreter = find_interpreter(minor)
            if interpreter is None:
                report(f"==> python{minor}: not found on this machine, skipped")
                rows.append(Row(minor))
                continue
            report(f"==> python{interpreter.version}: venv, imports, smoke")
            rows.append(
                check_python(
                    interpreter,
                    dists,
                    sandbox,
                    work=work,
                    cache=cache,
                    examples=examples,
                    fresh=fresh,
                )
            )
    return dists, rows


def format_table(dists: Distributions, rows: Sequence[Row]) -> str:
    lines = [
        f"build + twine check + contents: ok ({dists.seconds:.1f} s)",
        *(f"  twine warning: {warning}" for warning in dists.warnings),
        "",
        f"{'python':<10} {'build':<6} {'install':<8} {'import':<7} {'models':<7} {'smoke':<6} "
        f"{'seconds':>7}",
    ]
    for row in rows:
        if row.version == "not found":
            lines.append(f"{row.minor:<10} not found on this machine: skipped")
            continue
        lines.append(
            f"{row.version:<10} {'ok':<6} {row.install:<8} {row.imports:<7} "
            f"{row.models_ok:<7} {row.smoke:<6} "
            f"{row.seconds:>7.1f}"
        )
    for row in rows:
        if row.failure:
            lines += ["", f"python{row.version}: {row.failure}"]
    return "\n".join(lines)
