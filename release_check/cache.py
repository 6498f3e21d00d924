"""``.release-check/``: the build environment and the venvs kept between runs.

Two checks may run at once in the shared tree (``scripts/test`` and ``scripts/release-check``),
so whoever creates or removes an entry holds the cache lock, and an entry is removed only after
an hour unused: a concurrent run may still be importing from it.
"""

from __future__ import annotations

import fcntl
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .commands import ReleaseCheckError

LOCK_TIMEOUT = 900.0  # a cold run creates five venvs; nobody waits longer than that
UNUSED_FOR = 3600.0
COMPLETE = ".complete"  # written last: an entry without it is half made


@contextmanager
def cache_lock(cache: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / ".lock").open("w") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ReleaseCheckError(
                        f"{cache}: still locked after {timeout:.0f} s"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def is_ready(entry: Path) -> bool:
    """Whether ``entry`` was completed; marks it used now when it was."""
    marker = entry / COMPLETE
    if not marker.exists():
        return False
    marker.touch()
    return True


def mark_ready(entry: Path, note: str) -> None:
    (entry / COMPLETE).write_text(note, encoding="utf-8")


def prune(cache: Path, pattern: str, keep: Path) -> None:
    """Remove the entries matching ``pattern`` other than ``keep`` unused for an hour, and
    ``keep`` itself when it is half made (call with the lock held)."""
    now = time.time()
    for entry in cache.glob(pattern):
        marker = entry / COMPLETE
        if entry == keep:
            if not marker.exists():
                shutil.rmtree(entry)
            continue
        used = marker.stat().st_mtime if marker.exists() else entry.stat().st_mtime
        if now - used > UNUSED_FOR:
            shutil.rmtree(entry)
