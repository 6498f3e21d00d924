"""A `multipart/form-data` upload read as it arrives: small text fields first, then the `file`
part streamed to a writer chunk by chunk, so a large file never sits in memory.

python-multipart's push parser does the boundary scanning (a boundary split across two network
chunks is the classic hand-written bug); this module only routes its callbacks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

FILE_PART = "file"
MAX_FIELDS = 32
MAX_FIELD_BYTES = 8 * 1024


class MalformedUpload(Exception):
    """The body is not the multipart form the upload expects (a 400)."""


class UploadTooLarge(Exception):
    """The file is larger than the sandbox accepts (a 413)."""


@dataclass
class FilePart:
    filename: str
    content_type: str
    size: int = 0


@dataclass
class _Part:
    headers: dict[str, str] = field(default_factory=dict)
    name: str = ""
    data: bytearray = field(default_factory=bytearray)
    is_file: bool = False


class _Collector:
    """Collects what the parser reports during one `write`; the async caller acts on it."""

    def __init__(self, max_file_bytes: int) -> None:
        self.max_file_bytes = max_file_bytes
        self.fields: dict[str, str] = {}
        self.file: FilePart | None = None
        self.file_opened = False  # set once, when the file part's headers are complete
        self.file_done = False
        self.ended = False
        self.chunks: list[bytes] = []
        self._part = _Part()
        self._header_name = bytearray()
        self._header_value = bytearray()

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value_data,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_end": self._end,
        }

    def _part_begin(self) -> None:
        self._part = _Part()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        name = self._header_name.decode("latin-1").strip().lower()
        self._part.headers[name] = self._header_value.decode("latin-1").strip()
        self._header_name = bytearray()
        self._header_value = bytearray()

    def _headers_finished(self) -> None:
        disposition, options = parse_options_header(
            self._part.headers.get("content-disposition", "")
        )
        if disposition != b"form-data" or b"name" not in options:
            raise MalformedUpload("Every part needs Content-Disposition: form-data; name=...")
        self._part.name = options[b"name"].decode("utf-8", "replace")
        if self._part.name == FILE_PART:
            if self.file is not None:
                raise MalformedUpload("Send one part named 'file'.")
            self._part.is_file = True
            filename = options.get(b"filename", b"").decode("utf-8", "replace")
            content_type = self._part.headers.get("content-type", "") or ""
            self.file = FilePart(filename, content_type)
            self.file_opened = True
        elif self.file is not None:
            pass  # fields after the file are ignored, as object stores do
        elif len(self.fields) >= MAX_FIELDS:
            raise MalformedUpload(f"At most {MAX_FIELDS} form fields are accepted.")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._part.is_file:
            assert self.file is not None
            self.file.size += end - start
            if self.file.size > self.max_file_bytes:
                raise UploadTooLarge(f"The file is larger than {self.max_file_bytes} bytes.")
            self.chunks.append(bytes(data[start:end]))
        elif self.file is None:
            self._part.data += data[start:end]
            if len(self._part.data) > MAX_FIELD_BYTES:
                raise MalformedUpload(f"A form field is longer than {MAX_FIELD_BYTES} bytes.")

    def _part_end(self) -> None:
        if self._part.is_file:
            self.file_done = True
        elif self.file is None:
            self.fields[self._part.name] = self._part.data.decode("utf-8", "replace")

    def _end(self) -> None:
        self.ended = True


def boundary_of(content_type: str) -> bytes:
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise MalformedUpload("Send the upload as multipart/form-data.")
    return boundary


async def read_upload(
    content_type: str,
    body: AsyncIterator[bytes],
    *,
    max_file_bytes: int,
    on_fields: Callable[[dict[str, str]], Awaitable[None]],
    write: Callable[[bytes], Awaitable[None]],
) -> tuple[dict[str, str], FilePart]:
    """Parse the form; `on_fields` sees the fields before any file byte is written (it raises to
    refuse), `write` receives the file's bytes in order."""
    collector = _Collector(max_file_bytes)
    parser = MultipartParser(boundary_of(content_type), collector.callbacks())
    checked = False
    async for chunk in body:
        try:
            parser.write(chunk)
        except MultipartParseError:
            raise MalformedUpload("The multipart body is malformed.") from None
        if collector.file_opened and not checked:
            await on_fields(collector.fields)
            checked = True
        if collector.chunks:
            pending, collector.chunks = collector.chunks, []
            await write(b"".join(pending))
    try:
        parser.finalize()
    except MultipartParseError:
        raise MalformedUpload("The multipart body is malformed.") from None
    if collector.file is None or not collector.file_done:
        raise MalformedUpload("The upload needs the file, as the last part, named 'file'.")
    if not collector.ended:
        raise MalformedUpload("The multipart body ended early.")
    return collector.fields, collector.file
