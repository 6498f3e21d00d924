"""Upload a file as a platform document (specs/CONVENTIONS.md §12, specs/document.yaml).

Two requests: ``POST /api/document/v1/{owner}/document`` creates the record and answers with the
reference and presigned upload instructions; then a ``multipart/form-data`` POST to
``upload.url`` sends every ``upload.fields`` field and the file as the part ``file``. The upload
carries no ``Authorization`` header whatever its origin (the signed fields authorise it, and the
sandbox serves it on the API's own origin), streams the file in chunks with a known
``Content-Length`` and rewinds it when a retry is allowed (§13: only when nothing was sent).
"""

from __future__ import annotations

import contextlib
import io
import mimetypes
import os
from typing import IO, Any, Dict, Iterator, Optional, Tuple, Union

from pydantic import BaseModel, ConfigDict, Field

from ._async_client import AsyncAPIClient
from ._call import Call
from ._client import SyncAPIClient, _BaseClient
from ._errors import ThgConnectError
from ._jsonapi import Document, encode_resource
from ._multipart import MultipartBody
from ._references import Reference

__all__ = ["DocumentUploadError", "FileSource", "upload_document", "upload_document_async"]

FileSource = Union[str, "os.PathLike[str]", IO[bytes], bytes]
"""A path, a binary file (read from its current position) or the content itself."""

_DOCUMENT_TYPE = "document:document"


class DocumentUploadError(ThgConnectError):
    """The document was created but the answer had no usable upload instructions."""


class _Upload(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    url: str
    method: str = "POST"
    fields: Dict[str, str] = {}


class _DocumentAttributes(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    filename: Optional[str] = None
    content_type: Optional[str] = Field(default=None, alias="contentType")
    upload: Optional[_Upload] = None


def _filename(source: FileSource, filename: Optional[str]) -> str:
    if filename:
        return filename
    if isinstance(source, bytes):
        raise ValueError("filename= is required when uploading bytes")
    name = source if isinstance(source, (str, os.PathLike)) else getattr(source, "name", None)
    if isinstance(name, (str, os.PathLike)) and os.path.basename(os.fspath(name)):
        return os.path.basename(os.fspath(name))
    raise ValueError("filename= is required when the file object has no name")


@contextlib.contextmanager
def _opened(source: FileSource) -> Iterator[IO[bytes]]:
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as file:
            yield file
    elif isinstance(source, bytes):
        yield io.BytesIO(source)
    else:
        yield source  # the caller's file: left open, read from its current position


class _Plan:
    """The two calls of an upload, built without I/O (the sync and async helpers only run them)."""

    def __init__(
        self,
        client: _BaseClient,
        source: FileSource,
        filename: Optional[str],
        content_type: Optional[str],
        timeout: Optional[float],
    ) -> None:
        self.client = client
        self.source = source
        self.filename = _filename(source, filename)
        guessed = mimetypes.guess_type(self.filename)[0]
        self.content_type = content_type or guessed or "application/octet-stream"
        self.timeout = timeout

    def create(self) -> Call:
        body = encode_resource(
            _DOCUMENT_TYPE, {"filename": self.filename, "contentType": self.content_type}
        )
        path = f"/api/document/v1/{self.client.owner}/document"
        return self.client._call(
            "POST", path, None, body, Document[_DocumentAttributes], self.timeout, None, None
        )

    def created(self, document: Any) -> Tuple[Reference, _Upload]:
        resource = document.data
        if resource.meta.reference:
            reference = resource.reference
        else:
            if not resource.id:
                raise DocumentUploadError("the created document has neither reference nor id")
            reference = Reference("document", "document", self.client.owner, resource.id)
        upload = resource.attributes.upload
        if upload is None:
            raise DocumentUploadError(f"document {reference} came back without upload instructions")
        return reference, upload

    def upload(self, upload: _Upload, file: IO[bytes]) -> Call:
        body = MultipartBody(
            upload.fields, file, filename=self.filename, file_content_type=self.content_type
        )
        return self.client._call(
            upload.method or "POST",
            upload.url,
            None,
            body,
            None,
            self.timeout,
            None,
            None,
            authenticate=False,
        )


def upload_document(
    client: SyncAPIClient,
    file: FileSource,
    *,
    filename: Optional[str] = None,
    content_type: Optional[str] = None,
    timeout: Optional[float] = None,
) -> Reference:
    """Create a document for ``client.owner`` and upload ``file`` (a path or a binary file,
    read from its current position) to it; returns the document's ``Reference``.

    ``filename`` defaults to the file's base name, ``content_type`` to a guess from it (else
    ``application/octet-stream``); ``timeout`` bounds each of the two calls.
    """
    plan = _Plan(client, file, filename, content_type, timeout)
    with _opened(file) as opened:
        reference, upload = plan.created(client._run(plan.create()))
        client._run(plan.upload(upload, opened))
    return reference


async def upload_document_async(
    client: AsyncAPIClient,
    file: FileSource,
    *,
    filename: Optional[str] = None,
    content_type: Optional[str] = None,
    timeout: Optional[float] = None,
) -> Reference:
    """The async twin of ``upload_document``."""
    plan = _Plan(client, file, filename, content_type, timeout)
    with _opened(file) as opened:
        reference, upload = plan.created(await client._run(plan.create()))
        await client._run(plan.upload(upload, opened))
    return reference
