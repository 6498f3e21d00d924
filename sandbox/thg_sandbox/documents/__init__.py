"""The Document API's presigned uploads and stored files (CONVENTIONS §12)."""

from __future__ import annotations

from .extension import DOCUMENT, Documents, documents_extension, install_documents

__all__ = ["DOCUMENT", "Documents", "documents_extension", "install_documents"]
