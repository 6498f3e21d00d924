"""Uploaded files on disk: `<db>.files/<owner>/<id>` beside the database, or a temporary folder
for an in-memory sandbox (removed with the process)."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
import weakref
from pathlib import Path
from typing import Any, BinaryIO


class FileStore:
    def __init__(self, db_path: Path | None) -> None:
        self._cleanup: weakref.finalize[Any, Any] | None = None
        if db_path is None:
            self.root = Path(tempfile.mkdtemp(prefix="thg-sandbox-files-"))
            # Removed when the sandbox is dropped or the process exits, whichever comes first.
            self._cleanup = weakref.finalize(self, shutil.rmtree, self.root, ignore_errors=True)
        else:
            self.root = Path(str(db_path) + ".files")

    def path(self, owner: str, document_id: str) -> Path:
        # Owners and ids are checked against their patterns before they get here (no "/", no "..").
        return self.root / owner / document_id

    def open_partial(self, owner: str) -> tuple[Path, BinaryIO]:
        """A new file to stream an upload into; `commit` moves it into place."""
        folder = self.root / owner
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".upload-{uuid.uuid4().hex}.part"
        return partial, open(partial, "xb")

    def commit(self, partial: Path, owner: str, document_id: str) -> None:
        os.replace(partial, self.path(owner, document_id))

    def remove(self, owner: str, document_id: str) -> None:
        self.path(owner, document_id).unlink(missing_ok=True)

    def discard(self, partial: Path) -> None:
        partial.unlink(missing_ok=True)

    def close(self) -> None:
        if self._cleanup is not None:
            self._cleanup()
