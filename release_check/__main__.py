"""``python -m release_check``: the release check in one command (``scripts/release-check``)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from .build import Built
from .commands import ReleaseCheckError
from .kit import KitRow, check_kits, format_kit_table
from .matrix import format_table, run_release_check
from .publish import (
    PUBLISH_PYTHONS,
    Published,
    build_others,
    check_installed,
    check_published,
    readme_test_file,
)
from .venvs import SUPPORTED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="release-check",
        description="Build runtime/ and generated/ (wheel + sdist), twine check them, install "
        "them into a fresh venv per Python and run the import probe and the sandbox smoke test; "
        "per Python, the testing kit (all four wheels and pytest: thg-sandbox serve, the smoke "
        "test and the README's fixture test); then publish all four distributions to a local "
        "package index and install thg-connect and thg-sandbox by name from it into a fresh venv "
        "for the smoke and a fixture test.",
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
    parser.add_argument(
        "--no-publish",
        action="store_true",
        help="skip the publish step (upload to a local package index, install thg-connect and "
        "thg-sandbox by name from it into a fresh venv, smoke test and a fixture-based test)",
    )
    parser.add_argument(
        "--no-kit",
        action="store_true",
        help="skip the testing kit per Python (the four wheels and pytest in a venv per Python: "
        "thg-sandbox serve without --specs, smoke test and the README's fixture test)",
    )
    parser.add_argument(
        "--published",
        type=Path,
        metavar="PYTHON",
        help="build nothing: run the publish step's checks with the thg-connect and thg-sandbox "
        "already installed for this Python (e.g. from the real index after a release)",
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    with tempfile.TemporaryDirectory(prefix="release-check-") as scratch:
        work = args.keep.resolve() if args.keep else Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        if args.published:
            try:
                installed = check_installed(args.published.absolute(), work)
            except ReleaseCheckError as exc:
                print(f"release check failed: {exc}", file=sys.stderr)
                return 1
            print(installed.line(f"installed for {args.published}"))
            return 0 if installed.ok else 1
        try:
            dists, rows = run_release_check(
                root, work, minors=args.python or SUPPORTED, fresh=args.fresh
            )
        except ReleaseCheckError as exc:
            print(f"release check failed: {exc}", file=sys.stderr)
            return 1
        minors = args.python or SUPPORTED
        cache = root / ".release-check"
        kits: list[KitRow] = []
        others: list[Built] = []
        if not (args.no_kit and args.no_publish):  # frontend/ and sandbox/: built once for both
            try:
                others = build_others(root, work, cache)
            except ReleaseCheckError as exc:
                print(f"release check failed: {exc}", file=sys.stderr)
                return 1
        if not args.no_kit:
            built = [dists.runtime, dists.generated, *others]
            try:
                test_file = readme_test_file(root)
            except (OSError, ReleaseCheckError) as exc:
                print(f"release check failed: {exc}", file=sys.stderr)
                return 1
            kits = check_kits(
                built,
                minors,
                work=work,
                cache=cache,
                test_file=test_file,
                fresh=args.fresh,
                report=say,
            )
        published: list[Published] = []
        if not args.no_publish:
            for minor in PUBLISH_PYTHONS:
                say(f"==> publish: twine upload to a local index, install by name on {minor}")
                published.append(
                    check_published(
                        root, work / f"publish-{minor}", dists, others=others, minor=minor
                    )
                )
    print(format_table(dists, rows))
    if kits:
        print("\n" + format_kit_table(kits))
    for result in published:
        print(result.line())
    checked = [row for row in rows if row.version != "not found"]
    ok = (
        checked
        and all(row.ok for row in rows)
        and all(kit.ok for kit in kits)
        and all(result.ok for result in published)
    )
    return 0 if ok else 1


def say(line: str) -> None:
    print(line, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
