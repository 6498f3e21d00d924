"""Documents: create answers a presigned upload, the upload is checked, streamed and recorded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from thg_sandbox.behaviours import BUILTIN
from thg_sandbox.clock import ManualClock
from thg_sandbox.documents import documents_extension, install_documents
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_sandbox.validation import SchemaSet
from thg_spec import Product

from .conftest import SPECS, TIMEOUT, Org, doc, errors

DOCUMENTS = "/api/document/v1/brandco/document"
UPLOAD_TTL = 30
MAX_UPLOAD = 256 * 1024


@pytest.fixture(scope="module")
def sandbox(clock: ManualClock, products: list[Product]) -> Iterator[RunningSandbox]:
    extensions = [e for e in BUILTIN if e is not install_documents]
    extensions.append(documents_extension(upload_ttl=UPLOAD_TTL, max_upload=MAX_UPLOAD))
    with running_sandbox(SPECS, clock=clock, products=products, extensions=extensions) as running:
        yield running


def create(org: Org, filename: str = "sds.pdf", **extra: Any) -> dict[str, Any]:
    response = org.post(
        f"/api/document/v1/{org.slug}/document",
        json=doc("document:document", {"filename": filename, **extra}),
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def upload(
    sandbox: RunningSandbox,
    created: dict[str, Any],
    content: bytes = b"%PDF-1.7 safety data sheet",
    *,
    fields: dict[str, str] | None = None,
    media: str = "application/pdf",
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    instructions = created["attributes"]["upload"]
    with httpx.Client(timeout=TIMEOUT) as http:  # a fresh client: no token anywhere
        return http.post(
            instructions["url"],
            data=instructions["fields"] if fields is None else fields,
            files={"file": ("sds.pdf", content, media)},
            headers=headers,
        )


def test_create_answers_the_reference_and_a_presigned_upload(
    brandco: Org, sandbox: RunningSandbox, products: list[Product]
) -> None:
    response = brandco.post(
        DOCUMENTS, json=doc("document:document", {"filename": "a.pdf", "contentType": "x/y"})
    )
    assert response.status_code == 201
    body = response.json()
    document = next(p for p in products if p.name == "document").document
    SchemaSet(document).validator("/components/schemas/DocumentDocument").validate(body)
    data = body["data"]
    assert data["meta"]["reference"] == f"thg:document:brandco@{data['id']}"
    attributes = data["attributes"]
    assert (attributes["status"], attributes["size"]) == ("AWAITING_UPLOAD", None)
    instructions = attributes["upload"]
    assert instructions["method"] == "POST"
    assert instructions["url"] == (f"{sandbox.base_url}/uploads/documents/brandco/{data['id']}")
    assert set(instructions["fields"]) == {"key", "x-thg-expires", "x-thg-signature"}
    assert instructions["fields"]["key"] == f"brandco/{data['id']}"
    assert instructions["expiresAt"] == instructions["fields"]["x-thg-expires"]
    assert "upload" not in brandco.get(f"{DOCUMENTS}/{data['id']}").json()["data"]["attributes"]


def test_upload_without_a_token_makes_the_document_available(
    brandco: Org, sandbox: RunningSandbox
) -> None:
    created = create(brandco)
    content = bytes(range(256)) * 40
    response = upload(sandbox, created, content)
    assert response.status_code == 204, response.text
    got = brandco.get(f"{DOCUMENTS}/{created['id']}").json()["data"]
    assert got["attributes"] == {
        "filename": "sds.pdf",
        "contentType": "application/pdf",  # from the file part, none given on create
        "status": "AVAILABLE",
        "size": len(content),
    }
    assert got["version"] == "2"
    listed = brandco.get(
        DOCUMENTS, params={"filter": f"status='AVAILABLE' and size={len(content)}"}
    )
    assert [d["id"] for d in listed.json()["data"]] == [created["id"]]


def test_a_stale_authorization_header_is_not_looked_at(
    brandco: Org, sandbox: RunningSandbox
) -> None:
    created = create(brandco, contentType="application/pdf")
    response = upload(sandbox, created, headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 204, response.text


def test_the_created_media_type_wins_over_the_part_header(
    brandco: Org, sandbox: RunningSandbox
) -> None:
    created = create(brandco, contentType="application/pdf")
    assert upload(sandbox, created, media="text/plain").status_code == 204
    got = brandco.get(f"{DOCUMENTS}/{created['id']}").json()["data"]["attributes"]
    assert got["contentType"] == "application/pdf"


@pytest.mark.parametrize(
    "change",
    [
        {"x-thg-signature": "0" * 64},
        {"x-thg-expires": "2099-01-01T00:00:00+00:00"},
        {"key": "brandco/someone-else"},
    ],
    ids=["signature", "expiry", "key"],
)
def test_altered_fields_are_refused(
    brandco: Org, sandbox: RunningSandbox, change: dict[str, str]
) -> None:
    created = create(brandco)
    fields = {**created["attributes"]["upload"]["fields"], **change}
    response = upload(sandbox, created, fields=fields)
    assert response.status_code == 403
    assert errors(response)[0]["code"] == "UploadRefused"
    got = brandco.get(f"{DOCUMENTS}/{created['id']}").json()["data"]["attributes"]
    assert got["status"] == "AWAITING_UPLOAD"


def test_missing_fields_are_refused(brandco: Org, sandbox: RunningSandbox) -> None:
    created = create(brandco)
    fields = dict(created["attributes"]["upload"]["fields"])
    del fields["x-thg-signature"]
    assert upload(sandbox, created, fields=fields).status_code == 403


def test_fields_for_one_document_do_not_upload_another(
    brandco: Org, sandbox: RunningSandbox
) -> None:
    first, second = create(brandco), create(brandco)
    stolen = {**second, "attributes": {**second["attributes"]}}
    stolen["attributes"]["upload"] = {
        **second["attributes"]["upload"],
        "fields": first["attributes"]["upload"]["fields"],
    }
    assert upload(sandbox, stolen).status_code == 403


def test_an_expired_upload_is_refused(
    brandco: Org, sandbox: RunningSandbox, clock: ManualClock
) -> None:
    created = create(brandco)
    clock.advance(UPLOAD_TTL + 1)
    response = upload(sandbox, created)
    assert response.status_code == 403
    assert "expired" in errors(response)[0]["detail"]


def test_malformed_uploads_are_400s(brandco: Org, sandbox: RunningSandbox) -> None:
    created = create(brandco)
    instructions = created["attributes"]["upload"]
    with httpx.Client(timeout=TIMEOUT) as http:
        not_a_form = http.post(instructions["url"], json=instructions["fields"])
        no_file = http.post(instructions["url"], data=instructions["fields"], files={"x": b"1"})
    assert not_a_form.status_code == 400
    assert errors(not_a_form)[0]["code"] == "MalformedUpload"
    assert no_file.status_code == 400
    assert "file" in errors(no_file)[0]["detail"]


def test_a_file_over_the_limit_is_413(brandco: Org, sandbox: RunningSandbox) -> None:
    created = create(brandco)
    response = upload(sandbox, created, b"x" * (MAX_UPLOAD + 1))
    assert response.status_code == 413
    got = brandco.get(f"{DOCUMENTS}/{created['id']}").json()["data"]["attributes"]
    assert (got["status"], got["size"]) == ("AWAITING_UPLOAD", None)
    assert upload(sandbox, created, b"x" * MAX_UPLOAD).status_code == 204


def test_unknown_documents_and_paths(brandco: Org, sandbox: RunningSandbox) -> None:
    created = create(brandco)
    fields = created["attributes"]["upload"]["fields"]
    with httpx.Client(timeout=TIMEOUT) as http:
        bad_owner = http.post(
            f"{sandbox.base_url}/uploads/documents/Not_A_Slug/{created['id']}",
            data=fields,
            files={"file": b"1"},
        )
    assert bad_owner.status_code == 404
    assert brandco.delete(f"{DOCUMENTS}/{created['id']}").status_code == 204
    gone = upload(sandbox, created)
    assert gone.status_code == 404
    assert errors(gone)[0]["code"] == "NotFound"


def test_status_and_size_cannot_be_written(brandco: Org) -> None:
    created = create(brandco, status="AVAILABLE", size=5)
    assert (created["attributes"]["status"], created["attributes"]["size"]) == (
        "AWAITING_UPLOAD",
        None,
    )


def test_invalid_documents_are_422s(brandco: Org) -> None:
    response = brandco.post(DOCUMENTS, json=doc("document:document", {"filename": "a/b.pdf"}))
    assert response.status_code == 422
    assert errors(response)[0]["source"]["pointer"] == "/data/attributes/filename"


def test_the_file_before_the_fields_is_refused(brandco: Org, sandbox: RunningSandbox) -> None:
    created = create(brandco)
    instructions = created["attributes"]["upload"]
    boundary = "b0undary"
    parts = [
        ("file", 'filename="a.pdf"', "%PDF"),
        *((name, "", value) for name, value in instructions["fields"].items()),
    ]
    body = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
        + (f"; {extra}" if extra else "")
        + f"\r\n\r\n{value}\r\n"
        for name, extra, value in parts
    )
    body += f"--{boundary}--\r\n"
    with httpx.Client(timeout=TIMEOUT) as http:
        response = http.post(
            instructions["url"],
            content=body.encode(),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
    assert response.status_code == 403
    assert "signed fields" in errors(response)[0]["detail"]
