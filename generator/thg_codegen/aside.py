"""Run one computation in a forked child while the caller goes on with other work.

Generation validates the specs and, at the same time, models, renders and formats them on the
assumption that they are valid: on two cores the slower of the two is what the user waits for.
The child shares the parent's memory as it was at the fork, so nothing is sent to it; only the
result comes back, pickled through a pipe.

Where forking is not safe or not possible (no ``os.fork``, threads already running) the
computation runs inline when its result is asked for; a child that fails in any way is replaced
by the same inline run, so the result never depends on whether a child was used.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Aside(Generic[T]):
    """``compute()`` started now (in a child process where possible); ``result()`` waits for it."""

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute
        self._child: tuple[int, int] | None = None  # (pid, read end of the pipe)
        if hasattr(os, "fork") and threading.active_count() == 1:
            self._child = _fork(compute)

    def cancel(self) -> None:
        """Stop the child, if any (the caller is failing and will not ask for the result)."""
        if self._child is not None:
            pid, read_end = self._child
            self._child = None
            os.close(read_end)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)

    def result(self) -> T:
        if self._child is None:
            return self._compute()
        pid, read_end = self._child
        self._child = None
        # Read before waiting: a result larger than the pipe's buffer blocks the child until read.
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == 0 and payload:
            try:
                result: T = pickle.loads(payload)
                return result
            except Exception:  # a result that does not unpickle: compute it here instead
                pass
        return self._compute()


def _fork(compute: Callable[[], T]) -> tuple[int, int] | None:
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: compute, send, and leave without running the parent's exit hooks
        code = 1
        try:
            os.close(read_end)
            payload = pickle.dumps(compute(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end
