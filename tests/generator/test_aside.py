"""Aside: the result of a computation run in a forked child is the result of running it here."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from thg_codegen import generate as generate_module
from thg_codegen.aside import Aside
from thg_codegen.pipeline import SpecError

SPECS = Path(__file__).resolve().parents[2] / "specs"


def _pid_and_value() -> tuple[int, list[str]]:
    return os.getpid(), ["ok", "é"]


def test_the_result_comes_from_a_child_process() -> None:
    pid, value = Aside(_pid_and_value).result()
    assert pid != os.getpid()
    assert value == ["ok", "é"]


def test_with_threads_running_it_computes_inline() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        pid, _ = Aside(_pid_and_value).result()
    finally:
        stop.set()
        thread.join()
    assert pid == os.getpid()


def test_a_failing_child_is_replaced_by_an_inline_run_that_raises_here() -> None:
    calls: list[int] = []

    def fail() -> None:
        calls.append(os.getpid())
        raise ValueError("boom")

    aside = Aside(fail)
    with pytest.raises(ValueError, match="boom"):
        aside.result()
    assert calls == [os.getpid()]  # the child's call happened in its own memory


def test_a_result_that_cannot_be_pickled_is_computed_here() -> None:
    def unpicklable() -> object:
        return lambda: os.getpid()

    result = Aside(unpicklable).result()
    assert callable(result)


def test_cancel_ends_the_child() -> None:
    aside = Aside(lambda: threading.Event().wait(60))
    child = aside._child
    assert child is not None
    aside.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(child[0], os.WNOHANG)


def test_work_done_before_the_verdict_fails_only_for_valid_specs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_model(*_: object) -> None:
        raise RuntimeError("the model stage choked")

    monkeypatch.setattr(generate_module, "_model", broken_model)
    with pytest.raises(RuntimeError, match="choked"):
        generate_module.plan(sorted(SPECS.glob("*.yaml")), tmp_path / "out")

    invalid = tmp_path / "specs"
    invalid.mkdir()
    text = (SPECS / "document.yaml").read_text(encoding="utf-8")
    (invalid / "document.yaml").write_text(text.replace("openapi: 3.1.0", "openapi: 3.1.0\nx: ["))
    with pytest.raises(SpecError):
        generate_module.plan([invalid / "document.yaml"], tmp_path / "out")

    (invalid / "document.yaml").write_text(text.replace("title:", "titel:", 1))
    with pytest.raises(SpecError) as raised:
        generate_module.plan([invalid / "document.yaml"], tmp_path / "out")
    assert any(d.rule == "THG003" for d in raised.value.diagnostics)
