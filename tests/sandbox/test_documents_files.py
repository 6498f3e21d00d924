"""Uploaded files live beside the database, survive a restart, go with their document, and are
streamed to disk rather than held in memory."""

from __future__ import annotations

import hashlib
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from thg_sandbox.documents import install_documents
from thg_sandbox.server import running_sandbox
from thg_spec import Product

from .conftest import SPECS, TIMEOUT, Org, doc

DOCUMENTS = "/api/document/v1/brandco/document"
ONLY_DOCUMENTS = (install_documents,)  # the other behaviours have their own tests


def _create(org: Org) -> dict[str, object]:
    response = org.post(DOCUMENTS, json=doc("document:document", {"filename": "big.bin"}))
    assert response.status_code == 201, response.text
    data: dict[str, object] = response.json()["data"]
    return data


def test_files_sit_beside_the_database_and_outlive_a_restart(
    tmp_path: Path, products: list[Product]
) -> None:
    db = tmp_path / "sandbox.db"
    content = b"safety data sheet\n" * 100
    with (
        running_sandbox(SPECS, db=db, products=products, extensions=ONLY_DOCUMENTS) as running,
        Org(running, "brandco") as org,
    ):
        created = org.post(DOCUMENTS, json=doc("document:document", {"filename": "a.pdf"})).json()
        data = created["data"]
        instructions = data["attributes"]["upload"]
        with httpx.Client(timeout=TIMEOUT) as http:
            response = http.post(
                instructions["url"], data=instructions["fields"], files={"file": ("a.pdf", content)}
            )
        assert response.status_code == 204, response.text
    stored = tmp_path / "sandbox.db.files" / "brandco" / data["id"]
    assert stored.read_bytes() == content
    assert [p.name for p in stored.parent.iterdir()] == [data["id"]]  # no partial files left
    with (
        running_sandbox(SPECS, db=db, products=products, extensions=ONLY_DOCUMENTS) as running,
        Org(running, "brandco") as org,
    ):
        got = org.get(f"{DOCUMENTS}/{data['id']}").json()["data"]["attributes"]
        assert (got["status"], got["size"]) == ("AVAILABLE", len(content))
        # The signing key is the database's: fields handed out before a restart still work
        # (on the new port).
        path = instructions["url"].split("/uploads/", 1)[1]
        with httpx.Client(timeout=TIMEOUT) as http:
            again = http.post(
                f"{running.base_url}/uploads/{path}",
                data=instructions["fields"],
                files={"file": ("a.pdf", b"v2")},
            )
        assert again.status_code == 204
        assert stored.read_bytes() == b"v2"
        assert org.delete(f"{DOCUMENTS}/{data['id']}").status_code == 204
        assert not stored.exists()
        assert org.get(f"{DOCUMENTS}/{data['id']}").status_code == 404
        assert org.get(DOCUMENTS).json()["data"] == []


def test_a_large_upload_is_streamed_not_buffered(products: list[Product]) -> None:
    size = 24 * 1024 * 1024
    block = bytes(range(256)) * 256  # 64 KiB
    digest = hashlib.sha256()

    def body() -> Iterator[bytes]:
        for _ in range(size // len(block)):
            digest.update(block)
            yield block

    with (
        running_sandbox(SPECS, products=products, extensions=ONLY_DOCUMENTS) as running,
        Org(running, "brandco") as org,
    ):
        created = _create(org)
        attributes = created["attributes"]
        assert isinstance(attributes, dict)
        instructions = attributes["upload"]
        boundary = "thg-test-boundary"
        head = "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
            for k, v in instructions["fields"].items()
        )
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )

        def form() -> Iterator[bytes]:
            yield head.encode()
            yield from body()
            yield f"\r\n--{boundary}--\r\n".encode()

        tracemalloc.start()
        try:
            with httpx.Client(timeout=TIMEOUT) as http:
                response = http.post(
                    instructions["url"],
                    content=form(),
                    headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
                )
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert response.status_code == 204, response.text
        # Client and server share this process: both together stay far below the file's size.
        assert peak < size // 4, f"peak {peak} bytes for a {size}-byte upload"
        got = org.get(f"{DOCUMENTS}/{created['id']}").json()["data"]["attributes"]
        assert got["size"] == size
        assert got["status"] == "AVAILABLE"
    assert digest.digest()  # the generator really ran to the end


def test_racing_uploads_leave_the_file_and_its_size_in_step(
    tmp_path: Path, products: list[Product]
) -> None:
    db = tmp_path / "sandbox.db"
    contents = [bytes([n]) * (1000 + n * 37) for n in range(8)]
    with (
        running_sandbox(SPECS, db=db, products=products, extensions=ONLY_DOCUMENTS) as running,
        Org(running, "brandco") as org,
    ):
        created = _create(org)
        attributes = created["attributes"]
        assert isinstance(attributes, dict)
        instructions = attributes["upload"]

        def send(content: bytes) -> int:
            with httpx.Client(timeout=TIMEOUT) as http:
                files = {"file": ("f", content)}
                response = http.post(instructions["url"], data=instructions["fields"], files=files)
                return response.status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            assert list(pool.map(send, contents)) == [204] * 8
        got = org.get(f"{DOCUMENTS}/{created['id']}").json()["data"]
    assert got["version"] == str(1 + len(contents))
    on_disk = (tmp_path / "sandbox.db.files" / "brandco" / str(created["id"])).read_bytes()
    assert on_disk in contents
    assert got["attributes"]["size"] == len(on_disk)
