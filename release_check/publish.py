"""The publish step (issue 16): upload the four distributions with ``twine`` to a package index
running locally (pypiserver on a free 127.0.0.1 port, started and stopped here), then install
``thg-connect`` and ``thg-sandbox`` *by name* from that index alone into a fresh venv and run,
with what it installed, ``thg-sandbox serve`` (no ``--specs``: the installed client's), the
smoke test through the installed client, and a one-test pytest file on the plugin's
``thg_clients`` fixture.

The index serves no fallback: pypiserver can redirect a missing name to the public index, but
then "installed from the index" would quietly include the network and whatever is newest there.
Instead the other distributions the venv needs (httpx, pydantic, starlette, uvicorn, pytest, …)
are downloaded once, at the versions pinned in ``constraints.txt``, into a cached wheelhouse that
is the index's folder besides the uploads. The venv's pip gets no configuration file and no
``PIP_*`` variable, so ``--index-url`` is its only source.
"""

from __future__ import annotations

import hashlib
import http.client
import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from .build import INSTALL_TIMEOUT, Built, build, build_requirements, ensure_build_env, twine_check
from .cache import cache_lock, is_ready, mark_ready, prune
from .commands import ReleaseCheckError, clean_env, run, tail
from .matrix import Distributions, _probe, smoke_env
from .pins import TEST_RUNNER, pins_file
from .sandbox_process import HOST, SandboxProcess, free_port, stop_process
from .venvs import Interpreter, find_interpreter

PUBLISH_PYTHON = "3.11"  # CI's Python
# CI publishes and installs by name on these: CI's Python and the newest the client supports (the
# kit covers every Python with the wheels installed directly; the index install is the same).
PUBLISH_PYTHONS = (PUBLISH_PYTHON, "3.13")
READY_TIMEOUT = 30.0
UPLOAD_TIMEOUT = 300.0
PYTEST_TIMEOUT = 300.0
# The first test of the README's fixture-based test file ("Install and use"), for a check of an
# install made elsewhere (--published), where no README is at hand; with the repository, the
# README's own file runs (readme_test_file).
FIXTURE_TEST = """\
from thg_connect.thg_fulfil import ApprovalApproved, Barcode, Dimensions, InventoryItem


def item(sku):
    return InventoryItem(
        consumer_reference=sku, title="Amber Dusk", description="Eau de parfum, 50 ml",
        type="fragrance", barcodes=[Barcode(barcode="5056379512345", type="ean")],
        dimensions=Dimensions(depth=4, height=12, mass=0.245, width=6.5), batch_controlled=True,
    )


def test_a_sku_ending_010_is_approved(thg_clients):
    items = thg_clients.consumer.thg_fulfil.inventory
    created = items.create(item("AMBER-010"))
    assert isinstance(items(created.id).approval.get().attributes, ApprovalApproved)
"""


@dataclass
class Published:
    """The publish step's results: ``failure`` is empty when everything passed."""

    uploaded: list[str] = field(default_factory=list)
    installed: dict[str, str] = field(default_factory=dict)  # name -> version, from the index
    smoke: str = "-"
    fixture_test: str = "-"
    seconds: float = 0.0
    failure: str = ""
    python: str = ""  # the version the venv installing by name ran

    @property
    def ok(self) -> bool:
        return not self.failure and self.smoke == "ok" and self.fixture_test == "ok"

    def line(self, label: str = "publish to a local index + install by name") -> str:
        status = "ok" if self.ok else "FAIL"
        on = f" on Python {self.python}" if self.python else ""
        return (
            f"{label}{on}: {status} ({self.seconds:.1f} s; "
            f"smoke {self.smoke}, fixture test {self.fixture_test})"
            + (f"\n{self.failure}" if self.failure else "")
        )


def pypiserver_path() -> Path:
    """The folder this interpreter imports pypiserver from (the dev extras install it)."""
    spec = importlib.util.find_spec("pypiserver")
    if spec is None or not spec.submodule_search_locations:
        raise ReleaseCheckError(
            "publish: pypiserver is not installed (it is in the dev extras: bash scripts/test or "
            "bash scripts/release-check installs it)"
        )
    return Path(next(iter(spec.submodule_search_locations))).parent


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", "/simple/")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


class LocalIndex:
    """``with LocalIndex(folder, log) as index: index.url``: pypiserver serving ``folder`` on a
    free loopback port, uploads without authentication, no fallback; stopped by its pid."""

    def __init__(self, folder: Path, log: Path) -> None:
        self.folder = folder
        self.log = log
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    @property
    def simple_url(self) -> str:
        return f"{self.url}simple/"

    def start(self) -> None:
        self.port = free_port()
        command: list[str] = [sys.executable, "-m", "pypiserver", "run"]
        command += ["--host", HOST, "--port", str(self.port), "--disable-fallback"]
        command += ["-a", ".", "-P", ".", "-v", "--log-stream", "stderr", str(self.folder)]
        env = clean_env({"PYTHONPATH": str(pypiserver_path())})
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline and self._process.poll() is None:
            if _answers(self.port):
                return
            time.sleep(0.2)
        self.stop()
        raise ReleaseCheckError(f"local index: not answering; see {self.log}")

    def stop(self) -> None:
        process, self._process = self._process, None
        stop_process(process)

    def __enter__(self) -> LocalIndex:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def ours(name: str) -> bool:
    return name.lower().replace("-", "_").startswith("thg_")


def wheelhouse(root: Path, cache: Path, wheels: Sequence[Path], interpreter: Interpreter) -> Path:
    """The other distributions ``wheels`` and the test runner need, as wheels for
    ``interpreter``: on the release check's own Python at the versions pinned in
    ``constraints.txt``, on another at that Python's pins (``release_check/pins``, as the kit's
    venvs), downloaded by its own pip so the wheels fit it; once per set of pins (cached)."""
    if interpreter.version == platform.python_version():
        pins_path = root / "constraints.txt"
        pip: list[str | Path] = [sys.executable, "-m", "pip"]
    else:
        pins_path = pins_file(interpreter.minor)
        if not pins_path.is_file():
            raise ReleaseCheckError(f"publish: no {pins_path}: run bash scripts/lock")
        pip = (
            [interpreter.path, interpreter.bundled_pip / "pip"]
            if interpreter.bundled_pip is not None
            else [interpreter.path, "-m", "pip"]
        )
    pins = pins_path.read_text(encoding="utf-8")
    key = hashlib.sha256("\n".join([interpreter.version, pins, TEST_RUNNER]).encode()).hexdigest()
    house = cache / f"wheelhouse-{key[:16]}"
    if is_ready(house):
        return house
    with cache_lock(cache):
        if is_ready(house):
            return house
        prune(cache, "wheelhouse-*", keep=house)
        shutil.rmtree(house, ignore_errors=True)
        command = [*pip, "download", "--quiet", "--disable-pip-version-check"]
        command += ["--only-binary", ":all:", "--dest", house, "-c", pins_path]
        run([*command, *wheels, TEST_RUNNER], what="wheelhouse: pip download", timeout=600)
        for path in house.iterdir():  # ours come from the upload, not from here
            if ours(path.name):
                path.unlink()
        mark_ready(house, "\n".join(sorted(p.name for p in house.iterdir())) + "\n")
    return house


def upload(index: LocalIndex, files: Sequence[Path]) -> None:
    """``twine upload`` as a release job does it, to the local index (which needs no password)."""
    command: list[str | Path] = [sys.executable, "-m", "twine", "upload", "--non-interactive"]
    command += ["--disable-progress-bar", "--repository-url", index.url]
    command += ["--username", "release-check", "--password", "unused", *files]
    env = clean_env({"NO_COLOR": "1"})
    env = {k: v for k, v in env.items() if not k.startswith("TWINE_")}
    run(command, what="twine upload", timeout=UPLOAD_TIMEOUT, env=env)


def index_only_env() -> dict[str, str]:
    """pip with no configuration file and no ``PIP_*`` variable: the command line is all."""
    env = {k: v for k, v in clean_env().items() if not k.startswith("PIP_")}
    env.update({"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    return env


def install_by_name(interpreter: Interpreter, home: Path, index: LocalIndex) -> Path:
    """A fresh venv holding ``thg-connect``, ``thg-sandbox`` and pytest from ``index`` alone."""
    shutil.rmtree(home, ignore_errors=True)
    python = home / "bin" / "python"
    if interpreter.bundled_pip is not None:
        run([interpreter.path, "-m", "venv", "--without-pip", home], what="venv", timeout=120)
        pip: list[str | Path] = [python, interpreter.bundled_pip / "pip"]
    else:
        run([interpreter.path, "-m", "venv", home], what="venv", timeout=300)
        pip = [python, "-m", "pip"]
    command = [*pip, "install", "--quiet", "--no-input", "--no-cache-dir"]
    command += ["--index-url", index.simple_url, "thg-connect", "thg-sandbox", TEST_RUNNER]
    run(command, what="pip install by name", timeout=INSTALL_TIMEOUT, env=index_only_env())
    return python


def installed_versions(python: Path) -> dict[str, str]:
    code = (
        "from importlib.metadata import version as v\n"
        "for n in ('thg-connect', 'thg-connect-core', 'thg-sandbox', 'thg-spec'): print(n, v(n))"
    )
    out = run([python, "-I", "-c", code], what="installed versions", timeout=60)
    return dict(line.split(" ", 1) for line in out.splitlines() if line.strip())


def build_others(root: Path, work: Path, cache: Path) -> list[Built]:
    """``frontend/`` and ``sandbox/``: the two distributions the sandbox's users install too."""
    projects = [root / "frontend", root / "sandbox"]
    python = ensure_build_env(cache, build_requirements([root / "runtime", root / "generated"]))
    built = [build(project, work, python) for project in projects]
    twine_check([path for b in built for path in (b.wheel, b.sdist)])
    return built


def check_published(
    root: Path,
    work: Path,
    dists: Distributions,
    *,
    interpreter: Interpreter | None = None,
    others: Sequence[Built] | None = None,
    minor: str = PUBLISH_PYTHON,
) -> Published:
    """Everything of the publish step on Python ``minor`` (or ``interpreter``); failures land
    in the result, not raised. ``others``: ``frontend/`` and ``sandbox/`` built already (by
    ``build_others``), else built here."""
    started = time.monotonic()
    result = Published()
    cache = root / ".release-check"
    work.mkdir(parents=True, exist_ok=True)
    try:
        interpreter = interpreter or find_interpreter(minor)
        if interpreter is None:
            raise ReleaseCheckError(f"publish: python{minor} not found")
        result.python = interpreter.version
        others = others if others is not None else build_others(root, work, cache)
        built = [dists.runtime, dists.generated, *others]
        files = [path for b in built for path in (b.wheel, b.sdist)]
        folder = work / "index"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(wheelhouse(root, cache, [b.wheel for b in built], interpreter), folder)
        (folder / ".complete").unlink(missing_ok=True)
        with LocalIndex(folder, work / "index.log") as index:
            upload(index, files)
            result.uploaded = [path.name for path in files]
            python = install_by_name(interpreter, work / "published-venv", index)
        check_installed(python, work, result, test_file=readme_test_file(root))
    except ReleaseCheckError as exc:
        result.failure = str(exc)
    result.seconds = time.monotonic() - started
    return result


def readme_test_file(root: Path) -> str:
    """The README's "Install and use" test file (its ``# test_inventory.py`` block), which
    tests/e2e/test_readme_kit.py runs from the sources: here it runs with what was installed."""
    readme = (root / "README.md").read_text(encoding="utf-8")
    blocks: list[str] = re.findall(r"```python\n(.*?)```", readme, re.S)
    found = [b for b in blocks if b.startswith("# test_inventory.py")]
    if len(found) != 1:
        raise ReleaseCheckError("README.md: expected one ```python block `# test_inventory.py`")
    return found[0]


def check_installed(
    python: Path, work: Path, result: Published | None = None, *, test_file: str = FIXTURE_TEST
) -> Published:
    """With the ``thg-connect`` and ``thg-sandbox`` installed for ``python`` (from the local
    index, or from a real one after publishing): ``thg-sandbox serve`` without ``--specs``, the
    smoke test through the installed client, and the fixture-based test under pytest."""
    started = time.monotonic()
    result = result or Published()
    result.installed = installed_versions(python)
    # An empty working folder: no ./specs for the sandbox to fall back on, no sources to import.
    user = work / "user-project"
    shutil.rmtree(user, ignore_errors=True)
    user.mkdir()
    failures: list[str] = []
    sandbox = SandboxProcess(
        user,
        work / "published-sandbox.log",
        executable=python.parent / "thg-sandbox",
        default_specs=True,
    )
    try:
        with sandbox:
            sandbox.wait_ready()
            _probe(python, ["smoke"], "published smoke", user, smoke_env(sandbox))
        result.smoke = "ok"
    except ReleaseCheckError as exc:
        result.smoke = "FAIL"
        failures.append(str(exc))
    (user / "test_inventory.py").write_text(test_file, encoding="utf-8")
    tests = len(re.findall(r"^def test_", test_file, re.M))
    try:
        command: list[str | Path] = [python, "-I", "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        out = run(
            [*command, "test_inventory.py"],
            what="published pytest",
            timeout=PYTEST_TIMEOUT,
            cwd=user,
            env=clean_env(),
        )
        if f"{tests} passed" not in out:
            raise ReleaseCheckError(f"published pytest: not {tests} passed:\n{tail(out)}")
        result.fixture_test = "ok"
    except ReleaseCheckError as exc:
        result.fixture_test = "FAIL"
        failures.append(str(exc))
    result.failure = "\n".join(failures)
    result.seconds = time.monotonic() - started
    return result
