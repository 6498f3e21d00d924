"""The sandbox's sense of time, injectable so tests can expire tokens without sleeping."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class ManualClock:
    """Real time plus an offset that tests move forward (time never goes backwards)."""

    def __init__(self) -> None:
        self._offset = timedelta()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(timezone.utc) + self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        with self._lock:
            self._offset += timedelta(seconds=seconds)


def meta_timestamp(moment: datetime) -> str:
    """`2026-02-11T13:09:43.710356`: UTC without a zone, always with microseconds (CONVENTIONS §7).

    Always six fraction digits so the stored text sorts in time order.
    """
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
