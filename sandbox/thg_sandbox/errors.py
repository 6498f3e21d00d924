"""JSON:API error objects (CONVENTIONS §6) and the exception that carries them to a response."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Request Field Failed Validation",
    429: "Too many requests",
    500: "Internal server error",
    501: "Not implemented",
}


@dataclass(frozen=True)
class ErrorObject:
    status: int
    code: str
    detail: str
    pointer: str | None = None
    parameter: str | None = None
    title: str | None = None

    def to_json(self) -> dict[str, Any]:
        obj: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "status": str(self.status),
            "code": self.code,
            "title": self.title or TITLES.get(self.status, "Error"),
            "detail": self.detail,
        }
        if self.pointer is not None:
            obj["source"] = {"pointer": self.pointer}
        elif self.parameter is not None:
            obj["source"] = {"parameter": self.parameter}
        return obj


class ApiError(Exception):
    """Raised anywhere below the HTTP layer; becomes an errors document with `status`."""

    def __init__(
        self, status: int, errors: list[ErrorObject], headers: dict[str, str] | None = None
    ):
        super().__init__(errors[0].detail if errors else str(status))
        self.status = status
        self.errors = errors
        self.headers = headers or {}

    @classmethod
    def one(
        cls,
        status: int,
        code: str,
        detail: str,
        *,
        pointer: str | None = None,
        parameter: str | None = None,
    ) -> ApiError:
        return cls(status, [ErrorObject(status, code, detail, pointer, parameter)])

    def document(self) -> dict[str, Any]:
        return errors_document(self.errors)


def errors_document(errors: list[ErrorObject]) -> dict[str, Any]:
    return {"errors": [e.to_json() for e in errors]}


def not_found(detail: str = "No such resource under this owner.") -> ApiError:
    return ApiError.one(404, "NotFound", detail)


def bad_request(code: str, detail: str, *, parameter: str | None = None) -> ApiError:
    return ApiError.one(400, code, detail, parameter=parameter)


def conflict(detail: str) -> ApiError:
    return ApiError.one(409, "Conflict", detail)


def unauthorized(detail: str) -> ApiError:
    error = ApiError.one(401, "Unauthorized", detail)
    error.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return error


def forbidden(detail: str) -> ApiError:
    return ApiError.one(403, "Forbidden", detail)


def unprocessable(errors: list[ErrorObject]) -> ApiError:
    return ApiError(422, errors)


def field_error(pointer: str, detail: str, code: str = "RequestValidationError") -> ErrorObject:
    return ErrorObject(422, code, detail, pointer=pointer)
