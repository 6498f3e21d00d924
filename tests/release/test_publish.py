"""The publish step (issue 16): the distributions go to a package index running locally with
``twine upload``, and a fresh venv installs ``thg-connect`` and ``thg-sandbox`` by name from it
alone, then runs the sandbox (the installed client's specs), the smoke test and a test on the
plugin's ``thg_clients`` fixture, on CI's Python (3.11) and the newest supported (3.13). About
10-20 s each once the wheelhouse is cached."""

from __future__ import annotations

import http.client
import os
from pathlib import Path

import pytest

from release_check.build import Built
from release_check.matrix import Distributions
from release_check.publish import PUBLISH_PYTHONS, LocalIndex, check_published, index_only_env
from release_check.sandbox_process import HOST

from .conftest import ROOT


@pytest.mark.parametrize("minor", PUBLISH_PYTHONS)
def test_published_packages_install_by_name_and_pass_smoke_and_fixture_test(
    minor: str, release_work: Path, distributions: Distributions, others: list[Built]
) -> None:
    work = release_work / f"publish-{minor}"
    result = check_published(ROOT, work, distributions, others=others, minor=minor)
    assert result.ok, result.failure
    assert result.python.startswith(f"{minor}.")
    names = {name.split("-")[0] for name in result.uploaded}
    assert names == {"thg_connect", "thg_connect_core", "thg_spec", "thg_sandbox"}
    assert len(result.uploaded) == 8  # a wheel and an sdist each
    version = distributions.generated.wheel.name.split("-")[1]
    assert result.installed["thg-connect"] == version
    assert set(result.installed) == {"thg-connect", "thg-connect-core", "thg-sandbox", "thg-spec"}
    # pip fetched our names from the local index (pypiserver logs each request).
    log = (work / "index.log").read_text(encoding="utf-8")
    assert '"GET /simple/thg-connect/ HTTP/1.1" 200' in log
    assert '"GET /simple/thg-sandbox/ HTTP/1.1" 200' in log


def _status(port: int, path: str) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def test_local_index_has_no_fallback_and_stops(tmp_path: Path) -> None:
    (tmp_path / "index").mkdir()
    with LocalIndex(tmp_path / "index", tmp_path / "index.log") as index:
        assert index.simple_url == f"http://127.0.0.1:{index.port}/simple/"
        # A name it does not hold is "not found", not a redirect to another index.
        assert _status(index.port, "/simple/httpx/") == 404
    with pytest.raises(OSError):
        _status(index.port, "/simple/")


def test_venv_pip_sees_no_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIP_FIND_LINKS", "/somewhere")
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", "file:///somewhere")
    env = index_only_env()
    assert env["PIP_CONFIG_FILE"] == os.devnull
    assert {k for k in env if k.startswith("PIP_")} == {
        "PIP_CONFIG_FILE",
        "PIP_DISABLE_PIP_VERSION_CHECK",
    }
