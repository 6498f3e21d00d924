"""upload_document / upload_document_async over httpx.MockTransport: the two requests, the
multipart body, no token on the upload (even on the API's own origin), rewinding on retry, and
constant memory while streaming a large file (THG_UPLOAD_TEST_MB, default 50; 1024 by hand)."""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import hashlib
import io
import json
import os
import tracemalloc
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import httpx
import pytest

from thg_connect_core import (
    AsyncAPIClient,
    DocumentUploadError,
    Reference,
    RequestMaybeSentError,
    SyncAPIClient,
    upload_document,
    upload_document_async,
)

from .client_harness import BASE, Harness, ok

OWNER = "acme"
DOC_ID = "4f2929b5-2512-48da-be97-c362cc452dc8"
FOREIGN_UPLOAD = f"https://uploads.example.org/documents/{OWNER}/{DOC_ID}"
FIELDS = {"key": f"{OWNER}/{DOC_ID}", "x-thg-expires": "2026-02-11T14:09:43+00:00", "x-sig": "abc"}


def created(upload_url: str, with_reference: bool = True) -> httpx.Response:
    meta: Dict[str, Any] = {"owner": OWNER, "product": "document"}
    if with_reference:
        meta["reference"] = f"thg:document:{OWNER}@{DOC_ID}"
    return ok(
        {
            "data": {
                "id": DOC_ID,
                "type": "document:document",
                "attributes": {
                    "filename": "x",
                    "status": "AWAITING_UPLOAD",
                    "upload": {
                        "url": upload_url,
                        "method": "POST",
                        "fields": FIELDS,
                        "expiresAt": "2026-02-11T14:09:43+00:00",
                    },
                },
                "meta": meta,
                "version": "1",
            }
        },
        status=201,
    )


def parse_form(request: httpx.Request, body: bytes) -> List[Dict[str, Any]]:
    """The parts of a multipart/form-data body, read by the standard library's MIME parser."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    assert message.is_multipart()
    parts = []
    for part in message.iter_parts():
        parts.append(
            {
                "name": part.get_param("name", header="content-disposition"),
                "filename": part.get_param("filename", header="content-disposition"),
                "type": part.get_content_type() if part.get("content-type") else None,
                "data": part.get_payload(decode=True),
            }
        )
    return parts


@pytest.fixture(params=["sync", "async"])
def h(request: pytest.FixtureRequest) -> Iterator[Harness]:
    yield Harness(request.param)


def run_upload(h: Harness, file: Any, **kwargs: Any) -> Reference:
    if isinstance(h.client, SyncAPIClient):
        return upload_document(h.client, file, **kwargs)
    assert isinstance(h.client, AsyncAPIClient)
    return asyncio.run(upload_document_async(h.client, file, **kwargs))


def test_creates_then_uploads_multipart(h: Harness, tmp_path: Path) -> None:
    path = tmp_path / "sds.pdf"
    data = os.urandom(300_000)
    path.write_bytes(data)
    h.server.script = [created(FOREIGN_UPLOAD), httpx.Response(204)]
    reference = run_upload(h, path)
    assert reference == Reference.parse(f"thg:document:{OWNER}@{DOC_ID}")

    create, upload = h.server.api_requests
    assert create.method == "POST" and create.url.path == f"/api/document/v1/{OWNER}/document"
    assert json.loads(h.server.api_bodies[0]) == {
        "data": {
            "type": "document:document",
            "attributes": {"filename": "sds.pdf", "contentType": "application/pdf"},
        }
    }
    assert h.server.api_auth == ["Bearer tok1", None]

    assert str(upload.url) == FOREIGN_UPLOAD and upload.method == "POST"
    body = h.server.api_bodies[1]
    assert upload.headers["content-length"] == str(len(body))
    assert upload.headers["content-type"].startswith("multipart/form-data; boundary=")
    parts = parse_form(upload, body)
    assert [p["name"] for p in parts] == list(FIELDS) + ["file"]
    assert {p["name"]: p["data"].decode() for p in parts[:-1]} == FIELDS
    assert parts[-1]["filename"] == "sds.pdf" and parts[-1]["type"] == "application/pdf"
    assert parts[-1]["data"] == data


def test_no_token_on_same_origin_upload(h: Harness) -> None:
    # the sandbox serves presigned uploads on the API's own origin: scoping by origin is not
    # enough there, so the upload is sent without the auth flow at all
    h.server.script = [created(f"{BASE}/uploads/{DOC_ID}"), httpx.Response(204)]
    run_upload(h, io.BytesIO(b"abc"), filename="a.txt")
    assert h.server.api_requests[1].url.host == httpx.URL(BASE).host
    assert h.server.api_auth == ["Bearer tok1", None]
    assert parse_form(h.server.api_requests[1], h.server.api_bodies[1])[-1]["type"] == "text/plain"


def test_file_object_from_its_position_left_open(h: Harness) -> None:
    file = io.BytesIO(b"HEADERdata-to-send")
    file.seek(6)
    h.server.script = [created(FOREIGN_UPLOAD), httpx.Response(204)]
    run_upload(h, file, filename="d.bin", content_type="application/x-thing")
    part = parse_form(h.server.api_requests[1], h.server.api_bodies[1])[-1]
    assert part["data"] == b"data-to-send" and part["type"] == "application/x-thing"
    assert not file.closed


def test_upload_rewound_on_unsent_retry(h: Harness, tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\n" * 50_000)
    h.server.script = [created(FOREIGN_UPLOAD), httpx.ConnectError("refused"), httpx.Response(204)]
    run_upload(h, path)
    assert len(h.server.api_bodies) == 3
    assert h.server.api_bodies[1] == h.server.api_bodies[2]
    assert parse_form(h.server.api_requests[2], h.server.api_bodies[2])[-1]["data"] == (
        path.read_bytes()
    )


def test_upload_maybe_sent_not_retried(h: Harness) -> None:
    h.server.script = [created(FOREIGN_UPLOAD), httpx.ReadTimeout("slow")]
    with pytest.raises(RequestMaybeSentError):
        run_upload(h, io.BytesIO(b"x"), filename="x.bin")
    assert h.api_calls == 2


def test_reference_from_id_when_meta_has_none(h: Harness) -> None:
    h.server.script = [created(FOREIGN_UPLOAD, with_reference=False), httpx.Response(204)]
    assert run_upload(h, io.BytesIO(b"x"), filename="x.bin") == Reference(
        "document", "document", OWNER, DOC_ID
    )


def test_missing_upload_instructions(h: Harness) -> None:
    h.server.script = [
        ok({"data": {"id": DOC_ID, "type": "document:document", "attributes": {}}}, status=201)
    ]
    with pytest.raises(DocumentUploadError):
        run_upload(h, io.BytesIO(b"x"), filename="x.bin")


def test_filename_required_for_nameless_file(h: Harness) -> None:
    with pytest.raises(ValueError, match="filename"):
        run_upload(h, io.BytesIO(b"x"))
    assert h.api_calls == 0


def test_header_values_cannot_break_out(h: Harness) -> None:
    h.server.script = [created(FOREIGN_UPLOAD), httpx.Response(204)]
    run_upload(h, io.BytesIO(b"x"), filename='evil".txt\r\nX-Injected: 1')
    body = h.server.api_bodies[1]
    assert b"X-Injected: 1\r\n" not in body
    assert b'filename="evil%22.txt%0D%0AX-Injected: 1"' in body


# -- constant memory --------------------------------------------------------------------------

UPLOAD_MB = int(os.environ.get("THG_UPLOAD_TEST_MB", "50"))


class Sink:
    """An upload endpoint that hashes the file part as it streams past, storing nothing."""

    def __init__(self, file_size: int) -> None:
        self.file_size = file_size
        self.digest = hashlib.sha256()
        self.received = 0
        self.content_length: Optional[int] = None
        self.tail_len = 0

    def start(self, request: httpx.Request) -> None:
        self.content_length = int(request.headers["content-length"])
        boundary = request.headers["content-type"].split("boundary=", 1)[1]
        self.tail_len = len(f"\r\n--{boundary}--\r\n")

    def take(self, chunk: bytes) -> None:
        assert self.content_length is not None
        end_of_file = self.content_length - self.tail_len
        start_of_file = end_of_file - self.file_size
        lo, hi = max(self.received, start_of_file), min(self.received + len(chunk), end_of_file)
        if lo < hi:
            self.digest.update(chunk[lo - self.received : hi - self.received])
        self.received += len(chunk)


class StreamingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Like httpx.MockTransport, but the handler gets the request body unread, as a real
    transport does (MockTransport reads it whole first, which would hide any buffering)."""

    def __init__(self, handler: Any) -> None:
        self.handler = handler

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.handler(request)
        assert isinstance(response, httpx.Response)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.handler(request)
        assert isinstance(response, httpx.Response)
        return response


def big_file(tmp_path: Path, megabytes: int) -> tuple[Path, str]:
    path = tmp_path / "big.bin"
    digest = hashlib.sha256()
    block = os.urandom(1024 * 1024)
    with path.open("wb") as file:
        for i in range(megabytes):
            chunk = block[i % 7 :] + block[: i % 7]
            digest.update(chunk)
            file.write(chunk)
    return path, digest.hexdigest()


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_large_file_streams_in_constant_memory(mode: str, tmp_path: Path) -> None:
    path, expected = big_file(tmp_path, UPLOAD_MB)
    size = path.stat().st_size
    sink = Sink(size)
    auth_headers: List[Optional[str]] = []

    def create(request: httpx.Request) -> httpx.Response:
        return created(FOREIGN_UPLOAD)

    def sync_handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "auth.example.net":
            return ok({"access_token": "t", "expires_in": 3600})
        if request.url.path.endswith("/document"):
            request.read()
            return create(request)
        auth_headers.append(request.headers.get("authorization"))
        sink.start(request)
        assert isinstance(request.stream, httpx.SyncByteStream)
        for chunk in request.stream:
            sink.take(chunk)
        return httpx.Response(204)

    async def async_handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "auth.example.net" or request.url.path.endswith("/document"):
            await request.aread()
            return sync_handler(request)
        auth_headers.append(request.headers.get("authorization"))
        sink.start(request)
        assert isinstance(request.stream, httpx.AsyncByteStream)
        async for chunk in request.stream:
            sink.take(chunk)
        return httpx.Response(204)

    h = Harness(mode)
    transport = StreamingTransport(sync_handler if mode == "sync" else async_handler)
    tracemalloc.start()
    try:
        if mode == "sync":
            client = SyncAPIClient(h.client.config, http_client=httpx.Client(transport=transport))
            upload_document(client, path)
        else:
            aclient = AsyncAPIClient(
                h.client.config, http_client=httpx.AsyncClient(transport=transport)
            )
            asyncio.run(upload_document_async(aclient, path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.received == sink.content_length
    assert sink.content_length is not None and sink.content_length > size
    assert sink.digest.hexdigest() == expected
    assert auth_headers == [None]
    assert peak < 4 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while uploading {size / 1e6:.0f} MB"


def test_bytes_content(h: Harness) -> None:
    with pytest.raises(ValueError, match="filename"):
        run_upload(h, b"raw")
    h.server.script = [created(FOREIGN_UPLOAD), httpx.Response(204)]
    run_upload(h, b"raw content", filename="r.txt")
    request = h.server.api_requests[1]
    assert request.headers["content-length"] == str(len(h.server.api_bodies[1]))
    part = parse_form(request, h.server.api_bodies[1])[-1]
    assert (part["filename"], part["type"], part["data"]) == ("r.txt", "text/plain", b"raw content")
