"""upload_document against the sandbox over real HTTP (127.0.0.1): the sandbox's own multipart
parser and signature check accept the streamed body, sync and async, and the document becomes
AVAILABLE with the file's size; the retry and no-token rules are covered in test_upload.py."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Iterator, Optional

import pytest
from pydantic import BaseModel, ConfigDict

from thg_connect_core import (
    AsyncAPIClient,
    ClientConfig,
    Document,
    Reference,
    SyncAPIClient,
    upload_document,
    upload_document_async,
)
from thg_sandbox.server import running_sandbox

SPECS = Path(__file__).resolve().parents[2] / "specs"


class DocumentAttributes(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    filename: str
    status: str
    size: Optional[int] = None


@pytest.fixture(scope="module")
def config() -> Iterator[ClientConfig]:
    with running_sandbox(SPECS) as running:
        credentials = running.credentials["brandco"]
        yield ClientConfig(
            client_id=credentials.client_id,
            client_secret=credentials.client_secret,
            owner="brandco",
            base_url=running.base_url,
            token_url=running.token_url,
            audience=running.base_url,
            timeout=20.0,
        )


def _check(api: SyncAPIClient, reference: Reference, size: int) -> None:
    assert reference.product == "document" and reference.owner == "brandco"
    doc = api.request("GET", reference.path, cast_to=Document[DocumentAttributes])
    attributes = doc.data.attributes
    assert (attributes.filename, attributes.status, attributes.size) == (
        "sds.pdf",
        "AVAILABLE",
        size,
    )


def test_sync_and_async_uploads_are_accepted(config: ClientConfig, tmp_path: Path) -> None:
    path = tmp_path / "sds.pdf"
    path.write_bytes(b"%PDF-1.7 " + os.urandom(100_000))
    with SyncAPIClient(config) as api:
        _check(api, upload_document(api, path), path.stat().st_size)

        async def upload() -> Reference:
            async with AsyncAPIClient(config) as async_api:
                return await upload_document_async(async_api, path)

        _check(api, asyncio.run(upload()), path.stat().st_size)
