#!/usr/bin/env bash
# Installs the peer generators the generator benchmarks compare against, into their own venv
# (bench/.peers/venv, git-ignored). Never part of the project's install or of CI.
#
#   bash bench/peers.sh            # create or update bench/.peers/venv
#
# openapi-python-client formats its output with ruff (a dependency it installs itself);
# openapi-generator-cli is the PyPI package that ships OpenAPI Generator's jar and runs it on the
# machine's Java (17 here).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS="$ROOT/bench/.peers"
VENV="$PEERS/venv"
PYTHON="${PYTHON:-python3.11}"
mkdir -p "$PEERS"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi
"$VENV/bin/python" -m pip install --quiet --upgrade openapi-python-client openapi-generator-cli
# The peers' generated packages import their own runtime dependencies: install them once here so
# bench_import.py measures import time, not a missing module.
"$VENV/bin/python" -m pip install --quiet httpx attrs python-dateutil pydantic urllib3 typing-extensions
"$VENV/bin/python" -m pip list 2>/dev/null | grep -iE '^(openapi-python-client|openapi-generator-cli|ruff|pydantic|httpx) '
java -version 2>&1 | head -1
