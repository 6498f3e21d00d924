"""A helper process: forked early, it gets ready while the caller works, then runs one job aside.

Generation validates the specs and, at the same time, models, renders and formats them on the
assumption that they are valid: on two cores the slower of the two is what the user waits for.
The helper is forked before the specs are loaded, so it imports the validators (a quarter of a
second) while the caller loads; the loaded specs then go to it pickled through a pipe, and the
result comes back the same way.

Where forking is not safe or not possible (no ``os.fork``, threads already running) the job runs
inline when its result is asked for; a helper that fails in any way is replaced by the same
inline run, so the result never depends on whether a helper was used.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Helper:
    """A child process forked now that runs ``prepare()`` (imports, say) and waits for one job."""

    def __init__(self, prepare: Callable[[], object]) -> None:
        self._child: tuple[int, int, int] | None = None  # (pid, job write end, result read end)
        if hasattr(os, "fork") and threading.active_count() == 1:
            self._child = _fork(prepare)

    def run(self, job: Callable[..., T], *arguments: Any) -> Pending[T]:
        """Send ``job(*arguments)`` to the child; its result is ``.result()`` of the answer."""
        child, self._child = self._child, None
        if child is None:
            return Pending(job, arguments, None)
        pid, job_end, result_end = child
        try:
            message = pickle.dumps((job, arguments), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # not picklable: run it here when asked
            _stop(pid, job_end, result_end)
            return Pending(job, arguments, None)
        try:
            with os.fdopen(job_end, "wb") as pipe:
                pipe.write(message)
        except OSError:  # the child is gone
            _stop(pid, -1, result_end)
            return Pending(job, arguments, None)
        return Pending(job, arguments, (pid, result_end))

    def close(self) -> None:
        """End the child if no job was sent to it."""
        child, self._child = self._child, None
        if child is not None:
            _stop(*child)


class Pending(Generic[T]):
    """A job sent to a helper (or to be run inline)."""

    def __init__(
        self, job: Callable[..., T], arguments: tuple[Any, ...], child: tuple[int, int] | None
    ) -> None:
        self._job = job
        self._arguments = arguments
        self._child = child

    def result(self) -> T:
        child, self._child = self._child, None
        if child is None:
            return self._job(*self._arguments)
        pid, result_end = child
        # Read before waiting: a result larger than the pipe's buffer blocks the child until read.
        with os.fdopen(result_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == 0 and payload:
            try:
                result: T = pickle.loads(payload)
                return result
            except Exception:  # a result that does not unpickle: compute it here instead
                pass
        return self._job(*self._arguments)

    def cancel(self) -> None:
        """Stop the child (the caller is failing and will not ask for the result)."""
        child, self._child = self._child, None
        if child is not None:
            _stop(child[0], -1, child[1])


def _fork(prepare: Callable[[], object]) -> tuple[int, int, int] | None:
    job_read, job_write = os.pipe()
    result_read, result_write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for end in (job_read, job_write, result_read, result_write):
            os.close(end)
        return None
    if pid == 0:  # the child: prepare, take the job, answer, leave without the parent's exit hooks
        code = 1
        try:
            os.close(job_write)
            os.close(result_read)
            prepare()
            with os.fdopen(job_read, "rb") as pipe:
                message = pipe.read()
            if message:
                job, arguments = pickle.loads(message)
                payload = pickle.dumps(job(*arguments), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(result_write, "wb") as pipe:
                    pipe.write(payload)
                code = 0
        finally:
            os._exit(code)
    os.close(job_read)
    os.close(result_write)
    return pid, job_write, result_read


def _stop(pid: int, job_end: int, result_end: int) -> None:
    for end in (job_end, result_end):
        if end >= 0:
            os.close(end)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
