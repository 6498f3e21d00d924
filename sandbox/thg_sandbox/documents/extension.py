"""The Document API's behaviour beyond storage (CONVENTIONS §12, specs/document.yaml).

* Create answers with the usual resource plus `upload`: a presigned URL on the sandbox itself
  and the signed form fields, valid for `upload_ttl` seconds. The record starts
  `AWAITING_UPLOAD` with a null `size`.
* `POST /uploads/documents/<owner>/<id>` takes the multipart form (no Authorization header),
  checks the signature and expiry before storing a byte (403 otherwise), streams the file to
  disk, then marks the document `AVAILABLE` with its size and media type through the service's
  ordinary write path (so write hooks, e.g. events, see an UPDATED document), and answers 204.
* Deleting a document deletes its file.
* A reference to a document whose file has not arrived is a 422 (`availability`).

GET, GET ALL and DELETE stay the generic ones.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from thg_spec import Entity, Product

from ..access import Caller
from ..config import SLUG
from ..endpoints import create_status, json_response
from ..errors import ApiError, not_found
from ..hooks import RuleContext
from ..service import ID_PATTERN, Target
from ..store import Resource
from ..validation import AttributesCheck, check_attributes
from .availability import install_availability
from .multipart import MalformedUpload, UploadTooLarge, read_upload
from .signing import UploadRefused, UploadSigner
from .storage import FileStore

if TYPE_CHECKING:
    from ..app import Extension, Sandbox

DOCUMENT = "document:document"
AWAITING_UPLOAD = "AWAITING_UPLOAD"
AVAILABLE = "AVAILABLE"
DEFAULT_CONTENT_TYPE = "application/octet-stream"
UPLOAD_PATH = "/uploads/documents/{owner}/{document_id}"
DEFAULT_UPLOAD_TTL = 3600.0
DEFAULT_MAX_UPLOAD = 100 * 1024 * 1024
UPLOADER = "thg-sandbox-upload"  # the client id an upload's write is recorded under


@dataclass(frozen=True)
class _Completed:
    size: int
    content_type: str


class Documents:
    def __init__(
        self, sandbox: Sandbox, product: Product, entity: Entity, ttl: float, max_upload: int
    ) -> None:
        self.sandbox = sandbox
        self.product = product
        self.entity = entity
        self.files = FileStore(sandbox.db.path)
        self.signer = UploadSigner(sandbox.db.signing_key(), ttl)
        self.max_upload = max_upload
        # The upload finishing on this thread: the validator's only way to learn that this
        # write (and no client's) may set the read-only status and size. The lock keeps the
        # file on disk and the recorded size from two racing uploads of one document in step.
        self._finishing = threading.local()
        self._lock = threading.Lock()

    # -- the attributes stored (replaces the generic check for document:document) ----------

    def validate(self, ctx: RuleContext) -> AttributesCheck:
        stored = None
        if ctx.resource_id is not None:
            found = self.sandbox.service.store.get(ctx.conn, DOCUMENT, ctx.owner, ctx.resource_id)
            stored = found.attributes if found is not None else None
            done: _Completed | None = getattr(self._finishing, "done", None)
            if done is not None and stored is not None:
                media = stored.get("contentType") or done.content_type or DEFAULT_CONTENT_TYPE
                completed = {
                    **stored,
                    "status": AVAILABLE,
                    "size": done.size,
                    "contentType": media,
                }
                return AttributesCheck(completed, [], [])
        result = check_attributes(
            self.sandbox.service.schemas[self.product.name], self.entity.schema, ctx.attributes
        )
        if result.errors:
            return result
        attributes: dict[str, Any] = dict(result.attributes)
        # Status and size are read-only: a client's write keeps what the server set.
        attributes["status"] = (stored or {}).get("status", AWAITING_UPLOAD)
        attributes["size"] = (stored or {}).get("size")
        return AttributesCheck(attributes, [], result.references)

    # -- create: the resource plus its upload instructions ---------------------------------

    async def create(self, request: Request) -> Response:
        api = self.sandbox.api
        caller = api.caller(request)
        target = api.target(request, self.product, self.entity, item=False)
        data = await api.body(request, self.entity)
        created = await run_in_threadpool(self.sandbox.service.create, caller, target, data)
        document = api.document(request, self.product, self.entity, created)
        grant = self.signer.grant(created.owner, created.id, self.sandbox.clock.now())
        path = UPLOAD_PATH.format(owner=created.owner, document_id=created.id)
        document["data"]["attributes"]["upload"] = {
            "url": str(request.base_url).rstrip("/") + path,
            "method": "POST",
            "fields": grant.fields,
            "expiresAt": grant.expires_at,
        }
        document["meta"] = {}
        return json_response(document, create_status(self.entity))

    # -- upload -----------------------------------------------------------------------------

    async def upload(self, request: Request) -> Response:
        owner = str(request.path_params["owner"])
        document_id = str(request.path_params["document_id"])
        if not SLUG.fullmatch(owner) or not ID_PATTERN.fullmatch(document_id):
            raise not_found()
        partial, sink = await run_in_threadpool(self.files.open_partial, owner)
        try:
            size, media = await self._receive(request, owner, document_id, sink)
        except BaseException:
            await run_in_threadpool(sink.close)
            await run_in_threadpool(self.files.discard, partial)
            raise
        await run_in_threadpool(sink.close)
        try:
            await run_in_threadpool(self._complete, partial, owner, document_id, size, media)
        except BaseException:
            await run_in_threadpool(self.files.discard, partial)
            raise
        return Response(status_code=204)

    async def _receive(
        self, request: Request, owner: str, document_id: str, sink: BinaryIO
    ) -> tuple[int, str]:
        async def check(fields: dict[str, str]) -> None:
            self.signer.check(fields, owner, document_id, self.sandbox.clock.now())

        async def write(chunk: bytes) -> None:
            await run_in_threadpool(sink.write, chunk)

        try:
            _, file = await read_upload(
                request.headers.get("content-type", ""),
                request.stream(),
                max_file_bytes=self.max_upload,
                on_fields=check,
                write=write,
            )
        except UploadRefused as exc:
            raise ApiError.one(403, "UploadRefused", str(exc)) from None
        except UploadTooLarge as exc:
            raise ApiError.one(413, "RequestTooLarge", str(exc)) from None
        except MalformedUpload as exc:
            raise ApiError.one(400, "MalformedUpload", str(exc)) from None
        except ClientDisconnect:
            raise ApiError.one(400, "MalformedUpload", "The upload was cut short.") from None
        return file.size, file.content_type

    def _complete(self, partial: Path, owner: str, document_id: str, size: int, media: str) -> None:
        target = Target(self.product, self.entity, owner, (), document_id)
        with self._lock:
            self.files.commit(partial, owner, document_id)
            self._finishing.done = _Completed(size, media)
            try:
                self.sandbox.service.replace(Caller(owner, UPLOADER), target, {"type": DOCUMENT})
            except ApiError:
                # Deleted while the file was on its way: the file goes too.
                self.files.remove(owner, document_id)
                raise
            finally:
                self._finishing.done = None

    # -- delete ------------------------------------------------------------------------------

    def forget_file(self, entity: Entity, action: str, resource: Resource, actor: str) -> None:
        if action == "DELETED" and resource.entity == DOCUMENT:
            self.files.remove(resource.owner, resource.id)

    def routes(self) -> list[BaseRoute]:
        return [
            Route(self.entity.collection_path, self.create, methods=["POST"]),
            Route(UPLOAD_PATH, self.upload, methods=["POST"]),
        ]


def documents_extension(
    *, upload_ttl: float = DEFAULT_UPLOAD_TTL, max_upload: int = DEFAULT_MAX_UPLOAD
) -> Extension:
    """The extension with other limits (tests use a short ttl or a small maximum)."""

    def install(sandbox: Sandbox) -> Sequence[BaseRoute]:
        found = sandbox.service.entity_by_type(DOCUMENT)
        if found is None:
            return ()  # the Document API is not served
        product, entity = found
        documents = Documents(sandbox, product, entity, upload_ttl, max_upload)
        sandbox.service.validators[DOCUMENT] = documents.validate
        sandbox.service.hooks.append(documents.forget_file)
        install_availability(sandbox.service)
        return documents.routes()

    return install


install_documents = documents_extension()

__all__ = ["Documents", "documents_extension", "install_documents"]
