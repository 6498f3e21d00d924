"""Request bodies read from a file, sent in chunks and rewound for every send.

httpx reads a file body once; a retry or the auth flow's resend after a 401 would then send an
empty body under the old ``Content-Length``. ``FileBody`` seeks back to where the caller's file
was positioned each time httpx iterates it, so every send carries the same bytes, and it never
holds more than one chunk in memory. A file that cannot seek can be sent once only: iterating it
again raises ``httpx.StreamConsumed`` rather than sending a truncated body.
"""

from __future__ import annotations

import io
import os
from typing import IO, AsyncIterator, Iterator, Optional

import httpx

__all__ = ["CHUNK_SIZE", "FileBody", "RequestStream"]

CHUNK_SIZE = 64 * 1024


def _remaining_length(file: IO[bytes], start: int) -> Optional[int]:
    try:
        return max(0, os.fstat(file.fileno()).st_size - start)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass
    try:
        end = file.seek(0, io.SEEK_END)
        file.seek(start)
        return max(0, end - start)
    except (AttributeError, OSError, ValueError):
        return None


class RequestStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A request body produced in chunks, the same bytes on every iteration when ``rewindable``.

    ``length`` is the byte count when known (sent as ``Content-Length``; otherwise the body is
    sent chunked); ``content_type`` overrides the JSON default when set.
    """

    length: Optional[int] = None
    content_type: Optional[str] = None

    @property
    def rewindable(self) -> bool:
        """Whether the body can be sent more than once."""
        raise NotImplementedError

    def chunks(self) -> Iterator[bytes]:
        """The body from its start (raises ``httpx.StreamConsumed`` if it cannot restart)."""
        raise NotImplementedError

    def __iter__(self) -> Iterator[bytes]:
        return self.chunks()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        # Local file reads are short blocking calls of one chunk each; handing every chunk to a
        # thread would cost more than it saves and the runtime takes no extra dependency for it.
        for chunk in self.chunks():
            yield chunk


class FileBody(RequestStream):
    """A binary file as a request stream, from its current position to its end."""

    def __init__(self, file: IO[bytes], chunk_size: int = CHUNK_SIZE) -> None:
        self._file = file
        self._chunk_size = chunk_size
        self._start: Optional[int] = None
        try:
            if file.seekable():
                self._start = file.tell()
        except (AttributeError, OSError, ValueError):
            self._start = None
        self.length = _remaining_length(file, self._start) if self._start is not None else None
        self._consumed = False

    @property
    def rewindable(self) -> bool:
        return self._start is not None

    def _begin(self) -> None:
        if self._start is not None:
            self._file.seek(self._start)
        elif self._consumed:
            raise httpx.StreamConsumed()
        self._consumed = True

    def chunks(self) -> Iterator[bytes]:
        self._begin()
        left = self.length
        while left is None or left > 0:
            size = self._chunk_size if left is None else min(self._chunk_size, left)
            chunk = self._file.read(size)
            if not chunk:
                break
            if left is not None:
                left -= len(chunk)
            yield chunk
