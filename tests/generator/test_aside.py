"""The helper process: the result of a job run in it is the result of running the job here."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from thg_codegen import generate as generate_module
from thg_codegen.aside import Helper
from thg_spec.pipeline import SpecError

SPECS = Path(__file__).resolve().parents[2] / "specs"


def _pid_and_value(value: list[str]) -> tuple[int, list[str]]:
    return os.getpid(), value


def _fail(calls: list[int]) -> None:
    calls.append(os.getpid())
    raise ValueError("boom")


def _unpicklable_result() -> object:
    return lambda: None


def _nothing() -> None:
    return None


def _wait_long() -> None:
    threading.Event().wait(60)


def test_the_job_runs_in_the_helper_after_its_preparation(tmp_path: Path) -> None:
    marker = tmp_path / "prepared"
    helper = Helper(prepare=lambda: marker.write_text(str(os.getpid())))
    pid, value = helper.run(_pid_and_value, ["ok", "é"]).result()
    assert pid != os.getpid()
    assert marker.read_text() == str(pid)
    assert value == ["ok", "é"]


def test_with_threads_running_it_runs_inline() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        pid, _ = Helper(prepare=_nothing).run(_pid_and_value, []).result()
    finally:
        stop.set()
        thread.join()
    assert pid == os.getpid()


def test_a_failing_job_is_run_again_here_and_raises_here() -> None:
    calls: list[int] = []
    pending = Helper(prepare=_nothing).run(_fail, calls)
    with pytest.raises(ValueError, match="boom"):
        pending.result()
    assert calls == [os.getpid()]  # the helper's call happened in its own memory


def test_a_failing_preparation_is_replaced_by_an_inline_run() -> None:
    def broken() -> None:
        raise ImportError("no such module")

    pid, _ = Helper(prepare=broken).run(_pid_and_value, []).result()
    assert pid == os.getpid()


def test_a_job_or_result_that_cannot_be_pickled_runs_here() -> None:
    assert callable(Helper(prepare=_nothing).run(_unpicklable_result).result())
    pid = Helper(prepare=_nothing).run(lambda: os.getpid()).result()
    assert pid == os.getpid()


def test_close_and_cancel_end_the_child() -> None:
    helper = Helper(prepare=_nothing)
    child = helper._child
    assert child is not None
    helper.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(child[0], os.WNOHANG)

    pending = Helper(prepare=_nothing).run(_wait_long)
    running = pending._child
    assert running is not None
    pending.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(running[0], os.WNOHANG)


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
