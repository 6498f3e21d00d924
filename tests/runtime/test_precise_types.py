"""Precise types of the client surface (issue 17): checked by running mypy --strict on small
snippets, plus the runtime behaviour the types promise."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from thg_connect_core import ClientConfig, Secret, SyncAPIClient, SyncResource

ROOT = Path(__file__).resolve().parents[2]


def _mypy(tmp_path: Path, code: str) -> str:
    source = tmp_path / "snippet.py"
    source.write_text(textwrap.dedent(code), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            str(source),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": ""},
    )
    return result.stdout


def test_the_config_takes_its_secret_as_text_and_from_env_checks_option_names(
    tmp_path: Path,
) -> None:
    out = _mypy(
        tmp_path,
        """
        from thg_connect_core import ClientConfig
        ClientConfig("id", "secret", "acme", "https://a", "https://t", "https://a")
        ClientConfig.from_env(max_retries=1, client_secret="s")
        ClientConfig.from_env(max_retrys=1)
        """,
    )
    assert out.count("error:") == 1 and 'Unexpected keyword argument "max_retrys"' in out, out


def test_from_env_accepts_every_field_and_wraps_the_secret() -> None:
    config = ClientConfig.from_env(
        {}, client_id="c", client_secret="s", owner="o", max_retries=0, timeout=2.0
    )
    assert isinstance(config.client_secret, Secret) and config.client_secret.reveal() == "s"
    assert (config.max_retries, config.timeout) == (0, 2.0)


@pytest.mark.parametrize("size", [0, -1])
def test_page_size_below_one_is_an_error_not_the_default(size: int) -> None:
    api = SyncAPIClient(ClientConfig("c", "s", "o", "https://a", "https://t", "https://a"))
    resource = SyncResource(api, "api/p/v1/o/thing")
    with pytest.raises(ValueError, match="page_size must be at least 1"):
        resource._list(
            dict,
            filter=None,
            page_size=size,
            start_page=1,
            max_items=None,
            timeout=None,
            extra_headers=None,
            extra_query=None,
        )
    api.close()
