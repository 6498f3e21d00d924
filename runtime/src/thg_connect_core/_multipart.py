"""A streaming ``multipart/form-data`` encoder for one file upload (specs/CONVENTIONS.md §12).

The form is text fields followed by one file part. Everything but the file's bytes is built up
front, so the total ``Content-Length`` is known without reading the file, and the file is read in
chunks on every send: a 1 GiB upload holds one chunk in memory, and a retry sends it again from
the start. Names and the file name are escaped as browsers do (WHATWG HTML: ``"`` as ``%22``,
CR and LF as ``%0D`` and ``%0A``), so no value can break out of its header.
"""

from __future__ import annotations

import secrets
from typing import IO, Iterator, List, Mapping, Optional

from ._body import FileBody, RequestStream

__all__ = ["MultipartBody"]


def _quote(value: str) -> str:
    return value.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")


def _part_head(
    boundary: str, name: str, filename: Optional[str], content_type: Optional[str]
) -> bytes:
    disposition = f'form-data; name="{_quote(name)}"'
    if filename is not None:
        disposition += f'; filename="{_quote(filename)}"'
    lines = [f"--{boundary}", f"Content-Disposition: {disposition}"]
    if content_type is not None:
        lines.append(f"Content-Type: {_quote(content_type)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


class MultipartBody(RequestStream):
    """``fields`` (in order) then ``file`` as the part ``file_field``, streamed."""

    def __init__(
        self,
        fields: Mapping[str, str],
        file: IO[bytes],
        *,
        filename: str,
        file_content_type: str = "application/octet-stream",
        file_field: str = "file",
        boundary: Optional[str] = None,
    ) -> None:
        self.boundary = boundary if boundary is not None else secrets.token_hex(16)
        head: List[bytes] = []
        for name, value in fields.items():
            head.append(_part_head(self.boundary, name, None, None))
            head.append(str(value).encode("utf-8") + b"\r\n")
        head.append(_part_head(self.boundary, file_field, filename, file_content_type))
        self._head = b"".join(head)
        self._tail = f"\r\n--{self.boundary}--\r\n".encode("ascii")
        self._file = FileBody(file)
        self.content_type = f"multipart/form-data; boundary={self.boundary}"
        file_length = self._file.length
        self.length = (
            None if file_length is None else len(self._head) + file_length + len(self._tail)
        )

    @property
    def rewindable(self) -> bool:
        return self._file.rewindable

    def chunks(self) -> Iterator[bytes]:
        yield self._head
        yield from self._file.chunks()
        yield self._tail
