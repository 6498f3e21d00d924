"""``python -m release_check``: the release check in one command (``scripts/release-check``)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from .commands import ReleaseCheckError
from .matrix import format_table, run_release_check
from .venvs import SUPPORTED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="release-check",
        description="Build runtime/ and generated/ (wheel + sdist), twine check them, install "
        "them into a fresh venv per Python and run the import probe and the sandbox smoke test.",
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository")
    parser.add_argument(
        "--python",
        action="append",
        choices=SUPPORTED,
        help="a Python minor version to check "
        f"(repeatable; default: all of {', '.join(SUPPORTED)})",
    )
    parser.add_argument("--fresh", action="store_true", help="rebuild cached venvs")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    with tempfile.TemporaryDirectory(prefix="release-check-") as scratch:
        work = args.keep.resolve() if args.keep else Path(scratch)
        try:
            dists, rows = run_release_check(
                root, work, minors=args.python or SUPPORTED, fresh=args.fresh
            )
        except ReleaseCheckError as exc:
            print(f"release check failed: {exc}", file=sys.stderr)
            return 1
    print(format_table(dists, rows))
    checked = [row for row in rows if row.version != "not found"]
    return 0 if checked and all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
